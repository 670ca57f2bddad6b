package dev.graphgate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * Graphgate syncing from the emulator's Graph over real HTTP, for sync tests: tenant {@value #TENANT_DOMAIN} with
 * generated data, whose admin granted the app {@code User.Read.All}, {@code Group.Read.All}, {@code Mail.Read},
 * {@code Calendars.Read}, {@code Files.Read.All} and {@code Sites.Read.All}; and tenant {@value #BARE_DOMAIN}, whose
 * admin granted only {@code Mail.Read}. Graphgate has the integration {@value #INTEGRATION} with the connections
 * {@value #CONNECTION} and {@value #BARE_CONNECTION}.
 * Ground truth is read through the emulator's admin pass-through, which no throttling or fault touches.
 */
public final class SyncRig implements AutoCloseable {
  public static final String TENANT_ID = "6c1f2a9e-4b3d-4e8f-a1c2-9d8e7f6a5b4c";
  public static final String TENANT_DOMAIN = "contoso.onmicrosoft.com";
  public static final String BARE_TENANT_ID = "1e2d3c4b-5a69-4788-99aa-bbccddeeff00";
  public static final String BARE_DOMAIN = "fabrikam.onmicrosoft.com";
  public static final String APP_ID = "0f5e4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f";
  public static final String APP_SECRET = "sync-test-secret-value";
  public static final String INTEGRATION = "microsoft";
  public static final String CONNECTION = "contoso";
  public static final String BARE_CONNECTION = "fabrikam";

  public final EmulatorFixture emulator;
  public final Graphgate graphgate;
  public final TestDatabase db;
  private final ApiClient admin;

  private SyncRig(EmulatorFixture emulator, TestDatabase db, Graphgate graphgate) {
    this.emulator = emulator;
    this.db = db;
    this.graphgate = graphgate;
    this.admin = new ApiClient(URI.create(emulator.loginUrl()), null);
  }

  /** {@code generate}: the contoso tenant's data, as {@code POST /_emulator/tenants/{id}/generate} takes it. */
  public static SyncRig start(Path dataDir, TestDatabase db, String generate, UnaryOperator<GraphgateConfig.Builder> customize) {
    EmulatorFixture emulator = new EmulatorFixture();
    try {
      emulator.tenant(TENANT_ID, TENANT_DOMAIN);
      emulator.tenant(BARE_TENANT_ID, BARE_DOMAIN);
      emulator.app(APP_ID, APP_SECRET, null, List.of());
      emulator.grant(TENANT_ID, APP_ID, List.of("User.Read.All", "Group.Read.All", "Mail.Read", "Calendars.Read", "Files.Read.All",
          "Sites.Read.All"));
      emulator.grant(BARE_TENANT_ID, APP_ID, List.of("Mail.Read"));
      emulator.generate(TENANT_ID, generate);
      GraphgateConfig config = customize.apply(TestServers.config(db, dataDir).syncPollInterval(Duration.ofMillis(200))
          .cloud(CloudConfig.custom(URI.create(emulator.loginUrl()), emulator.cloud().graphUrl()))).build();
      Graphgate g = Graphgate.start(config);
      SyncRig rig = new SyncRig(emulator, db, g);
      rig.expect(rig.api().post("/integrations", "{\"unique_key\":\"" + INTEGRATION + "\",\"provider\":\"microsoft-oauth2-cc\"}"), 200);
      rig.connection(CONNECTION, TENANT_ID);
      rig.connection(BARE_CONNECTION, BARE_TENANT_ID);
      return rig;
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
  }

  private void connection(String id, String tenant) {
    expect(api().post("/connections", """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(INTEGRATION, id, APP_ID, APP_SECRET, tenant)), 201);
  }

  public ApiClient api() {
    return TestServers.client(graphgate);
  }

  /** {@code GET /records} for the contoso connection, {@code query} after {@code model=...&}. */
  public ApiClient.Response records(String connection, String query) {
    return api().send(api().request("/records?" + query).header("Connection-Id", connection).header("Provider-Config-Key", INTEGRATION).GET());
  }

  /** Every record of the model (all pages), with the given extra query (such as {@code filter=deleted}), in order. */
  public List<JsonNode> allRecords(String model, String extraQuery) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      ApiClient.Response r = expect(records(CONNECTION, "model=" + model + "&limit=77" + (extraQuery.isEmpty() ? "" : "&" + extraQuery)
          + (cursor == null ? "" : "&cursor=" + cursor)), 200);
      r.json().path("records").forEach(all::add);
      cursor = r.json().path("next_cursor").isNull() ? null : r.json().path("next_cursor").asText();
    } while (cursor != null);
    return all;
  }

  /** Live (not deleted) records of the model, by id. */
  public Map<String, JsonNode> liveRecords(String model) {
    Map<String, JsonNode> live = new LinkedHashMap<>();
    for (JsonNode r : allRecords(model, "")) {
      if (!r.path("_nango_metadata").path("last_action").asText().equals("DELETED")) {
        live.put(r.path("id").asText(), r);
      }
    }
    return live;
  }

  /** What the emulator holds: every item of a Graph collection (all pages), through the admin pass-through. */
  public List<JsonNode> groundTruth(String pathAndQuery) {
    List<JsonNode> all = new ArrayList<>();
    String next = "/_emulator/tenants/" + TENANT_ID + "/graph" + pathAndQuery;
    while (next != null) {
      ApiClient.Response r = expect(admin.get(next), 200);
      r.json().path("value").forEach(all::add);
      JsonNode link = r.json().path("@odata.nextLink");
      next = link.isTextual() ? URI.create(link.asText()).getRawPath() + "?" + URI.create(link.asText()).getRawQuery() : null;
    }
    return all;
  }

  /** A change through the admin pass-through ({@code POST /v1.0/users}, {@code PATCH /v1.0/users/{id}}, ...). */
  public ApiClient.Response graphAdmin(String method, String path, String json) {
    HttpRequest.Builder b = admin.request("/_emulator/tenants/" + TENANT_ID + "/graph" + path);
    b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    return admin.send(b);
  }

  /** Removes a site from the emulator's tenant (Graph has no such call). */
  public void deleteSite(String siteId) {
    HttpRequest.Builder b = admin.request("/_emulator/tenants/" + TENANT_ID + "/sites/" + siteId);
    expect(admin.send(b.method("DELETE", HttpRequest.BodyPublishers.noBody())), 204);
  }

  /** Every delta link the emulator issued so far for the tenant stops working (410 with a fresh start). */
  public void expireDeltaLinks() {
    expect(admin.post("/_emulator/tenants/" + TENANT_ID + "/delta/reset", "{}"), 204);
  }

  /** The sync's entry of {@code GET /sync/status} for the connection, or null. */
  public JsonNode status(String connection, String sync) {
    ApiClient.Response r = expect(api().get("/sync/status?syncs=" + sync + "&provider_config_key=" + INTEGRATION + "&connection_id="
        + URLEncoder.encode(connection, StandardCharsets.UTF_8)), 200);
    for (JsonNode s : r.json().path("syncs")) {
      if (s.path("name").asText().equals(sync)) {
        return s;
      }
    }
    return null;
  }

  /** Waits until a run of the sync finished after the one that had finished at {@code previousFinishedAt} (null: none). */
  public JsonNode awaitRunAfter(String connection, String sync, String previousFinishedAt) {
    JsonNode[] last = {null};
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonNode s = status(connection, sync);
      last[0] = s;
      return s != null && !s.path("status").asText().equals("RUNNING") && s.path("finishedAt").isTextual()
          && !s.path("finishedAt").asText().equals(previousFinishedAt);
    });
    return last[0];
  }

  public String finishedAt(String connection, String sync) {
    JsonNode s = status(connection, sync);
    return s == null || !s.path("finishedAt").isTextual() ? null : s.path("finishedAt").asText();
  }

  /** Triggers the sync for the contoso connection and waits for that run's end. */
  public JsonNode runNow(String sync, boolean reset) {
    String before = finishedAt(CONNECTION, sync);
    expect(api().post("/sync/trigger", """
        {"syncs":["%s"],"provider_config_key":"%s","connection_id":"%s","opts":{"reset":%s}}""".formatted(sync, INTEGRATION, CONNECTION, reset)), 200);
    return awaitRunAfter(CONNECTION, sync, before);
  }

  /** {@code POST /sync/trigger} of one sync for one connection, as the SDK's {@code triggerSync} sends it. */
  public ApiClient.Response trigger(String connection, String sync) {
    return api().post("/sync/trigger", """
        {"syncs":["%s"],"provider_config_key":"%s","connection_id":"%s"}""".formatted(sync, INTEGRATION, connection));
  }

  /** {@code r} is 403 {@code permission_missing} whose message names each of {@code mentioned}. */
  public void assertPermissionMissing(ApiClient.Response r, String... mentioned) {
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("permission_missing");
    assertThat(r.json().path("error").path("message").asText()).contains(mentioned);
  }

  public ApiClient.Response expect(ApiClient.Response r, int status) {
    if (r.status() != status) {
      throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
    }
    return r;
  }

  @Override
  public void close() {
    try {
      graphgate.close();
    } finally {
      emulator.close();
    }
  }
}

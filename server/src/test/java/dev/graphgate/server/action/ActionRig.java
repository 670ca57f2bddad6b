package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Graphgate running actions against the emulator's Graph over real HTTP: tenant contoso, whose admin granted the app
 * every permission the actions need, with generated data; tenant fabrikam, whose admin granted only
 * {@code User.Read.All}. Connections {@value #CONNECTION} and {@value #BARE_CONNECTION} of integration
 * {@value #INTEGRATION}. Ground truth is read through the emulator's admin pass-through (no token, no faults, not
 * counted as Graph requests). Graph calls time out after {@link #TIMEOUT}; JSON bodies up to 8 MiB are taken, so a 4 MiB file fits.
 */
final class ActionRig implements AutoCloseable {
  static final String TENANT_ID = "7d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  static final String BARE_TENANT_ID = "2f3e4d5c-6b7a-4890-9abc-def012345678";
  static final String APP_ID = "3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d";
  static final String APP_SECRET = "action-test-secret-value";
  static final String INTEGRATION = "microsoft";
  static final String CONNECTION = "contoso";
  static final String BARE_CONNECTION = "fabrikam";
  static final Duration TIMEOUT = Duration.ofSeconds(4);
  static final List<String> GRANTED = List.of("Mail.Send", "Mail.Read", "Calendars.ReadWrite", "User.ReadWrite.All", "GroupMember.ReadWrite.All",
      "Group.Read.All", "Files.ReadWrite.All");

  final EmulatorFixture emulator;
  final Graphgate graphgate;
  private final ApiClient admin;

  private ActionRig(EmulatorFixture emulator, Graphgate graphgate) {
    this.emulator = emulator;
    this.graphgate = graphgate;
    this.admin = new ApiClient(URI.create(emulator.loginUrl()), null);
  }

  static ActionRig start(Path dataDir, TestDatabase db) {
    EmulatorFixture emulator = new EmulatorFixture();
    try {
      emulator.tenant(TENANT_ID, "contoso.onmicrosoft.com");
      emulator.tenant(BARE_TENANT_ID, "fabrikam.onmicrosoft.com");
      emulator.app(APP_ID, APP_SECRET, null, List.of());
      emulator.grant(TENANT_ID, APP_ID, GRANTED);
      emulator.grant(BARE_TENANT_ID, APP_ID, List.of("User.Read.All"));
      emulator.generate(TENANT_ID, """
          {"users": 12, "groups": 2, "membersPerGroup": 3, "messagesPerMailbox": 1, "eventsPerMailbox": 1, "driveItemsPerDrive": 2,
           "anchorDate": "2025-03-14"}""");
      GraphgateConfig.Builder b = TestServers.config(db, dataDir).maxRequestBytes(8 * 1024 * 1024).cloud(CloudConfig.custom(URI.create(emulator.loginUrl()), emulator.cloud().graphUrl()));
      GraphgateConfig base = b.build();
      Graphgate g = Graphgate.start(b.proxy(base.proxy().withTimeouts(Duration.ofSeconds(2), TIMEOUT)).build());
      ActionRig rig = new ActionRig(emulator, g);
      rig.expect(rig.api().post("/integrations", "{\"unique_key\":\"" + INTEGRATION + "\",\"provider\":\"microsoft-oauth2-cc\"}"), 200);
      rig.connection(CONNECTION, TENANT_ID, APP_SECRET);
      rig.connection(BARE_CONNECTION, BARE_TENANT_ID, APP_SECRET);
      return rig;
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
  }

  void connection(String id, String tenant, String secret) {
    expect(api().post("/connections", """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(INTEGRATION, id, APP_ID, secret, tenant)), 201);
  }

  ApiClient api() {
    return TestServers.client(graphgate);
  }

  /** {@code POST /action/trigger} for the connection, with {@code body} as given. */
  ApiClient.Response trigger(String connection, String body) {
    return api().send(api().json("POST", "/action/trigger", body).header("Connection-Id", connection).header("Provider-Config-Key", INTEGRATION));
  }

  ApiClient.Response trigger(String action, JsonNode input) {
    return trigger(CONNECTION, "{\"action_name\":\"" + action + "\",\"input\":" + input + "}");
  }

  /** A GET of the Graph path through the admin pass-through. */
  ApiClient.Response groundTruth(String path) {
    return admin.get("/_emulator/tenants/" + TENANT_ID + "/graph" + path);
  }

  /** Every item of a collection, all pages. */
  List<JsonNode> groundTruthAll(String path) {
    List<JsonNode> all = new ArrayList<>();
    String next = "/_emulator/tenants/" + TENANT_ID + "/graph" + path;
    while (next != null) {
      ApiClient.Response r = expect(admin.get(next), 200);
      r.json().path("value").forEach(all::add);
      JsonNode link = r.json().path("@odata.nextLink");
      next = link.isTextual() ? URI.create(link.asText()).getRawPath() + "?" + URI.create(link.asText()).getRawQuery() : null;
    }
    return all;
  }

  ApiClient.Response graphAdmin(String method, String path, String json) {
    HttpRequest.Builder b = admin.request("/_emulator/tenants/" + TENANT_ID + "/graph" + path);
    b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    return admin.send(b);
  }

  /** Graph requests the emulator answered (with a token: Graphgate's) since the last {@link EmulatorFixture#resetStats()}. */
  long graphRequests() {
    return emulator.stats().path("graphRequests").path("total").asLong();
  }

  ApiClient.Response expect(ApiClient.Response r, int status) {
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

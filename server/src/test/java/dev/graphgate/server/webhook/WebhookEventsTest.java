package dev.graphgate.server.webhook;

import static dev.graphgate.server.testing.ConnectSessionsRig.create;
import static dev.graphgate.server.testing.ConnectSessionsRig.session;
import static dev.graphgate.server.testing.ConnectSessionsRig.tenantParam;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code auth} events as producers cause them: a connection created through a connect session (with the
 * session's end user and tags, to the session's {@code webhook_url_override} when it has one), a creation Entra
 * refused (Graphgate's creation failure, with the API's code and message), and a token refresh failure, announced
 * once per move into a failing status however often the refresh fails.
 */
class WebhookEventsTest {
  static final String CONTOSO = "3c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e41";
  static final String SECRET = "events-secret";
  static final List<String> ROLES = List.of("User.Read.All");

  @TempDir static Path dataDir;
  @TempDir static Path scriptedDir;
  static EmulatorFixture emulator;
  static TestDatabase db;
  static TestDatabase scriptedDb;
  static Graphgate server;
  static Graphgate scripted;
  static ApiClient api;
  static WebhookReceiver receiver;
  static WebhookReceiver overrideReceiver;
  static String app;
  static String ms;
  static final SettableClock clock = SettableClock.atSystemTime();
  static final ScriptedTokenEndpoint entra = new ScriptedTokenEndpoint();

  @BeforeAll
  static void start() {
    receiver = WebhookReceiver.started();
    overrideReceiver = WebhookReceiver.started();
    emulator = new EmulatorFixture();
    emulator.tenant(CONTOSO, "contoso-w.onmicrosoft.com");
    db = TestDatabase.h2();
    server = Graphgate.start(TestServers.config(db, dataDir).cloud(emulator.cloud()).webhooks(WebhookDeliveryContract.fastDeliveries()).build());
    api = TestServers.client(server);
    app = UUID.randomUUID().toString();
    emulator.app(app, SECRET, null, List.of());
    emulator.grant(CONTOSO, app, ROLES);
    ms = TestServers.randomKey();
    assertThat(api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(ms)).status()).isEqualTo(200);
    assertThat(api.patch("/webhooks/settings", "{\"primary_url\":\"" + receiver.url("/env") + "\"}").status()).isEqualTo(200);

    scriptedDb = TestDatabase.h2();
    scripted = Graphgate.start(TestServers.config(scriptedDb, scriptedDir).webhooks(WebhookDeliveryContract.fastDeliveries()).build(),
        Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance).withTokenEndpoint(entra));
    ApiClient s = TestServers.client(scripted);
    assertThat(s.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}").status()).isEqualTo(200);
    assertThat(s.patch("/webhooks/settings", "{\"primary_url\":\"" + receiver.url("/scripted") + "\"}").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
    scripted.close();
    db.close();
    scriptedDb.close();
    emulator.close();
    receiver.close();
    overrideReceiver.close();
  }

  static List<JsonNode> events(WebhookReceiver r, String path) {
    return r.received().stream().filter(w -> w.header(":path").equals(path)).map(WebhookReceiver.Received::json).toList();
  }

  @Test
  void aConnectionMadeThroughASessionIsAnnouncedWithTheSessionsEndUser() {
    String token = session(api, """
        {"end_user":{"id":"u-7","email":"ann@example.com","tags":{"plan":"pro"}},"organization":{"id":"org-7"},"allowed_integrations":["%s"]}"""
        .formatted(ms));
    ApiClient.Response created = create(server, "/oauth2/auth/", ms, token, tenantParam(CONTOSO),
        "{\"client_id\":\"%s\",\"client_secret\":\"%s\"}".formatted(app, SECRET));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String cid = created.json().path("connectionId").asText();
    AtomicReference<JsonNode> event = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      events(receiver, "/env").stream().filter(e -> e.path("connectionId").asText().equals(cid)).findFirst().ifPresent(event::set);
      return event.get() != null;
    });
    JsonNode e = event.get();
    assertThat(e.path("operation").asText()).isEqualTo("creation");
    assertThat(e.path("success").asBoolean()).isTrue();
    assertThat(e.path("authMode").asText()).isEqualTo("OAUTH2_CC");
    assertThat(e.path("endUser").path("endUserId").asText()).isEqualTo("u-7");
    assertThat(e.path("endUser").path("endUserEmail").asText()).isEqualTo("ann@example.com");
    assertThat(e.path("endUser").path("organizationId").asText()).isEqualTo("org-7");
    assertThat(e.path("tags").path("end_user_id").asText()).isEqualTo("u-7");
  }

  @Test
  void aSessionsWebhookUrlOverrideReplacesTheEnvironmentsUrls() {
    String token = session(api, "{\"end_user\":{\"id\":\"u-8\"},\"webhook_url_override\":\"" + overrideReceiver.url("/override") + "\"}");
    ApiClient.Response created = create(server, "/oauth2/auth/", ms, token, tenantParam(CONTOSO),
        "{\"client_id\":\"%s\",\"client_secret\":\"%s\"}".formatted(app, SECRET));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String cid = created.json().path("connectionId").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> events(overrideReceiver, "/override").stream()
        .anyMatch(e -> e.path("connectionId").asText().equals(cid)));
    // The environment's URL got nothing for it: both deliveries would have been written in the same transaction.
    assertThat(events(receiver, "/env")).noneMatch(e -> e.path("connectionId").asText().equals(cid));
  }

  @Test
  void aRefusedCreationIsAnnouncedAsACreationFailureWithTheApisCodeAndMessage() {
    String token = session(api, "{\"end_user\":{\"id\":\"u-9\"},\"tags\":{\"workspace\":\"w-9\"}}");
    ApiClient.Response refused = create(server, "/oauth2/auth/", ms, token, tenantParam(CONTOSO),
        "{\"client_id\":\"%s\",\"client_secret\":\"not-the-secret\"}".formatted(app));
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("client_credentials_fetch_error");
    AtomicReference<JsonNode> event = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      events(receiver, "/env").stream().filter(e -> !e.path("success").asBoolean(true) && e.path("tags").path("workspace").asText().equals("w-9"))
          .findFirst().ifPresent(event::set);
      return event.get() != null;
    });
    JsonNode e = event.get();
    assertThat(e.path("type").asText()).isEqualTo("auth");
    assertThat(e.path("operation").asText()).isEqualTo("creation");
    assertThat(e.has("connectionId")).as("nothing was stored").isFalse();
    assertThat(e.path("providerConfigKey").asText()).isEqualTo(ms);
    assertThat(e.path("error").path("type").asText()).isEqualTo("client_credentials_fetch_error");
    assertThat(e.path("error").path("description").asText()).isEqualTo(refused.json().path("error").path("message").asText());
    assertThat(e.path("error").path("status").asText()).isEqualTo("invalid_credentials");
    assertThat(e.path("endUser").path("endUserId").asText()).isEqualTo("u-9");
    assertThat(e.toString()).doesNotContain("not-the-secret");
  }

  @Test
  void aRefreshFailureIsAnnouncedOncePerMoveIntoAFailingStatus() {
    ApiClient s = TestServers.client(scripted);
    String cid = "refresh-" + UUID.randomUUID();
    assertThat(s.post("/connections", """
        {"provider_config_key":"ms","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(cid, app, CONTOSO)).status()).isEqualTo(201);
    String path = "/connections/" + cid + "?provider_config_key=ms&force_refresh=true";
    entra.answer(n -> ScriptedTokenEndpoint.issued(ROLES, 3599));
    assertThat(s.get(path).status()).isEqualTo(200);
    entra.answer(n -> ScriptedTokenEndpoint.rejected(401, "invalid_client", 7000215, "Invalid client secret provided."));
    for (int i = 0; i < 3; i++) {
      advancePastTheBackoff(s);
      assertThat(s.get(path).code()).isEqualTo("invalid_credentials");
    }
    entra.answer(n -> ScriptedTokenEndpoint.issued(ROLES, 3599));
    advancePastTheBackoff(s);
    assertThat(s.get(path).status()).isEqualTo(200);
    entra.answer(n -> ScriptedTokenEndpoint.rejected(401, "invalid_client", 7000215, "Invalid client secret provided."));
    for (int i = 0; i < 2; i++) {
      advancePastTheBackoff(s);
      assertThat(s.get(path).code()).isEqualTo("invalid_credentials");
    }
    // Everything the outbox holds has been sent: no third announcement is on its way.
    awaitDrained(s);
    List<JsonNode> failures = refreshEvents(cid);
    assertThat(failures).as("five failed refreshes, two moves into a failing status").hasSize(2);
    for (JsonNode e : failures) {
      assertThat(e.path("success").asBoolean()).isFalse();
      assertThat(e.has("endUser")).isFalse();
      assertThat(e.path("error").path("type").asText()).isEqualTo("client_credentials_fetch_error");
      assertThat(e.path("error").path("description").asText()).contains("AADSTS7000215");
    }
  }

  /**
   * The refresh backoff is 30 s of the settable clock; delivery leases run on it too, so the outbox is drained first
   * (a jump of minutes during an attempt would let its lease run out, as if the sender had died).
   */
  static void advancePastTheBackoff(ApiClient s) {
    awaitDrained(s);
    clock.advance(Duration.ofMinutes(2));
  }

  static void awaitDrained(ApiClient s) {
    await().atMost(Duration.ofSeconds(20)).until(() -> s.get("/webhooks/deliveries?status=pending").json().path("data").isEmpty()
        && s.get("/webhooks/deliveries?status=sending").json().path("data").isEmpty());
  }

  static List<JsonNode> refreshEvents(String cid) {
    return events(receiver, "/scripted").stream()
        .filter(e -> e.path("connectionId").asText().equals(cid) && e.path("operation").asText().equals("refresh")).toList();
  }
}

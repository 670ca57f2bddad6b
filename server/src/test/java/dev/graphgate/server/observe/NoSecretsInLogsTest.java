package dev.graphgate.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.connect.ConsentStateKey;
import dev.graphgate.server.secret.EncryptionKey;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.LogCapture;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestCertificates;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.WebhookReceiver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Captures every log line of a full run, at DEBUG, including failures, and finds no secret or token in any. */
class NoSecretsInLogsTest {
  @TempDir Path dataDir;
  @RegisterExtension final LogCapture logs = LogCapture.root().atLevel(Level.DEBUG);

  @Test
  void aFullRunLogsNoSecretKeyClientSecretPrivateKeyOrToken() throws Exception {
    List<String> secrets = new ArrayList<>();
    SettableClock clock = SettableClock.atSystemTime();
    ScriptedTokenEndpoint entra = new ScriptedTokenEndpoint();
    try (TestDatabase db = TestDatabase.h2();
        WebhookReceiver receiver = WebhookReceiver.started();
        Graphgate g = Graphgate.start(TestServers.config(db, dataDir).webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true)
                .withSigningKey(Optional.of("env-signing-key-0123456789abcdef"), Duration.ofHours(1))).build(),
            Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance).withTokenEndpoint(entra))) {
      ApiClient api = TestServers.client(g);
      TestCertificates cert = TestCertificates.generate("logs");
      secrets.add(TestServers.SECRET_KEY);
      secrets.add("very-secret-client-secret");
      secrets.add("shared-app-secret-value");
      secrets.add(cert.privateKeyPem().lines().skip(1).findFirst().orElseThrow());
      // webhooks: a key from the environment, one set through the API (and a refused one), one made by a rotation
      secrets.add("env-signing-key-0123456789abcdef");
      secrets.add("api-signing-key-0123456789abcdef");
      secrets.add("refused signing key 0123456789");
      api.patch("/webhooks/settings", "{\"primary_url\":\"" + receiver.url("/hooks") + "\",\"signing_key\":\"api-signing-key-0123456789abcdef\"}");
      api.patch("/webhooks/settings", "{\"signing_key\":\"refused signing key 0123456789\"}");
      secrets.add(api.post("/environment/webhook-signing-key/rotate", "").json().path("data").path("webhook_signing_key").asText());
      api.post("/integrations", """
          {"unique_key":"ms","provider":"microsoft-oauth2-cc","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
           "client_secret":"shared-app-secret-value"}}""");
      api.post("/integrations", "{\"unique_key\":\"cert\",\"provider\":\"microsoft-oauth2-cc-cert\"}");
      api.post("/connections", """
          {"provider_config_key":"ms","connection_id":"c","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
           "client_secret":"very-secret-client-secret"},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}""");
      api.post("/connections", """
          {"provider_config_key":"cert","connection_id":"k","credentials":{"type":"TWO_STEP","clientId":"11112222-bbbb-3333-cccc-4444dddd5555",
           "privateKey":%s,"certificate":%s},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}"""
          .formatted(Json.write(cert.privateKeyPem()), Json.write(cert.certificatePem())));
      secrets.add(api.get("/connections/c?provider_config_key=ms").json().path("credentials").path("token").asText());
      secrets.add(api.get("/connections/k?provider_config_key=cert").json().path("credentials").path("token").asText());
      entra.seen().forEach(r -> {
        if (r.form().containsKey("client_assertion")) {
          secrets.add(r.form().get("client_assertion"));
        }
      });
      // failures: bad secret, backoff, unreachable, malformed and unauthorised requests
      entra.answer(n -> ScriptedTokenEndpoint.rejected(401, "invalid_client", 7000215, "Invalid client secret provided."));
      api.get("/connections/c?provider_config_key=ms&force_refresh=true");
      clock.advance(Duration.ofSeconds(1));
      api.get("/connections/c?provider_config_key=ms&force_refresh=true");
      entra.answer(n -> ScriptedTokenEndpoint.unavailable());
      clock.advance(Duration.ofHours(2));
      api.get("/connections/k?provider_config_key=cert");
      api.post("/connections", "{\"provider_config_key\":\"ms\",\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"x\",\"client_secret\":\"very-secret-client-secret\"},\"connection_config\":{\"tenantId\":\"../evil\"}}");
      api.post("/connections", "{\"provider_config_key\":\"ms\",\"credentials\":{\"client_secret\":\"very-secret-client-secret\"");
      new ApiClient(g.baseUrl(), "0b8a7f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b").get("/connections");
      // admin consent: a link's state, used, replayed and tampered with; the key that signs states
      entra.answer(n -> ScriptedTokenEndpoint.issued(null, 3599));
      String state = ConsentFlow.queryParam(ConsentFlow.link(api.get("/connections/c?provider_config_key=ms&force_refresh=true")), "state");
      secrets.add(state);
      ApiClient browser = new ApiClient(g.baseUrl(), null);
      browser.get("/admin-consent/callback?admin_consent=True&tenant=contoso.onmicrosoft.com&state=" + state);
      browser.get("/admin-consent/callback?admin_consent=True&tenant=contoso.onmicrosoft.com&state=" + state);
      browser.get("/admin-consent/callback?admin_consent=True&tenant=contoso.onmicrosoft.com&state=" + state.substring(0, state.length() - 2));
      try (java.sql.Connection c = db.open(); java.sql.Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT setting_value FROM settings WHERE name = '" + ConsentStateKey.SETTING + "'")) {
        rs.next();
        String stateKey = new SecretBox(EncryptionKey.fromBase64(TestServers.ENCRYPTION_KEY), List.of(), new SecureRandom())
            .unseal(rs.getString(1), ConsentStateKey.PURPOSE);
        secrets.add(stateKey);
        secrets.add(java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(stateKey)));
      }
      // connect sessions: the token as a bearer, in a creation's query, in a telemetry beacon; a session's consent state
      String session = api.post("/connect/sessions", "{\"end_user\":{\"id\":\"logs\"}}").json().path("data").path("token").asText();
      secrets.add(session);
      ApiClient ui = new ApiClient(g.baseUrl(), session);
      ui.get("/connect/session");
      String creation = "/oauth2/auth/ms?connect_session_token=" + session + "&params%5BtenantId%5D=contoso.onmicrosoft.com";
      String body = "{\"client_id\":\"11112222-bbbb-3333-cccc-4444dddd5555\",\"client_secret\":\"very-secret-client-secret\"}";
      browser.post(creation, body);
      entra.answer(n -> ScriptedTokenEndpoint.rejected(401, "invalid_client", 7000215, "Invalid client secret provided."));
      browser.post(creation, body);
      browser.post("/connect/telemetry", "{\"token\":\"%s\",\"event\":\"open\",\"timestamp\":\"%s\"}".formatted(session, clock.instant()));
      entra.answer(n -> ScriptedTokenEndpoint.issued(null, 3599));
      String sessionState = ConsentFlow.queryParam(ui.post("/connect/admin-consent", "{\"integration\":\"ms\"}").json().path("data").path("url")
          .asText(), "state");
      secrets.add(sessionState);
      browser.get("/admin-consent/callback?admin_consent=True&tenant=8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41&state=" + sessionState);
      browser.get("/admin-consent/callback?admin_consent=True&tenant=8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41&state=" + sessionState);
      ui.delete("/connect/session");
      g.lastFetched().flush();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 2);
      receiver.received().forEach(w -> secrets.add(w.header("x-nango-hmac-sha256")));
    }
    assertThat(logs.events()).as("the run logged something").isNotEmpty();
    String all = logs.text();
    assertThat(all).contains("invalid_credentials").contains("GET /connections/c");
    for (String secret : secrets) {
      assertThat(secret).isNotBlank();
      assertThat(all).doesNotContain(secret);
    }
  }
}

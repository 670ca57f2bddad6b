package dev.graphgate.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of the webhook routes gets a coded 4xx and changes nothing, on a server with the default outbound
 * policy (no loopback, private or link-local destinations); and a connect session's {@code webhook_url_override} is
 * checked against the same policy.
 */
class WebhookSettingsApiTest {
  @TempDir static Path dataDir;
  static TestDatabase db;
  static Graphgate server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    server = Graphgate.start(TestServers.config(db, dataDir).webhooks(WebhookConfig.defaults()).build());
    api = TestServers.client(server);
    assertThat(api.patch("/webhooks/settings", "{\"primary_url\":\"https://app.example.com/hooks\"}").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  static void assertUnchanged() {
    ApiClient.Response r = api.get("/webhooks/settings");
    assertThat(r.json().path("data").path("primary_url").asText()).isEqualTo("https://app.example.com/hooks");
    assertThat(r.json().path("data").path("secondary_url").isNull()).isTrue();
    assertThat(r.json().path("data").path("on_auth_creation").asBoolean()).isTrue();
  }

  @Test
  void aDestinationThePolicyRefusesIsA400WebhookUrlNotAllowed() {
    for (String url : List.of("http://127.0.0.1:8080/h", "http://localhost/h", "http://10.1.2.3/h", "http://192.168.0.10/h",
        "http://172.20.0.1/h", "http://169.254.169.254/latest", "http://[::1]/h", "http://[fd00::1]/h", "http://[::ffff:10.0.0.1]/h",
        "http://0.0.0.0/h", "https://api.nango.dev/hooks", "ftp://app.example.com/h", "https://user:pw@app.example.com/h",
        "http://metadata.google.internal/x", "not a url")) {
      ApiClient.Response r = api.patch("/webhooks/settings", "{\"secondary_url\":\"" + url + "\",\"on_auth_creation\":false}");
      assertThat(r.status()).as(url + ": " + r.body()).isEqualTo(400);
      assertThat(r.code()).as(url).isEqualTo("webhook_url_not_allowed");
      assertThat(r.json().path("error").path("message").asText()).contains("secondary_url");
      assertUnchanged();
    }
  }

  @Test
  void aBodyThatBreaksTheSchemaIsA400InvalidBody() {
    for (String body : List.of("{\"primary\":\"https://x.example.com\"}", "{\"on_auth_creation\":\"yes\"}", "{\"signing_key\":\"short\"}",
        "{\"signing_key\":\"has spaces in it, sixteen+\"}", "{\"primary_url\":42}", "{\"signing_key\":12345678901234567}")) {
      ApiClient.Response r = api.patch("/webhooks/settings", body);
      assertThat(r.status()).as(body + ": " + r.body()).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("invalid_body");
      assertUnchanged();
    }
    assertThat(api.patch("/webhooks/settings", "[]").status()).isEqualTo(400);
    assertThat(api.patch("/webhooks/settings", "{").code()).isEqualTo("invalid_json");
    assertUnchanged();
  }

  @Test
  void theRoutesNeedTheSecretKey() {
    ApiClient anonymous = new ApiClient(server.baseUrl(), null);
    assertThat(anonymous.get("/webhooks/settings").code()).isEqualTo("missing_auth_header");
    assertThat(anonymous.get("/webhooks/deliveries").code()).isEqualTo("missing_auth_header");
    assertThat(anonymous.post("/environment/webhook-signing-key/rotate", "").code()).isEqualTo("missing_auth_header");
    assertThat(anonymous.post("/webhooks/deliveries/1/retry", "").code()).isEqualTo("missing_auth_header");
  }

  @Test
  void theDeliveriesRoutesRefuseBadInputWithCodes() {
    assertThat(api.get("/webhooks/deliveries?status=lost").code()).isEqualTo("invalid_query_params");
    assertThat(api.get("/webhooks/deliveries?limit=0").code()).isEqualTo("invalid_query_params");
    assertThat(api.get("/webhooks/deliveries?colour=red").code()).isEqualTo("invalid_query_params");
    assertThat(api.post("/webhooks/deliveries/abc/retry", "").code()).isEqualTo("invalid_uri_params");
    ApiClient.Response missing = api.post("/webhooks/deliveries/987654/retry", "");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("not_found");
  }

  /** The stored override of connection {@code cid} (reading it through the API would fetch a token first). */
  static String storedOverride(String cid) {
    try (java.sql.Connection c = db.open();
        java.sql.PreparedStatement s = c.prepareStatement("SELECT webhook_url_override FROM connections WHERE connection_id = ?")) {
      s.setString(1, cid);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aConnectionsOverrideThePolicyRefusesIsA400AndNothingIsStoredOrChanged() {
    assertThat(api.post("/integrations", "{\"unique_key\":\"hooks\",\"provider\":\"microsoft-oauth2-cc\"}").status()).isEqualTo(200);
    String body = """
        {"provider_config_key":"hooks","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"7f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
         "client_secret":"s"},"connection_config":{"tenantId":"3c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e41"}%s}""";
    ApiClient.Response refused = api.post("/connections", body.formatted("refused", ",\"webhook_url_override\":\"http://192.168.1.5/h\""));
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("webhook_url_not_allowed");
    assertThat(storedOverride("refused")).as("not stored").isNull();

    assertThat(api.post("/connections", body.formatted("kept", ",\"webhook_url_override\":\"https://app.example.com/k\"")).status()).isEqualTo(201);
    ApiClient.Response patched = api.patch("/connections/kept?provider_config_key=hooks", "{\"webhook_url_override\":\"http://127.0.0.1/h\"}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(400);
    assertThat(patched.code()).isEqualTo("webhook_url_not_allowed");
    assertThat(storedOverride("kept")).isEqualTo("https://app.example.com/k");
    assertThat(api.patch("/connections/kept?provider_config_key=hooks", "{\"webhook_url_override\":\"\"}").status()).isEqualTo(200);
  }

  @Test
  void aConnectSessionsOverrideThePolicyRefusesIsA400AndNoSession() {
    for (String url : List.of("http://127.0.0.1:9/hooks", "http://10.0.0.7/hooks", "http://[fe80::1]/x")) {
      ApiClient.Response r = api.post("/connect/sessions", "{\"end_user\":{\"id\":\"u\"},\"webhook_url_override\":\"" + url + "\"}");
      assertThat(r.status()).as(url + ": " + r.body()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("webhook_url_not_allowed");
      assertThat(r.json().path("error").path("message").asText()).contains("webhook_url_override").doesNotContain(url);
    }
    assertThat(api.post("/connect/sessions", "{\"end_user\":{\"id\":\"u\"},\"webhook_url_override\":\"https://app.example.com/h\"}").status())
        .isEqualTo(201);
  }
}

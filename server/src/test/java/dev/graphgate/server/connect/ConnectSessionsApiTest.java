package dev.graphgate.server.connect;

import static dev.graphgate.server.testing.ConnectSessionsRig.asSession;
import static dev.graphgate.server.testing.ConnectSessionsRig.session;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connect session routes as nango-api.md §3.5 describes them: the strict bodies and their rules, the answers'
 * shapes, expiry, deletion, telemetry, and where a session token is accepted (and where it is not).
 */
class ConnectSessionsApiTest {
  static final String TENANT = "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f";

  static ApiClient api;
  static final SettableClock clock = SettableClock.atSystemTime();
  static String ms;
  static String other;
  static String cert;

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2()
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(d -> { }));

  @BeforeAll
  static void start() {
    api = graphgate.api();
    ms = integration("microsoft-oauth2-cc");
    other = integration("microsoft-oauth2-cc");
    cert = integration("microsoft-oauth2-cc-cert");
  }

  static String integration(String provider) {
    String key = TestServers.randomKey();
    assertThat(api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"%s\"}".formatted(key, provider)).status()).isEqualTo(200);
    return key;
  }

  static void assertFieldError(ApiClient.Response r, String code, String path, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo(code);
    List<String> found = new ArrayList<>();
    r.json().path("error").path("errors").forEach(e -> found.add(e.path("path").toString() + " " + e.path("message").asText()));
    assertThat(found).as(r.body()).anySatisfy(e -> assertThat(e).startsWith(path + " ").contains(message));
  }

  @Test
  void createAnswersATokenALinkAndTheExpiryAndGetAnswersTheSessionInNangosShape() {
    Instant now = clock.instant();
    ApiClient.Response created = api.post("/connect/sessions", """
        {"end_user":{"id":"u-1","email":"ann@example.com","display_name":"Ann","tags":{"plan":"pro"}},
         "organization":{"id":"org-1","display_name":"Acme"},
         "tags":{"workspace":"w-9"},
         "allowed_integrations":["%s"],
         "integrations_config_defaults":{"%s":{"user_scopes":"x","authorization_params":{"k":"v"},
            "connection_config":{"tenantId":"%s","oauth_scopes":"https://graph.microsoft.com/.default"}}},
         "overrides":{"%s":{"docs_connect":"https://docs.example.com/connect"}}}""".formatted(ms, ms, TENANT, ms));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode data = created.json().path("data");
    String token = data.path("token").asText();
    assertThat(token).matches("nango_connect_session_[0-9a-f]{64}");
    assertThat(data.path("connect_link").asText()).isEqualTo(graphgate.server().config().publicUrlFor(graphgate.server().port()) + "/connect/?session_token=" + token);
    assertThat(Instant.parse(data.path("expires_at").asText())).isBetween(now.plus(Duration.ofMinutes(30)).minusSeconds(1),
        now.plus(Duration.ofMinutes(30)).plusSeconds(1));
    assertThat(data.path("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    ApiClient.Response got = asSession(graphgate.server(), token).get("/connect/session");
    assertThat(got.status()).as(got.body()).isEqualTo(200);
    JsonNode s = got.json().path("data");
    assertThat(s.path("endUser").toString()).isEqualTo(
        "{\"id\":\"u-1\",\"email\":\"ann@example.com\",\"display_name\":\"Ann\",\"tags\":{\"plan\":\"pro\"},"
            + "\"organization\":{\"id\":\"org-1\",\"display_name\":\"Acme\"}}");
    assertThat(s.path("allowed_integrations").toString()).isEqualTo("[\"" + ms + "\"]");
    assertThat(s.path("integrations_config_defaults").path(ms).path("connection_config").path("tenantId").asText()).isEqualTo(TENANT);
    assertThat(s.path("integrations_config_defaults").path(ms).path("authorization_params").path("k").asText()).isEqualTo("v");
    assertThat(s.path("overrides").path(ms).path("docs_connect").asText())
        .as("honoured: Nango answers 403 forbidden unless the plan allows it; Graphgate has no plans").isEqualTo("https://docs.example.com/connect");
    assertThat(s.path("connectUISettings").path("defaultTheme").asText()).isEqualTo("system");
    assertThat(s.has("isReconnecting")).isFalse();
  }

  @Test
  void theTokenIsStoredOnlyAsItsSha256() throws Exception {
    String token = session(api, "{\"end_user\":{\"id\":\"hash-me\"}}");
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    try (Connection c = graphgate.db().open(); PreparedStatement s = c.prepareStatement("SELECT * FROM connect_sessions WHERE token_sha256 = ?")) {
      s.setString(1, digest);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        ResultSetMetaData meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          assertThat(String.valueOf(rs.getObject(i))).as(meta.getColumnName(i)).doesNotContain(token.substring("nango_connect_session_".length()));
        }
      }
    }
  }

  @Test
  void endUserIsRequiredUnlessTopLevelTagsAreGiven() {
    assertFieldError(api.post("/connect/sessions", "{}"), "invalid_body", "[\"end_user\"]", "expected object");
    assertFieldError(api.post("/connect/sessions", "{\"allowed_integrations\":[\"" + ms + "\"]}"), "invalid_body", "[\"end_user\"]", "expected object");
    String tagsOnly = session(api, "{\"tags\":{}}");
    JsonNode s = asSession(graphgate.server(), tagsOnly).get("/connect/session").json().path("data");
    assertThat(s.path("endUser").isNull()).as(s.toString()).isTrue();
    assertFieldError(api.post("/connect/sessions", "{\"end_user\":{\"email\":\"a@b.com\"}}"), "invalid_body", "[\"end_user\",\"id\"]", "expected string");
  }

  @Test
  void bodiesAreStrictAtEveryLevel() {
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"connection_id\":\"x\"}"), "invalid_body", "[]", "Unrecognized key: \"connection_id\"");
    assertFieldError(api.post("/connect/sessions", "{\"end_user\":{\"id\":\"u\",\"name\":\"x\"}}"), "invalid_body", "[\"end_user\"]", "Unrecognized key");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"organization\":{\"id\":\"o\",\"x\":1}}"), "invalid_body", "[\"organization\"]",
        "Unrecognized key");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"integrations_config_defaults\":{\"%s\":{\"scopes\":\"x\"}}}".formatted(ms)),
        "invalid_body", "[\"integrations_config_defaults\",\"" + ms + "\"]", "Unrecognized key: \"scopes\"");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"overrides\":{\"%s\":{\"logo\":\"x\"}}}".formatted(ms)),
        "invalid_body", "[\"overrides\",\"" + ms + "\"]", "Unrecognized key: \"logo\"");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"allowed_integrations\":\"" + ms + "\"}"), "invalid_body",
        "[\"allowed_integrations\"]", "expected array");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"integrations_config_defaults\":{\"%s\":{\"authorization_params\":{\"k\":1}}}}"
        .formatted(ms)), "invalid_body", "[\"integrations_config_defaults\",\"" + ms + "\",\"authorization_params\",\"k\"]", "expected string");
    ApiClient.Response query = api.post("/connect/sessions?x=1", "{\"tags\":{}}");
    assertThat(query.status()).isEqualTo(400);
    assertThat(query.code()).isEqualTo("invalid_query_params");
    ApiClient.Response form = api.send(api.request("/connect/sessions").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("tags=x")));
    assertThat(form.status()).isEqualTo(415);
    assertThat(form.code()).isEqualTo("invalid_content_type");
  }

  @Test
  void tagsFollowNangosRules() {
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{\"1bad\":\"x\"}}"), "invalid_body", "[\"tags\",\"1bad\"]", "start with a letter");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{\"Env\":\"a\",\"env\":\"b\"}}"), "invalid_body", "[\"tags\",\"env\"]",
        "Duplicate tag key after case normalization");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{\"k\":\"\"}}"), "invalid_body", "[\"tags\",\"k\"]", "1 to 255");
    StringBuilder eleven = new StringBuilder("{");
    for (int i = 0; i < 11; i++) {
      eleven.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"v\"");
    }
    assertFieldError(api.post("/connect/sessions", "{\"tags\":" + eleven + "}}"), "invalid_body", "[\"tags\"]", "At most 10");
    // end_user and organization make 5 tags; 6 more at the top level would give the connection 11.
    assertFieldError(api.post("/connect/sessions", """
        {"end_user":{"id":"u","email":"u@example.com","display_name":"U"},"organization":{"id":"o","display_name":"O"},
         "tags":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"}}"""), "invalid_body", "[\"tags\"]", "would carry 11 tags");
    assertThat(api.post("/connect/sessions", """
        {"end_user":{"id":"u","email":"u@example.com","display_name":"U"},"organization":{"id":"o","display_name":"O"},
         "tags":{"a":"1","b":"2","c":"3","d":"4","e":"5"}}""").status()).isEqualTo(201);
    assertFieldError(api.post("/connect/sessions", "{\"end_user\":{\"id\":\"u\",\"tags\":{\"end_user_email\":\"not-an-email\"}}}"),
        "invalid_body", "[\"end_user\",\"tags\",\"end_user_email\"]", "valid email");
  }

  @Test
  void everyIntegrationNamedMustExist() {
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"allowed_integrations\":[\"%s\",\"nope-1\"]}".formatted(ms)),
        "invalid_body", "[\"allowed_integrations\",1]", "Integration does not exist");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"integrations_config_defaults\":{\"nope-2\":{}}}"),
        "invalid_body", "[\"integrations_config_defaults\",\"nope-2\"]", "Integration does not exist");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"overrides\":{\"nope-3\":{\"docs_connect\":\"https://x.example\"}}}"),
        "invalid_body", "[\"overrides\",\"nope-3\"]", "Integration does not exist");
  }

  @Test
  void presetsAndLinksAreCheckedWhenTheSessionIsCreated() {
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"integrations_config_defaults\":{\"%s\":{\"connection_config\":{\"tenantId\":\"../x\"}}}}"
        .formatted(ms)), "invalid_body", "[\"integrations_config_defaults\",\"" + ms + "\",\"connection_config\",\"tenantId\"]", "AADSTS900023");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"integrations_config_defaults\":{\"%s\":{\"connection_config\":{\"tenantId\":\"common\"}}}}"
        .formatted(ms)), "invalid_body", "[\"integrations_config_defaults\",\"" + ms + "\",\"connection_config\",\"tenantId\"]", "not a tenant");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"integrations_config_defaults\":{\"%s\":{\"connection_config\":{\"oauth_scopes\":\"User.Read\"}}}}"
        .formatted(ms)), "invalid_body", "[\"integrations_config_defaults\",\"" + ms + "\",\"connection_config\",\"oauth_scopes\"]", "/.default");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"overrides\":{\"%s\":{\"docs_connect\":\"javascript:alert(1)\"}}}".formatted(ms)),
        "invalid_body", "[\"overrides\",\"" + ms + "\",\"docs_connect\"]", "http or https URL");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"webhook_url_override\":\"ftp://app.example.com/hooks\"}"),
        "invalid_body", "[\"webhook_url_override\"]", "http or https URL");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"webhook_url_override\":\"https://api.nango.dev/hooks\"}"),
        "invalid_body", "[\"webhook_url_override\"]", "Nango's own servers");
    assertFieldError(api.post("/connect/sessions", "{\"tags\":{},\"integrations_config_defaults\":{\"%s\":{\"connection_config\":{\"webhook_url\":\"nope\"}}}}"
        .formatted(ms)), "invalid_body", "[\"integrations_config_defaults\",\"" + ms + "\",\"connection_config\",\"webhook_url\"]", "http or https URL");
    assertThat(api.post("/connect/sessions", "{\"tags\":{},\"webhook_url_override\":\"\"}").status()).isEqualTo(201);
  }

  @Test
  void aSessionExpiresAfterThirtyMinutes() {
    String token = session(api, "{\"end_user\":{\"id\":\"expiring\"}}");
    ApiClient ui = asSession(graphgate.server(), token);
    clock.advance(Duration.ofMinutes(30).minusSeconds(1));
    assertThat(ui.get("/connect/session").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    ApiClient.Response expired = ui.get("/connect/session");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.code()).isEqualTo("unknown_connect_session_token");
    assertThat(ui.get("/integrations").code()).isEqualTo("unknown_connect_session_token");
  }

  @Test
  void theLifetimeIsASetting(@TempDir Path otherDir) {
    try (TestDatabase otherDb = TestDatabase.h2();
        Graphgate shortLived = Graphgate.start(TestServers.config(otherDb, otherDir).connectSessionTtl(Duration.ofMinutes(5)).build(),
            Graphgate.Options.defaults().withClock(clock))) {
      Instant now = clock.instant();
      JsonNode data = TestServers.client(shortLived).post("/connect/sessions", "{\"tags\":{}}").json().path("data");
      assertThat(Instant.parse(data.path("expires_at").asText())).isBetween(now.plus(Duration.ofMinutes(5)).minusSeconds(1),
          now.plus(Duration.ofMinutes(5)).plusSeconds(1));
      ApiClient ui = asSession(shortLived, data.path("token").asText());
      clock.advance(Duration.ofMinutes(5));
      assertThat(ui.get("/connect/session").code()).isEqualTo("unknown_connect_session_token");
    }
  }

  @Test
  void deleteEndsTheSession() {
    String token = session(api, "{\"end_user\":{\"id\":\"leaving\"}}");
    ApiClient ui = asSession(graphgate.server(), token);
    ApiClient.Response deleted = ui.delete("/connect/session");
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    assertThat(ui.get("/connect/session").code()).isEqualTo("unknown_connect_session_token");
    assertThat(ui.delete("/connect/session").code()).isEqualTo("unknown_connect_session_token");
  }

  @Test
  void sessionOnlyRoutesRefuseEverythingButASessionToken() {
    ApiClient anonymous = new ApiClient(graphgate.server().baseUrl(), null);
    assertThat(anonymous.get("/connect/session").code()).isEqualTo("missing_auth_header");
    assertThat(anonymous.send(anonymous.request("/connect/session").header("Authorization", "Basic eDp5").GET()).code())
        .isEqualTo("malformed_auth_header");
    ApiClient.Response withKey = api.get("/connect/session");
    assertThat(withKey.status()).isEqualTo(401);
    assertThat(withKey.code()).isEqualTo("invalid_connect_session_token_format");
    assertThat(withKey.json().path("error").has("payload")).isTrue();
    assertThat(asSession(graphgate.server(), "nango_connect_session_abc").get("/connect/session").code()).isEqualTo("invalid_connect_session_token_format");
    assertThat(asSession(graphgate.server(), "nango_connect_session_" + "A".repeat(64)).get("/connect/session").code())
        .as("Nango's format is lower-case hex").isEqualTo("invalid_connect_session_token_format");
    ApiClient.Response unknown = asSession(graphgate.server(), "nango_connect_session_" + "0".repeat(64)).get("/connect/session");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.code()).isEqualTo("unknown_connect_session_token");
    assertThat(api.post("/connect/admin-consent", "{\"integration\":\"" + ms + "\"}").code()).isEqualTo("invalid_connect_session_token_format");
  }

  @Test
  void aSessionTokenOpensOnlyTheRoutesNangoOpensToIt() {
    String token = session(api, "{\"end_user\":{\"id\":\"ui\"},\"allowed_integrations\":[\"" + ms + "\"]}");
    ApiClient ui = asSession(graphgate.server(), token);
    ApiClient.Response integrations = ui.get("/integrations");
    assertThat(integrations.status()).as(integrations.body()).isEqualTo(200);
    assertThat(integrations.json().path("data")).extracting(n -> n.path("unique_key").asText()).containsExactly(ms);
    assertThat(api.get("/integrations").json().path("data")).extracting(n -> n.path("unique_key").asText()).contains(ms, other, cert);
    assertThat(ui.get("/providers/microsoft-oauth2-cc").status()).isEqualTo(200);
    assertThat(ui.get("/providers").status()).isEqualTo(200);
    for (ApiClient.Response refused : List.of(ui.get("/connections"), ui.get("/integrations/" + ms), ui.post("/connect/sessions", "{\"tags\":{}}"),
        ui.post("/integrations", "{\"unique_key\":\"x\",\"provider\":\"microsoft-oauth2-cc\"}"), ui.get("/logs"), ui.get("/proxy/v1.0/users"))) {
      assertThat(refused.status()).as(refused.body()).isEqualTo(401);
      assertThat(refused.code()).isEqualTo("unknown_connect_session_token");
    }
    String everything = session(api, "{\"end_user\":{\"id\":\"ui\"}}");
    assertThat(asSession(graphgate.server(), everything).get("/integrations").json().path("data")).extracting(n -> n.path("unique_key").asText())
        .as("a session without allowed_integrations lists them all").contains(ms, other, cert);
    String emptyList = session(api, "{\"end_user\":{\"id\":\"ui\"},\"allowed_integrations\":[]}");
    assertThat(asSession(graphgate.server(), emptyList).get("/connect/session").json().path("data").has("allowed_integrations"))
        .as("Nango's rule: an empty list restricts nothing").isFalse();
  }

  @Test
  void reconnectSessionsAreBoundToAnExistingConnection() {
    String cid = "reconnect-" + TestServers.randomKey();
    ApiClient.Response imported = api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"c","client_secret":"s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(ms, cid, TENANT));
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    ApiClient.Response created = api.post("/connect/sessions/reconnect", "{\"connection_id\":\"%s\",\"integration_id\":\"%s\"}".formatted(cid, ms));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode s = asSession(graphgate.server(), created.json().path("data").path("token").asText()).get("/connect/session").json().path("data");
    assertThat(s.path("isReconnecting").asBoolean()).isTrue();
    assertThat(s.path("allowed_integrations").toString()).isEqualTo("[\"" + ms + "\"]");
    assertThat(s.path("endUser").isNull()).isTrue();

    for (String body : List.of("{\"connection_id\":\"nope\",\"integration_id\":\"%s\"}".formatted(ms),
        "{\"connection_id\":\"%s\",\"integration_id\":\"%s\"}".formatted(cid, other), "{\"connection_id\":\"%s\",\"integration_id\":\"nope\"}".formatted(cid))) {
      ApiClient.Response missing = api.post("/connect/sessions/reconnect", body);
      assertThat(missing.status()).as(body).isEqualTo(400);
      assertThat(missing.code()).isEqualTo("invalid_body");
      assertThat(missing.json().path("error").path("message").asText()).isEqualTo("ConnectionID or IntegrationId does not exists");
    }
    assertFieldError(api.post("/connect/sessions/reconnect", "{\"integration_id\":\"%s\"}".formatted(ms)), "invalid_body", "[\"connection_id\"]",
        "expected string");
    assertFieldError(api.post("/connect/sessions/reconnect", "{\"connection_id\":\"%s\",\"integration_id\":\"%s\",\"allowed_integrations\":[]}"
        .formatted(cid, ms)), "invalid_body", "[]", "Unrecognized key: \"allowed_integrations\"");
  }

  @Test
  void telemetryIsCountedPerEventFromABeaconWithTheTokenInTheBody() {
    String token = session(api, "{\"end_user\":{\"id\":\"beacon\"}}");
    ApiClient anonymous = new ApiClient(graphgate.server().baseUrl(), null);
    long before = count("click:connect");
    String beacon = "{\"token\":\"%s\",\"event\":\"click:connect\",\"timestamp\":\"%s\",\"dimensions\":{\"integration\":\"%s\"}}"
        .formatted(token, clock.instant(), ms);
    // navigator.sendBeacon sends a string as text/plain.
    ApiClient.Response asText = anonymous.send(anonymous.request("/connect/telemetry").header("Content-Type", "text/plain;charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(beacon)));
    assertThat(asText.status()).as(asText.body()).isEqualTo(204);
    assertThat(anonymous.post("/connect/telemetry", beacon).status()).isEqualTo(204);
    assertThat(count("click:connect")).isEqualTo(before + 2);

    assertFieldError(anonymous.post("/connect/telemetry", beacon.replace("click:connect", "click:everything")), "invalid_body", "[\"event\"]",
        "Invalid option");
    assertFieldError(anonymous.post("/connect/telemetry", beacon.replace(clock.instant().toString(), clock.instant().minus(Duration.ofHours(3)).toString())),
        "invalid_body", "[\"timestamp\"]", "more than 2 hours");
    assertFieldError(anonymous.post("/connect/telemetry", beacon.replace("\"dimensions\"", "\"extra\":1,\"dimensions\"")), "invalid_body", "[]",
        "Unrecognized key: \"extra\"");
    assertThat(anonymous.post("/connect/telemetry", "{\"event\":\"open\"}").code()).isEqualTo("missing_auth_header");
    assertThat(anonymous.post("/connect/telemetry", beacon.replace(token, "nango_connect_session_" + "1".repeat(64))).code())
        .isEqualTo("unknown_connect_session_token");
    ApiClient.Response xml = anonymous.send(anonymous.request("/connect/telemetry").header("Content-Type", "application/xml")
        .POST(HttpRequest.BodyPublishers.ofString(beacon)));
    assertThat(xml.status()).isEqualTo(415);
    assertThat(count("click:connect")).as("refused beacons count nothing").isEqualTo(before + 2);
  }

  static long count(String event) {
    try (Connection c = graphgate.db().open(); PreparedStatement s = c.prepareStatement("SELECT event_count FROM connect_telemetry WHERE event = ?")) {
      s.setString(1, event);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.graphgate.server.connect;

import static dev.graphgate.server.testing.ConnectSessionsRig.connectionCount;
import static dev.graphgate.server.testing.ConnectSessionsRig.create;
import static dev.graphgate.server.testing.ConnectSessionsRig.session;
import static dev.graphgate.server.testing.ConnectSessionsRig.tenantParam;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestCertificates;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creating a connection through a connect session, as the frontend SDK does (nango-api.md §3.6): the credentials are
 * proved with one token request at the emulator before anything is stored; the connection gets the session's tags and
 * end user; every refusal answers Nango's code, says what to do, and stores nothing; the tenant id is checked on the
 * server whatever the page sends.
 */
class SessionCreationTest {
  static final String CONTOSO = "3c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e41";
  static final String FABRIKAM = "3d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f52";
  static final String NORTHWIND = "3e3f4a5b-6c7d-4e8f-8a9b-1c2d3e4f5a63";
  static final String SECRET = "creation-secret";
  static final List<String> ROLES = List.of("User.Read.All", "Mail.Read");
  static final String OAUTH2 = "/oauth2/auth/";
  static final String TWO_STEP = "/auth/two-step/";

  static ApiClient api;
  static final SettableClock clock = SettableClock.atSystemTime();
  static final TestCertificates certificate = TestCertificates.generate("session-creation");
  static String app;
  static String certApp;
  static String ms;
  static String other;
  static String certKey;

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2().withEmulator()
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance));

  @BeforeAll
  static void start() {
    graphgate.emulator().tenant(CONTOSO, "contoso-c.onmicrosoft.com");
    graphgate.emulator().tenant(FABRIKAM, "fabrikam-c.onmicrosoft.com");
    graphgate.emulator().tenant(NORTHWIND, "northwind-c.onmicrosoft.com");
    api = graphgate.api();
    app = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(app, SECRET, ROLES, List.of(graphgate.server().config().publicUrlFor(graphgate.server().port()) + "/admin-consent/callback"));
    graphgate.emulator().grant(CONTOSO, app, ROLES);
    graphgate.emulator().grant(FABRIKAM, app, List.of());
    certApp = UUID.randomUUID().toString();
    graphgate.emulator().app(certApp, null, null, List.of(certificate.certificatePem()));
    graphgate.emulator().grant(CONTOSO, certApp, ROLES);
    ms = integration("microsoft-oauth2-cc");
    other = integration("microsoft-oauth2-cc");
    certKey = integration("microsoft-oauth2-cc-cert");
  }

  static String integration(String provider) {
    String key = TestServers.randomKey();
    assertThat(api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"%s\"}".formatted(key, provider)).status()).isEqualTo(200);
    return key;
  }

  static String secretBody(String secret) {
    return "{\"client_id\":\"%s\",\"client_secret\":\"%s\"}".formatted(app, secret);
  }

  static JsonNode connection(String key, String cid) {
    ApiClient.Response r = api.get("/connections/" + cid + "?provider_config_key=" + key);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** The answer is Nango's error and nothing was stored or sent to Entra. */
  static ApiClient.Response assertRefused(ApiClient.Response r, int status, String code, long connectionsBefore, long tokenRequests) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.code()).as(r.body()).isEqualTo(code);
    assertThat(r.json().path("error").path("message").asText()).as("every error says what to do").isNotBlank();
    assertThat(connectionCount(graphgate.db())).as("nothing stored").isEqualTo(connectionsBefore);
    assertThat(graphgate.emulator().tokenRequests()).as("token requests").isEqualTo(tokenRequests);
    return r;
  }

  @Test
  void aClientSecretCreatesTheConnectionWithTheSessionsTagsAndEndUser() {
    String token = session(api, """
        {"end_user":{"id":"u-1","email":"ann@example.com","display_name":"Ann","tags":{"Plan":"pro"}},
         "organization":{"id":"org-1","display_name":"Acme"},"tags":{"workspace":"w-9"},"allowed_integrations":["%s"],
         "webhook_url_override":"http://127.0.0.1:9/hooks"}""".formatted(ms));
    ApiClient.Response created = create(graphgate.server(), OAUTH2, ms, token, tenantParam(CONTOSO), secretBody(SECRET));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().path("providerConfigKey").asText()).isEqualTo(ms);
    String cid = created.json().path("connectionId").asText();
    assertThat(UUID.fromString(cid).version()).isEqualTo(4);
    assertThat(graphgate.emulator().tokenRequests()).as("one token request proved the secret").isEqualTo(1);

    JsonNode c = connection(ms, cid);
    assertThat(c.path("status").asText()).isEqualTo("ok");
    assertThat(c.path("granted_permissions")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(ROLES);
    assertThat(c.path("connection_config").path("tenantId").asText()).isEqualTo(CONTOSO);
    assertThat(c.path("connection_config").path("oauth_scopes").asText()).isEqualTo("https://graph.microsoft.com/.default");
    assertThat(Json.MAPPER.convertValue(c.path("tags"), Map.class)).isEqualTo(Map.of("end_user_id", "u-1", "end_user_email", "ann@example.com",
        "end_user_display_name", "Ann", "organization_id", "org-1", "organization_display_name", "Acme", "plan", "pro", "workspace", "w-9"));
    assertThat(c.path("end_user").path("id").asText()).isEqualTo("u-1");
    assertThat(c.path("end_user").path("organization").path("id").asText()).isEqualTo("org-1");
    assertThat(c.path("webhook_url_override").asText()).isEqualTo("http://127.0.0.1:9/hooks");
    assertThat(c.path("credentials").path("client_id").asText()).isEqualTo(app);
    assertThat(graphgate.emulator().tokenRequests()).as("the read is served the creation's token").isEqualTo(1);

    ApiClient.Response again = create(graphgate.server(), OAUTH2, ms, token, tenantParam(CONTOSO), secretBody(SECRET));
    assertThat(again.status()).as("a session is not used up by a connection").isEqualTo(200);
    assertThat(again.json().path("connectionId").asText()).isNotEqualTo(cid);
  }

  @Test
  void theSessionsPresetsWinOverWhatThePageSends() {
    String token = session(api, """
        {"end_user":{"id":"preset"},"integrations_config_defaults":{"%s":{"connection_config":{"tenantId":"%s"}}}}""".formatted(ms, CONTOSO));
    ApiClient.Response created = create(graphgate.server(), OAUTH2, ms, token, tenantParam(NORTHWIND), secretBody(SECRET));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(connection(ms, created.json().path("connectionId").asText()).path("connection_config").path("tenantId").asText()).isEqualTo(CONTOSO);
  }

  @Test
  void theServerChecksTheTenantIdWhateverThePageSends() {
    String token = session(api, "{\"end_user\":{\"id\":\"bypass\"}}");
    long before = connectionCount(graphgate.db());
    for (String tenant : List.of("../../evil.example/x", "common", "organizations", "consumers", "contoso", "a b.example.com",
        "00000000-0000-0000-0000-000000000000")) {
      assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenantParam(tenant), secretBody(SECRET)), 400, "invalid_tenant_id", before, 0);
    }
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, "", secretBody(SECRET)), 400, "invalid_tenant_id", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, "params%5BtenantId%5D=" + CONTOSO + "&params%5BtenantId%5D=" + NORTHWIND, secretBody(SECRET)),
        400, "invalid_query_params", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenantParam(CONTOSO) + "&params%5Boauth_scopes%5D=User.Read", secretBody(SECRET)),
        400, "invalid_scope", before, 0);
  }

  @Test
  void everyNangoErrorOfTheCreationRoutes() {
    String token = session(api, "{\"end_user\":{\"id\":\"errors\"},\"allowed_integrations\":[\"%s\",\"%s\"]}".formatted(ms, certKey));
    String tenant = tenantParam(CONTOSO);
    long before = connectionCount(graphgate.db());
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant, ""), 400, "missing_client_id", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant, "{\"client_secret\":\"x\"}"), 400, "missing_client_id", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant, "{\"client_id\":\"\",\"client_secret\":\"x\"}"), 400, "missing_client_id", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant, "{\"client_id\":\"" + app + "\"}"), 400, "missing_client_secret", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant, "{\"client_id\":7,\"client_secret\":\"x\"}"), 400, "invalid_body", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant, "{\"client_id\":\"a\",\"client_secret\":\"x\",\"scope\":\"y\"}"), 400, "invalid_body",
        before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, "nope-key", token, tenant, secretBody(SECRET)), 400, "unknown_provider_config", before, 0);
    assertRefused(create(graphgate.server(), TWO_STEP, "nope-key", token, tenant, certBody()), 404, "unknown_provider_config", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, certKey, token, tenant, secretBody(SECRET)), 400, "invalid_auth_mode", before, 0);
    assertRefused(create(graphgate.server(), TWO_STEP, ms, token, tenant, certBody()), 400, "invalid_auth_mode", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, other, token, tenant, secretBody(SECRET)), 400, "integration_not_allowed", before, 0);
    ApiClient.Response withId = assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant + "&connection_id=mine", secretBody(SECRET)), 400,
        "invalid_query_params", before, 0);
    assertThat(withId.body()).contains("connection_id is forbidden when using session token");
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenant + "&public_key=" + UUID.randomUUID(), secretBody(SECRET)), 400, "invalid_query_params",
        before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, null, tenant, secretBody(SECRET)), 401, "missing_public_key", before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, "nango_connect_session_x", tenant, secretBody(SECRET)), 401, "invalid_connect_session_token_format",
        before, 0);
    assertRefused(create(graphgate.server(), OAUTH2, ms, TestServers.SECRET_KEY, tenant, secretBody(SECRET)), 401, "invalid_connect_session_token_format",
        before, 0);
    assertRefused(create(graphgate.server(), TWO_STEP, certKey, "nango_connect_session_" + "f".repeat(64), tenant, certBody()), 401,
        "unknown_connect_session_token", before, 0);
  }

  @Test
  void anExpiredSessionCreatesNothing() {
    // A session created 30 minutes ago. (Graphgate's clock goes back rather than forward: the emulator checks
    // certificate assertions against its own, real, time.)
    java.time.Instant now = clock.instant();
    clock.set(now.minus(Duration.ofMinutes(30)));
    String token = session(api, "{\"end_user\":{\"id\":\"late\"}}");
    clock.set(now);
    long before = connectionCount(graphgate.db());
    assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenantParam(CONTOSO), secretBody(SECRET)), 401, "unknown_connect_session_token", before, 0);
  }

  @Test
  void refusedCredentialsSayWhatTheAdminMustDoAndStoreNothing() {
    String token = session(api, "{\"end_user\":{\"id\":\"refused\"}}");
    long before = connectionCount(graphgate.db());
    ApiClient.Response wrong = assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenantParam(CONTOSO), secretBody("not-the-secret")), 400,
        "client_credentials_fetch_error", before, 1);
    assertThat(wrong.json().path("error").path("payload").path("status").asText()).isEqualTo("invalid_credentials");
    assertThat(wrong.json().path("error").path("message").asText()).contains("client secret is wrong").contains("AADSTS7000215");
    assertThat(wrong.json().path("error").path("payload").has("admin_consent_url")).isFalse();
    assertThat(wrong.body()).doesNotContain("not-the-secret");

    graphgate.emulator().resetStats();
    ApiClient.Response notInstalled = assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenantParam(NORTHWIND), secretBody(SECRET)), 400,
        "client_credentials_fetch_error", before, 1);
    JsonNode payload = notInstalled.json().path("error").path("payload");
    assertThat(payload.path("status").asText()).isEqualTo("app_not_in_tenant");
    assertThat(notInstalled.json().path("error").path("message").asText()).contains("grant consent");
    String link = payload.path("admin_consent_url").asText();
    assertThat(link).startsWith(graphgate.emulator().loginUrl() + "/" + NORTHWIND + "/v2.0/adminconsent?");
    assertThat(ConsentFlow.queryParam(link, "client_id")).isEqualTo(app);
    assertThat(ConsentFlow.queryParam(link, "redirect_uri")).isEqualTo(graphgate.server().config().publicUrlFor(graphgate.server().port()) + "/admin-consent/callback");
    assertThat(ConsentFlow.queryParam(link, "state")).isNotBlank();

    graphgate.emulator().resetStats();
    ApiClient.Response noRoles = assertRefused(create(graphgate.server(), OAUTH2, ms, token, tenantParam(FABRIKAM), secretBody(SECRET)), 400,
        "client_credentials_fetch_error", before, 1);
    assertThat(noRoles.json().path("error").path("payload").path("status").asText()).isEqualTo("consent_missing");
    assertThat(noRoles.json().path("error").path("payload").path("admin_consent_url").asText()).contains("/" + FABRIKAM + "/v2.0/adminconsent?");
  }

  @Test
  void afterTheAdminConsentsThroughTheRefusalsLinkTheSameCredentialsConnect() {
    String tenant = UUID.randomUUID().toString();
    graphgate.emulator().tenant(tenant, "t-" + tenant.substring(0, 8) + ".onmicrosoft.com");
    String token = session(api, "{\"end_user\":{\"id\":\"consenting\"}}");
    ApiClient.Response refused = create(graphgate.server(), OAUTH2, ms, token, tenantParam(tenant), secretBody(SECRET));
    String link = refused.json().path("error").path("payload").path("admin_consent_url").asText();
    long before = connectionCount(graphgate.db());
    ApiClient.Response page = ConsentFlow.open(ConsentFlow.press(link, "accept"));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("Consent recorded").contains(app).contains("press Connect again").doesNotContain("graphgate-admin-consent");
    assertThat(connectionCount(graphgate.db())).as("consent alone creates nothing: Graphgate holds no secret to prove it").isEqualTo(before);
    ApiClient.Response created = create(graphgate.server(), OAUTH2, ms, token, tenantParam(tenant), secretBody(SECRET));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(connection(ms, created.json().path("connectionId").asText()).path("status").asText()).isEqualTo("ok");
  }

  static String certBody() {
    return "{\"clientId\":\"%s\",\"privateKey\":%s,\"certificateThumbprint\":\"%s\",\"type\":\"TWO_STEP\"}".formatted(certApp,
        Json.write(certificate.privateKeyPem()), dev.graphgate.server.auth.CertificateKeys.sha256Thumbprint(certificate.certificate()));
  }

  @Test
  void aCertificateCreatesTheConnectionAndARefusalAnswersTwoStepsCode() {
    String token = session(api, "{\"tags\":{\"via\":\"cert\"}}");
    ApiClient.Response created = create(graphgate.server(), TWO_STEP, certKey, token, tenantParam(CONTOSO) + "&params%5Boauth_scopes%5D="
        + java.net.URLEncoder.encode("https://graph.microsoft.com/.default", java.nio.charset.StandardCharsets.UTF_8), certBody());
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    JsonNode c = connection(certKey, created.json().path("connectionId").asText());
    assertThat(c.path("status").asText()).isEqualTo("ok");
    assertThat(c.path("credentials").path("type").asText()).isEqualTo("TWO_STEP");
    assertThat(c.path("tags").path("via").asText()).isEqualTo("cert");
    assertThat(c.path("end_user").isNull()).isTrue();

    TestCertificates unregistered = TestCertificates.generate("not-uploaded");
    long before = connectionCount(graphgate.db());
    graphgate.emulator().resetStats();
    String body = "{\"clientId\":\"%s\",\"privateKey\":%s,\"certificate\":%s}".formatted(certApp, Json.write(unregistered.privateKeyPem()),
        Json.write(unregistered.certificatePem()));
    ApiClient.Response refused = assertRefused(create(graphgate.server(), TWO_STEP, certKey, token, tenantParam(CONTOSO), body), 400,
        "two_step_credentials_fetch_error", before, 1);
    assertThat(refused.json().path("error").path("payload").path("status").asText()).isEqualTo("invalid_credentials");
    assertThat(refused.json().path("error").path("message").asText()).contains("certificate");
    assertThat(refused.body()).doesNotContain("PRIVATE KEY");
    assertRefused(create(graphgate.server(), TWO_STEP, certKey, token, tenantParam(CONTOSO), "{\"clientId\":\"%s\",\"privateKey\":\"nope\",\"certificateThumbprint\":\"x\"}"
        .formatted(certApp)), 400, "invalid_body", before, 1);
    assertRefused(create(graphgate.server(), TWO_STEP, certKey, token, tenantParam(CONTOSO), certBody().replace("TWO_STEP", "OAUTH2_CC")), 400, "invalid_body",
        before, 1);
  }

  @Test
  void aReconnectSessionReplacesItsConnectionAndKeepsWhatTheSessionDoesNotSay() {
    String cid = "reconnect-" + TestServers.randomKey();
    ApiClient.Response imported = api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"old-secret"},
         "connection_config":{"tenantId":"%s"},"metadata":{"kept":true},"tags":{"team":"blue"},"end_user":{"id":"owner"}}"""
        .formatted(ms, cid, app, CONTOSO));
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    long id = imported.json().path("id").asLong();
    ApiClient.Response reconnect = api.post("/connect/sessions/reconnect", "{\"connection_id\":\"%s\",\"integration_id\":\"%s\"}".formatted(cid, ms));
    String token = reconnect.json().path("data").path("token").asText();
    long before = connectionCount(graphgate.db());

    assertRefused(create(graphgate.server(), OAUTH2, other, token, tenantParam(CONTOSO), secretBody(SECRET)), 400, "integration_not_allowed", before, 0);
    ApiClient.Response replaced = create(graphgate.server(), OAUTH2, ms, token, tenantParam(CONTOSO), secretBody(SECRET));
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.json().path("connectionId").asText()).isEqualTo(cid);
    assertThat(connectionCount(graphgate.db())).isEqualTo(before);
    JsonNode c = connection(ms, cid);
    assertThat(c.path("id").asLong()).isEqualTo(id);
    assertThat(c.path("credentials").path("client_secret").asText()).isEqualTo(SECRET);
    assertThat(c.path("status").asText()).isEqualTo("ok");
    assertThat(c.path("metadata").path("kept").asBoolean()).isTrue();
    assertThat(c.path("tags").path("team").asText()).isEqualTo("blue");
    assertThat(c.path("end_user").path("id").asText()).isEqualTo("owner");

    String withTags = api.post("/connect/sessions/reconnect", "{\"connection_id\":\"%s\",\"integration_id\":\"%s\",\"tags\":{\"team\":\"red\"}}"
        .formatted(cid, ms)).json().path("data").path("token").asText();
    assertThat(create(graphgate.server(), OAUTH2, ms, withTags, tenantParam(CONTOSO), secretBody(SECRET)).status()).isEqualTo(200);
    assertThat(connection(ms, cid).path("tags").toString()).isEqualTo("{\"team\":\"red\"}");

    assertThat(api.delete("/connections/" + cid + "?provider_config_key=" + ms).status()).isEqualTo(200);
    assertThat(create(graphgate.server(), OAUTH2, ms, token, tenantParam(CONTOSO), secretBody(SECRET)).code())
        .as("a reconnect session goes with its connection").isEqualTo("unknown_connect_session_token");
  }

  @Test
  void whenEntraCannotBeAskedNothingIsStoredAndTheAnswerSaysToRetry(@TempDir Path otherDir) {
    try (TestDatabase otherDb = TestDatabase.h2();
        Graphgate unreachable = Graphgate.start(TestServers.config(otherDb, otherDir).build(), Graphgate.Options.defaults().withSleeper(d -> { }))) {
      ApiClient otherApi = TestServers.client(unreachable);
      String key = TestServers.randomKey();
      otherApi.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
      String token = session(otherApi, "{\"end_user\":{\"id\":\"offline\"}}");
      ApiClient.Response r = create(unreachable, OAUTH2, key, token, tenantParam(CONTOSO), secretBody(SECRET));
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.code()).isEqualTo("token_endpoint_unavailable");
      assertThat(r.header("Retry-After")).isNotBlank();
      assertThat(r.json().path("error").path("message").asText()).contains("Nothing was stored");
      assertThat(connectionCount(otherDb)).isZero();
    }
  }
}

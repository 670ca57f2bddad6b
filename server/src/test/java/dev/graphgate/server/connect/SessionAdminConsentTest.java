package dev.graphgate.server.connect;

import static dev.graphgate.server.testing.ConnectSessionsRig.asSession;
import static dev.graphgate.server.testing.ConnectSessionsRig.connectionCount;
import static dev.graphgate.server.testing.ConnectSessionsRig.session;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admin consent onboarding through a connect session, over real HTTP: the link Graphgate makes for the Connect UI,
 * opened at the emulator's consent page, Accept or Cancel pressed, the emulator's redirect followed to Graphgate's
 * callback. Accept creates the connection with the session's tags and end user, once a token of the shared app in
 * the tenant proves the grant; Cancel, a grant without permissions, and every forged, replayed, expired or misdirected
 * state create nothing.
 */
class SessionAdminConsentTest {
  static final String SECRET = "shared-app-secret";
  static final List<String> ROLES = List.of("User.Read.All", "Mail.Read");
  static final Pattern RESULT = Pattern.compile("data-result=\"([^\"]*)\"");

  static ApiClient api;
  static final SettableClock clock = SettableClock.atSystemTime();
  static String sharedApp;
  static String shared;
  static String noRoles;
  static String plain;
  static String certKey;

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2().withEmulator()
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance));

  @BeforeAll
  static void start() {
    api = graphgate.api();
    sharedApp = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(sharedApp, SECRET, ROLES, List.of(callbackUrl()));
    shared = integration("microsoft-oauth2-cc", sharedApp);
    String noRolesApp = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(noRolesApp, SECRET, List.of(), List.of(callbackUrl()));
    noRoles = integration("microsoft-oauth2-cc", noRolesApp);
    plain = integration("microsoft-oauth2-cc", null);
    certKey = integration("microsoft-oauth2-cc-cert", null);
  }

  static String callbackUrl() {
    return graphgate.server().config().publicUrlFor(graphgate.server().port()) + "/admin-consent/callback";
  }

  static String integration(String provider, String app) {
    String key = TestServers.randomKey();
    String credentials = app == null ? ""
        : ",\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"%s\",\"client_secret\":\"%s\"}".formatted(app, SECRET);
    ApiClient.Response r = api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"%s\"%s}".formatted(key, provider, credentials));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return key;
  }

  /** A customer tenant no admin has consented in yet. */
  static String newTenant() {
    String id = UUID.randomUUID().toString();
    graphgate.emulator().tenant(id, "t" + id.substring(0, 8) + ".onmicrosoft.com");
    return id;
  }

  static String domainOf(String tenant) {
    return "t" + tenant.substring(0, 8) + ".onmicrosoft.com";
  }

  static String sessionFor(String integration) {
    return session(api, """
        {"end_user":{"id":"admin-1","email":"it@customer.example","display_name":"IT"},"organization":{"id":"cust-9"},
         "tags":{"workspace":"w-1"},"allowed_integrations":["%s"]}""".formatted(integration));
  }

  /** What the Connect UI asks for: the link behind "Grant access as an administrator". */
  static ApiClient.Response linkRequest(String token, String body) {
    return asSession(graphgate.server(), token).post("/connect/admin-consent", body);
  }

  static String link(String token, String integration) {
    ApiClient.Response r = linkRequest(token, "{\"integration\":\"" + integration + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("data").path("url").asText();
  }

  static ApiClient.Response callback(String query) {
    return ConsentFlow.open(URI.create(graphgate.server().baseUrl() + "/admin-consent/callback?" + query));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The result the page hands the script for the Connect UI; null when the page carries none. */
  static JsonNode result(ApiClient.Response page) {
    Matcher m = RESULT.matcher(page.body());
    if (!m.find()) {
      return null;
    }
    return Json.parse(m.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
  }

  static void assertNothingCreated(ApiClient.Response page, long connectionsBefore, int status, String says) {
    assertThat(page.status()).as(page.body()).isEqualTo(status);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains(says).doesNotContain("The connection is made");
    assertThat(connectionCount(graphgate.db())).as("nothing created").isEqualTo(connectionsBefore);
  }

  @Test
  void acceptCreatesTheConnectionWithTheSessionsTagsAndEndUser() {
    String tenant = newTenant();
    String token = sessionFor(shared);
    String link = link(token, shared);
    assertThat(link).startsWith(graphgate.emulator().loginUrl() + "/organizations/v2.0/adminconsent?");
    assertThat(ConsentFlow.queryParam(link, "client_id")).isEqualTo(sharedApp);
    assertThat(ConsentFlow.queryParam(link, "redirect_uri")).isEqualTo(callbackUrl());
    assertThat(ConsentFlow.queryParam(link, "scope")).isEqualTo("https://graph.microsoft.com/.default");
    long before = connectionCount(graphgate.db());

    URI redirect = ConsentFlow.press(link, "accept", Map.of("tenant", tenant));
    assertThat(redirect.toString()).startsWith(callbackUrl() + "?");
    assertThat(ConsentFlow.queryParam(redirect.toString(), "tenant")).isEqualTo(tenant);
    ApiClient.Response page = ConsentFlow.open(redirect);

    assertThat(page.status()).as(page.body()).isEqualTo(200);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
    assertThat(page.body()).contains("Connected").contains("<code>User.Read.All</code>").contains("<script src=\"/admin-consent/result.js\" defer>")
        .contains("data-origin=\"" + graphgate.server().config().publicUrlFor(graphgate.server().port()) + "\"")
        .doesNotContain(ConsentFlow.queryParam(link, "state"));
    JsonNode result = result(page);
    assertThat(result.path("ok").asBoolean()).isTrue();
    assertThat(result.path("providerConfigKey").asText()).isEqualTo(shared);
    String cid = result.path("connectionId").asText();
    assertThat(connectionCount(graphgate.db())).isEqualTo(before + 1);
    assertThat(graphgate.emulator().tokenRequests()).as("one token of the shared app proved the grant").isEqualTo(1);

    ApiClient.Response c = api.get("/connections/" + cid + "?provider_config_key=" + shared);
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    JsonNode connection = c.json();
    assertThat(connection.path("status").asText()).isEqualTo("ok");
    assertThat(connection.path("connection_config").path("tenantId").asText()).isEqualTo(tenant);
    assertThat(connection.path("granted_permissions")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(ROLES);
    assertThat(connection.path("credentials").path("client_id").asText()).isEqualTo(sharedApp);
    assertThat(Json.MAPPER.convertValue(connection.path("tags"), Map.class)).isEqualTo(Map.of("end_user_id", "admin-1", "end_user_email",
        "it@customer.example", "end_user_display_name", "IT", "organization_id", "cust-9", "workspace", "w-1"));
    assertThat(connection.path("end_user").path("id").asText()).isEqualTo("admin-1");
    assertThat(connection.path("end_user").path("organization").path("id").asText()).isEqualTo("cust-9");

    graphgate.emulator().resetStats();
    ApiClient.Response replay = ConsentFlow.open(redirect);
    assertNothingCreated(replay, before + 1, 400, "already used");
    assertThat(result(replay)).isNull();
    assertThat(graphgate.emulator().tokenRequests()).isZero();
  }

  @Test
  void aKnownTenantGoesToItsOwnConsentPageAndTheSessionsPresetWins() {
    String tenant = newTenant();
    String token = session(api, """
        {"tags":{},"integrations_config_defaults":{"%s":{"connection_config":{"tenantId":"%s"}}}}""".formatted(shared, domainOf(tenant)));
    ApiClient.Response r = linkRequest(token, "{\"integration\":\"%s\",\"tenant\":\"%s\"}".formatted(shared, newTenant()));
    String link = r.json().path("data").path("url").asText();
    assertThat(link).as("the preset tenant, not the one the page sent").startsWith(graphgate.emulator().loginUrl() + "/" + domainOf(tenant) + "/v2.0/adminconsent?");
    ApiClient.Response page = ConsentFlow.open(ConsentFlow.press(link, "accept"));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    JsonNode result = result(page);
    assertThat(result.path("ok").asBoolean()).isTrue();
    JsonNode c = api.get("/connections/" + result.path("connectionId").asText() + "?provider_config_key=" + shared).json();
    assertThat(c.path("connection_config").path("tenantId").asText()).as("named as the session named it").isEqualTo(domainOf(tenant));
    assertThat(c.path("status").asText()).isEqualTo("ok");

    String other = newTenant();
    String plainSession = sessionFor(shared);
    String withTenant = linkRequest(plainSession, "{\"integration\":\"%s\",\"tenant\":\"%s\"}".formatted(shared, other)).json().path("data")
        .path("url").asText();
    assertThat(withTenant).startsWith(graphgate.emulator().loginUrl() + "/" + other + "/v2.0/adminconsent?");
    assertThat(linkRequest(plainSession, "{\"integration\":\"%s\",\"tenant\":\"common\"}".formatted(shared)).code()).isEqualTo("invalid_tenant_id");
  }

  @Test
  void cancelCreatesNothingAndTellsTheConnectUi() {
    String tenant = newTenant();
    String link = link(sessionFor(shared), shared);
    long before = connectionCount(graphgate.db());
    URI redirect = ConsentFlow.press(link, "cancel", Map.of("tenant", tenant));
    assertThat(ConsentFlow.queryParam(redirect.toString(), "error")).isEqualTo("access_denied");
    ApiClient.Response page = ConsentFlow.open(redirect);
    assertNothingCreated(page, before, 200, "Permissions not granted");
    assertThat(page.body()).contains("AADSTS65004").doesNotContain("Trace ID");
    JsonNode result = result(page);
    assertThat(result.path("ok").asBoolean()).isFalse();
    assertThat(result.path("errorType").asText()).isEqualTo("access_denied");
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    assertNothingCreated(ConsentFlow.open(redirect), before, 400, "already used");
  }

  @Test
  void anAccessDeniedAnswerCreatesNothing() {
    String state = ConsentFlow.queryParam(link(sessionFor(shared), shared), "state");
    long before = connectionCount(graphgate.db());
    ApiClient.Response page = callback("error=access_denied&error_description=" + enc("AADSTS65004: User declined.") + "&state=" + enc(state));
    assertNothingCreated(page, before, 200, "Permissions not granted");
    assertThat(result(page).path("errorType").asText()).isEqualTo("access_denied");
  }

  @Test
  void aGrantWhoseTokenCarriesNoRolesCreatesNothing() {
    String tenant = newTenant();
    String link = link(sessionFor(noRoles), noRoles);
    long before = connectionCount(graphgate.db());
    ApiClient.Response page = ConsentFlow.open(ConsentFlow.press(link, "accept", Map.of("tenant", tenant)));
    assertNothingCreated(page, before, 200, "No connection was made");
    assertThat(page.body()).contains("carries no application permissions").contains("Nothing was stored");
    JsonNode result = result(page);
    assertThat(result.path("ok").asBoolean()).isFalse();
    assertThat(result.path("errorType").asText()).isEqualTo("consent_missing");
    assertThat(graphgate.emulator().tokenRequests()).as("the token that showed it").isEqualTo(1);
  }

  @Test
  void forgedAndTamperedStatesCreateNothing() throws Exception {
    String tenant = newTenant();
    String link = link(sessionFor(shared), shared);
    URI redirect = ConsentFlow.press(link, "accept", Map.of("tenant", tenant));
    SignedJWT real = SignedJWT.parse(ConsentFlow.queryParam(redirect.toString(), "state"));
    long before = connectionCount(graphgate.db());
    graphgate.emulator().resetStats();

    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), real.getJWTClaimsSet());
    forged.sign(new MACSigner(otherKey));
    String grant = "admin_consent=True&tenant=" + tenant + "&state=";
    assertNothingCreated(callback(grant + enc(forged.serialize())), before, 400, "not issued by this Graphgate");

    JWTClaimsSet otherSession = new JWTClaimsSet.Builder(real.getJWTClaimsSet()).claim("session", 1L).build();
    String[] parts = real.serialize().split("\\.");
    String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(otherSession.toString()
        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertNothingCreated(callback(grant + enc(tampered)), before, 400, "not issued by this Graphgate");
    assertNothingCreated(callback(grant + "12345"), before, 400, "not issued by this Graphgate");
    assertThat(result(callback(grant + "12345"))).as("an unverified answer tells the Connect UI nothing").isNull();
    assertThat(graphgate.emulator().tokenRequests()).isZero();

    ApiClient.Response own = ConsentFlow.open(redirect);
    assertThat(own.status()).as("the link's own answer still works: " + own.body()).isEqualTo(200);
    assertThat(connectionCount(graphgate.db())).isEqualTo(before + 1);
  }

  @Test
  void aStateOfAConnectionsLinkIsNotASessionsAndTheOtherWayRound() throws Exception {
    String tenant = newTenant();
    URI redirect = ConsentFlow.press(link(sessionFor(shared), shared), "accept", Map.of("tenant", tenant));
    SignedJWT real = SignedJWT.parse(ConsentFlow.queryParam(redirect.toString(), "state"));
    JWTClaimsSet claims = real.getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly("graphgate:connect-session-consent");
    assertThat(claims.getClaim("purpose")).isEqualTo("onboard");
    assertThat(claims.getClaim("client_id")).isEqualTo(sharedApp);
    assertThat(claims.getClaim("integration")).isEqualTo(shared);
  }

  @Test
  void anExpiredStateCreatesNothing() {
    String tenant = newTenant();
    URI redirect = ConsentFlow.press(link(sessionFor(shared), shared), "accept", Map.of("tenant", tenant));
    long before = connectionCount(graphgate.db());
    clock.advance(Duration.ofMinutes(30));
    ApiClient.Response page = ConsentFlow.open(redirect);
    assertNothingCreated(page, before, 400, "connect session it was made in");
    assertThat(page.body()).contains("Grant access as an administrator");
    assertThat(graphgate.emulator().tokenRequests()).isZero();
  }

  @Test
  void aStateAnsweredForAnotherTenantCreatesNothingAndStaysUsable() {
    String tenant = newTenant();
    String token = sessionFor(shared);
    String link = linkRequest(token, "{\"integration\":\"%s\",\"tenant\":\"%s\"}".formatted(shared, tenant)).json().path("data").path("url").asText();
    String state = ConsentFlow.queryParam(link, "state");
    long before = connectionCount(graphgate.db());
    assertNothingCreated(callback("admin_consent=True&tenant=" + newTenant() + "&state=" + enc(state)), before, 400, "another tenant");
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    ApiClient.Response own = ConsentFlow.open(ConsentFlow.press(link, "accept"));
    assertThat(own.status()).as(own.body()).isEqualTo(200);
    assertThat(result(own).path("ok").asBoolean()).isTrue();
  }

  @Test
  void aLinkOfADeletedSessionCreatesNothing() {
    String tenant = newTenant();
    String token = sessionFor(shared);
    URI redirect = ConsentFlow.press(link(token, shared), "accept", Map.of("tenant", tenant));
    assertThat(asSession(graphgate.server(), token).delete("/connect/session").status()).isEqualTo(204);
    long before = connectionCount(graphgate.db());
    assertNothingCreated(ConsentFlow.open(redirect), before, 400, "has ended or expired");
    assertThat(graphgate.emulator().tokenRequests()).isZero();
  }

  @Test
  void aLinkWhoseSharedAppChangedSinceCreatesNothing() {
    String app = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(app, SECRET, ROLES, List.of(callbackUrl()));
    String key = integration("microsoft-oauth2-cc", app);
    URI redirect = ConsentFlow.press(link(sessionFor(key), key), "accept", Map.of("tenant", newTenant()));
    ApiClient.Response patched = api.patch("/integrations/" + key,
        "{\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"%s\",\"client_secret\":\"%s\"}}".formatted(sharedApp, SECRET));
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    long before = connectionCount(graphgate.db());
    assertNothingCreated(ConsentFlow.open(redirect), before, 400, "no longer holds the app the link named");
  }

  @Test
  void theLinkNeedsAnAllowedIntegrationHoldingSharedCredentials() {
    String token = session(api, "{\"tags\":{},\"allowed_integrations\":[\"%s\",\"%s\",\"%s\"]}".formatted(shared, plain, certKey));
    ApiClient.Response none = linkRequest(token, "{\"integration\":\"" + plain + "\"}");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.code()).isEqualTo("no_shared_credentials");
    assertThat(none.json().path("error").path("message").asText()).contains("PATCH /integrations");
    assertThat(linkRequest(token, "{\"integration\":\"" + certKey + "\"}").code()).isEqualTo("invalid_auth_mode");
    assertThat(linkRequest(token, "{\"integration\":\"" + noRoles + "\"}").code()).isEqualTo("integration_not_allowed");
    assertThat(linkRequest(token, "{\"integration\":\"nope-key\"}").code()).isEqualTo("unknown_provider_config");
    assertThat(linkRequest(token, "{}").code()).isEqualTo("invalid_body");
    assertThat(linkRequest(token, "{\"integration\":\"" + shared + "\",\"extra\":1}").code()).isEqualTo("invalid_body");
    assertThat(new ApiClient(graphgate.server().baseUrl(), null).post("/connect/admin-consent", "{\"integration\":\"" + shared + "\"}").code())
        .isEqualTo("missing_auth_header");
  }

  @Test
  void aReconnectSessionsConsentReplacesItsConnectionInItsTenant() {
    String tenant = newTenant();
    ApiClient.Response first = ConsentFlow.open(ConsentFlow.press(link(sessionFor(shared), shared), "accept", Map.of("tenant", tenant)));
    String cid = result(first).path("connectionId").asText();
    long before = connectionCount(graphgate.db());
    String token = api.post("/connect/sessions/reconnect", "{\"connection_id\":\"%s\",\"integration_id\":\"%s\"}".formatted(cid, shared))
        .json().path("data").path("token").asText();
    String link = link(token, shared);
    assertThat(link).as("the connection's tenant is known").startsWith(graphgate.emulator().loginUrl() + "/" + tenant + "/v2.0/adminconsent?");
    ApiClient.Response page = ConsentFlow.open(ConsentFlow.press(link, "accept"));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(result(page).path("connectionId").asText()).isEqualTo(cid);
    assertThat(connectionCount(graphgate.db())).isEqualTo(before);
    assertThat(api.get("/connections/" + cid + "?provider_config_key=" + shared).json().path("tags").path("end_user_id").asText())
        .as("a reconnect session without tags keeps the connection's").isEqualTo("admin-1");
  }

  @Test
  void theResultScriptIsServedAsJavaScriptToAnyone() {
    ApiClient.Response script = new ApiClient(graphgate.server().baseUrl(), null).get("/admin-consent/result.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.header("Content-Type")).startsWith("text/javascript");
    assertThat(script.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(script.body()).contains("window.opener.postMessage").contains("graphgate:admin_consent").contains("data-origin");
  }
}

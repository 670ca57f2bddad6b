package dev.graphgate.server.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.LogCapture;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestConnections;
import dev.graphgate.server.testing.TestIntegrations;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graphgate's admin consent callback end to end: the link Graphgate hands out, opened at the emulator's consent page,
 * Accept or Cancel pressed, the emulator's redirect followed back to Graphgate; and every way that answer can be
 * forged, tampered with, expired, replayed or sent for another tenant, none of which may change anything.
 */
class AdminConsentCallbackTest {
  static final String CONTOSO = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  static final String FABRIKAM = "8d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a";
  static final String FABRIKAM_DOMAIN = "fabrikam.onmicrosoft.com";
  /** Only one test's connections live here, so it can count them. */
  static final String NORTHWIND = "0f4a5b6c-7d8e-4f9a-8b0c-2d3e4f5a6b7c";
  static final String NORTHWIND_DOMAIN = "northwind.onmicrosoft.com";
  static final String SECRET = "consent-app-secret";
  static final List<String> ROLES = List.of("User.Read.All", "Mail.Read");

  @RegisterExtension final LogCapture logs = LogCapture.root();
  static ApiClient api;
  static final SettableClock clock = SettableClock.atSystemTime();

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2().withEmulator()
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance));

  @BeforeAll
  static void start() {
    graphgate.emulator().tenant(CONTOSO, "contoso.onmicrosoft.com");
    graphgate.emulator().tenant(FABRIKAM, FABRIKAM_DOMAIN);
    graphgate.emulator().tenant(NORTHWIND, NORTHWIND_DOMAIN);
    api = graphgate.api();
    TestIntegrations.secret().uniqueKey("ms").create(api);
  }

  /** Where the links Graphgate hands out send the admin back (what the app registers as a redirect URI). */
  static String callbackUrl() {
    return graphgate.server().config().publicUrlFor(graphgate.server().port()) + "/admin-consent/callback";
  }

  /** A new multi-tenant app, consented nowhere yet, asking for {@code roles}, with Graphgate's callback registered. */
  static String newApp(List<String> roles) {
    String app = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(app, SECRET, roles, List.of(callbackUrl()));
    return app;
  }

  static String connection(String tenant, String app) {
    TestConnections.Builder c = TestConnections.secret("ms").tenant(tenant).clientId(app).clientSecret(SECRET);
    ApiClient.Response r = c.post(api);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return c.connectionId();
  }

  /** A connection whose tenant has installed the app without granting its permissions: its token carries none. */
  static String consentMissingConnection() {
    String app = newApp(ROLES);
    graphgate.emulator().grant(FABRIKAM, app, List.of());
    String cid = connection(FABRIKAM, app);
    assertThat(read(cid).json().path("status").asText()).isEqualTo("consent_missing");
    return cid;
  }

  static ApiClient.Response read(String cid) {
    return api.get("/connections/" + cid + "?provider_config_key=ms");
  }

  /** The link on the connection's first read (or any read of a connection whose token lacks permissions). */
  static String link(String cid) {
    return ConsentFlow.link(read(cid));
  }

  static ApiClient.Response callback(String query) {
    return ConsentFlow.open(URI.create(graphgate.server().baseUrl() + "/admin-consent/callback?" + query));
  }

  static String grantAnswer(String tenant, String state) {
    return "admin_consent=True&tenant=" + tenant + "&scope=" + enc("https://graph.microsoft.com/User.Read.All") + "&state=" + enc(state);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static long rowVersion(String cid) throws SQLException {
    try (Connection c = graphgate.db().open(); PreparedStatement s = c.prepareStatement("SELECT row_version FROM connections WHERE connection_id = ?")) {
      s.setString(1, cid);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getLong(1);
      }
    }
  }

  static long consumedStates() throws SQLException {
    try (Connection c = graphgate.db().open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM admin_consent_states")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The page says the link cannot be used, sends the admin for a new one, and is a well-protected HTML page. */
  static void assertRefused(ApiClient.Response page, String reason) {
    assertThat(page.status()).as(page.body()).isEqualTo(400);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("This admin consent link cannot be used").contains(reason).contains("Nothing was changed")
        .contains("new admin consent link").doesNotContain("Permissions granted");
  }

  @Test
  void acceptOnTheConsentPageMakesTheConnectionOkAndThePageNamesTheGrantedRoles() {
    String cid = connection(FABRIKAM, newApp(ROLES));
    ApiClient.Response refused = read(cid);
    assertThat(refused.json().path("error").path("payload").path("status").asText()).isEqualTo("app_not_in_tenant");
    String link = ConsentFlow.link(refused);
    String state = ConsentFlow.queryParam(link, "state");
    assertThat(state).as("the link carries a state Graphgate issued").isNotBlank();
    assertThat(ConsentFlow.queryParam(link, "redirect_uri")).isEqualTo(callbackUrl());

    URI redirect = ConsentFlow.press(link, "accept");
    assertThat(redirect.toString()).startsWith(callbackUrl() + "?");
    graphgate.emulator().resetStats();
    ApiClient.Response page = ConsentFlow.open(redirect);

    assertThat(page.status()).as(page.body()).isEqualTo(200);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("Permissions granted").contains("<code>User.Read.All</code>").contains("<code>Mail.Read</code>")
        .contains(FABRIKAM).doesNotContain(state);
    assertThat(graphgate.emulator().tokenRequests()).as("the callback fetched the new token at once").isEqualTo(1);
    ApiClient.Response after = read(cid);
    assertThat(after.status()).as(after.body()).isEqualTo(200);
    assertThat(after.json().path("status").asText()).isEqualTo("ok");
    assertThat(after.json().path("granted_permissions")).extracting(n -> n.asText()).containsExactlyInAnyOrderElementsOf(ROLES);
    assertThat(after.json().has("admin_consent_url")).isFalse();
    assertThat(graphgate.emulator().tokenRequests()).as("the read is served the callback's token from memory").isEqualTo(1);
    assertThat(logs.messages()).noneMatch(line -> line.contains(state));

    assertRefused(ConsentFlow.open(redirect), "already used");
  }

  @Test
  void aLinkNamingTheTenantByDomainAcceptsEntrasAnswerWithTheTenantsGuid() {
    String cid = connection(FABRIKAM_DOMAIN, newApp(ROLES));
    String link = link(cid);
    assertThat(link).contains("/" + FABRIKAM_DOMAIN + "/v2.0/adminconsent?");
    URI redirect = ConsentFlow.press(link, "accept");
    assertThat(ConsentFlow.queryParam(redirect.toString(), "tenant")).as("Entra answers with the GUID").isEqualTo(FABRIKAM);

    ApiClient.Response page = ConsentFlow.open(redirect);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("Permissions granted").contains("<code>User.Read.All</code>");
    assertThat(read(cid).json().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void consentThatGrantsNoPermissionsSaysTheTokenStillCarriesNoneAndWhatToCheck() {
    String cid = connection(FABRIKAM, newApp(List.of()));
    ApiClient.Response page = ConsentFlow.open(ConsentFlow.press(link(cid), "accept"));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("still carries no application permissions").contains("API permissions")
        .doesNotContain("Permissions granted");
    assertThat(read(cid).json().path("status").asText()).isEqualTo("consent_missing");
  }

  @Test
  void otherConnectionsOfTheTenantWaitingForConsentRefreshOnTheirNextRead() {
    String app = newApp(ROLES);
    // The link names the tenant by domain; the other connection by the GUID that Entra answers with.
    String first = connection(NORTHWIND_DOMAIN, app);
    String second = connection(NORTHWIND, app);
    String link = link(first);
    assertThat(read(second).code()).as("backing off after app_not_in_tenant").isEqualTo("invalid_credentials");
    assertThat(read(second).code()).as("backing off after app_not_in_tenant").isEqualTo("connection_refresh_backoff");

    ApiClient.Response page = ConsentFlow.open(ConsentFlow.press(link, "accept"));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("1 other connection");
    ApiClient.Response other = read(second);
    assertThat(other.status()).as("no backoff any more: " + other.body()).isEqualTo(200);
    assertThat(other.json().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void cancelGrantsNothingSaysSoAndUsesTheLink() throws Exception {
    String cid = consentMissingConnection();
    long version = rowVersion(cid);
    URI redirect = ConsentFlow.press(link(cid), "cancel");
    assertThat(ConsentFlow.queryParam(redirect.toString(), "error")).isEqualTo("access_denied");
    graphgate.emulator().resetStats();

    ApiClient.Response page = ConsentFlow.open(redirect);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("Permissions not granted").contains("<code>access_denied</code>").contains("AADSTS65004")
        .contains("Nothing was granted").doesNotContain("Trace ID");
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    assertThat(read(cid).json().path("status").asText()).isEqualTo("consent_missing");

    assertRefused(ConsentFlow.open(redirect), "already used");
  }

  @Test
  void hostileValuesInEntrasAnswerAreEscaped() {
    String state = ConsentFlow.queryParam(link(consentMissingConnection()), "state");
    ApiClient.Response page = callback("error=" + enc("access_denied\"><script>alert(1)</script>") + "&error_description="
        + enc("AADSTS65004: <img src=x onerror=alert(document.cookie)> & 'quoted' \"double\"\r\nTrace ID: x") + "&state=" + enc(state));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).doesNotContain("<script").doesNotContain("<img").doesNotContain("\"double\"").doesNotContain("'quoted'")
        .contains("&lt;script&gt;").contains("&lt;img src=x onerror=alert(document.cookie)&gt; &amp; &#39;quoted&#39; &quot;double&quot;");
  }

  @Test
  void anAnswerWithoutStateIsRefusedAndChangesNothing() throws Exception {
    String cid = consentMissingConnection();
    long version = rowVersion(cid);
    long consumed = consumedStates();
    graphgate.emulator().resetStats();
    assertRefused(callback("admin_consent=True&tenant=" + FABRIKAM), "without");
    assertRefused(callback("admin_consent=True&tenant=" + FABRIKAM + "&state="), "without");
    assertRefused(callback("error=access_denied"), "without");
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    assertThat(consumedStates()).isEqualTo(consumed);
  }

  @Test
  void aForgedStateIsRefusedAndChangesNothing() throws Exception {
    String cid = consentMissingConnection();
    SignedJWT real = SignedJWT.parse(ConsentFlow.queryParam(link(cid), "state"));
    long version = rowVersion(cid);
    long consumed = consumedStates();
    graphgate.emulator().resetStats();
    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), real.getJWTClaimsSet());
    forged.sign(new MACSigner(otherKey));
    assertRefused(callback(grantAnswer(FABRIKAM, forged.serialize())), "not issued by this Graphgate");
    String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + real.getParsedParts()[1] + ".";
    assertRefused(callback(grantAnswer(FABRIKAM, unsigned)), "not issued by this Graphgate");
    assertRefused(callback(grantAnswer(FABRIKAM, "12345")), "not issued by this Graphgate");
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    assertThat(consumedStates()).isEqualTo(consumed);
  }

  @Test
  void aTamperedStateIsRefusedAndChangesNothing() throws Exception {
    String cid = consentMissingConnection();
    String state = ConsentFlow.queryParam(link(cid), "state");
    String[] parts = state.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String otherTenant = payload.replace(FABRIKAM, CONTOSO);
    assertThat(otherTenant).isNotEqualTo(payload);
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(otherTenant.getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
    long version = rowVersion(cid);
    long consumed = consumedStates();
    graphgate.emulator().resetStats();
    assertRefused(callback(grantAnswer(CONTOSO, tampered)), "not issued by this Graphgate");
    char last = parts[2].charAt(0);
    String badSignature = parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
    assertRefused(callback(grantAnswer(FABRIKAM, badSignature)), "not issued by this Graphgate");
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    assertThat(consumedStates()).isEqualTo(consumed);
  }

  @Test
  void anExpiredStateIsRefusedAndChangesNothing() throws Exception {
    String cid = consentMissingConnection();
    String state = ConsentFlow.queryParam(link(cid), "state");
    long version = rowVersion(cid);
    long consumed = consumedStates();
    clock.advance(Duration.ofDays(7).plusSeconds(1));
    graphgate.emulator().resetStats();
    assertRefused(callback(grantAnswer(FABRIKAM, state)), "expired");
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    assertThat(consumedStates()).isEqualTo(consumed);
  }

  @Test
  void aStateWithinItsLifetimeIsAccepted() {
    String cid = connection(FABRIKAM, newApp(ROLES));
    URI redirect = ConsentFlow.press(link(cid), "accept");
    clock.advance(Duration.ofDays(7).minusMinutes(1));
    ApiClient.Response page = ConsentFlow.open(redirect);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("Permissions granted");
  }

  @Test
  void aReplayedStateIsRefusedAndChangesNothing() throws Exception {
    String cid = connection(FABRIKAM, newApp(ROLES));
    URI redirect = ConsentFlow.press(link(cid), "accept");
    assertThat(ConsentFlow.open(redirect).status()).isEqualTo(200);
    long version = rowVersion(cid);
    graphgate.emulator().resetStats();
    assertRefused(ConsentFlow.open(redirect), "already used");
    String state = ConsentFlow.queryParam(redirect.toString(), "state");
    assertRefused(callback("error=access_denied&state=" + enc(state)), "already used");
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(graphgate.emulator().tokenRequests()).isZero();
  }

  @Test
  void aStateAnsweredForAnotherTenantIsRefusedAndStaysUsable() throws Exception {
    String cid = consentMissingConnection();
    String state = ConsentFlow.queryParam(link(cid), "state");
    long version = rowVersion(cid);
    long consumed = consumedStates();
    graphgate.emulator().resetStats();
    assertRefused(callback(grantAnswer(CONTOSO, state)), "another tenant");
    assertRefused(callback(grantAnswer("contoso.onmicrosoft.com", state)), "another tenant");
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(graphgate.emulator().tokenRequests()).isZero();
    assertThat(consumedStates()).isEqualTo(consumed);
    assertThat(callback(grantAnswer(FABRIKAM, state)).status()).as("the link's own answer still works").isEqualTo(200);
  }

  @Test
  void aDomainLinkAnsweredWithAnotherTenantsGuidIsRefused() throws Exception {
    String cid = connection(FABRIKAM_DOMAIN, newApp(ROLES));
    String state = ConsentFlow.queryParam(link(cid), "state");
    long version = rowVersion(cid);
    assertRefused(callback(grantAnswer(CONTOSO, state)), "another tenant");
    assertThat(rowVersion(cid)).isEqualTo(version);
  }

  @Test
  void aLinkForAConnectionImportedAgainWithAnotherTenantIsRefused() throws Exception {
    String app = newApp(ROLES);
    String cid = connection(FABRIKAM, app);
    String state = ConsentFlow.queryParam(link(cid), "state");
    ApiClient.Response reimported = api.post("/connections", """
        {"provider_config_key":"ms","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(cid, app, SECRET, CONTOSO));
    assertThat(reimported.status()).as(reimported.body()).isIn(200, 201);
    long version = rowVersion(cid);
    assertRefused(callback(grantAnswer(FABRIKAM, state)), "changed");
    assertThat(rowVersion(cid)).isEqualTo(version);
  }

  @Test
  void anAnswerThatIsNeitherAGrantNorAnErrorIsRefusedAndKeepsTheLinkUsable() throws Exception {
    String cid = consentMissingConnection();
    String state = ConsentFlow.queryParam(link(cid), "state");
    long version = rowVersion(cid);
    ApiClient.Response page = callback("state=" + enc(state));
    assertThat(page.status()).isEqualTo(400);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("Not an admin consent answer");
    assertThat(callback("admin_consent=True&tenant=..%2Fx&state=" + enc(state)).status()).isEqualTo(400);
    assertThat(rowVersion(cid)).isEqualTo(version);
    assertThat(callback(grantAnswer(FABRIKAM, state)).status()).isEqualTo(200);
  }
}

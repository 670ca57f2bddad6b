package dev.graphgate.server.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestCertificates;
import dev.graphgate.server.testing.TestConnections;
import dev.graphgate.server.testing.TestIntegrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens end to end: Graphgate over real HTTP, against the Microsoft emulator's token endpoint over real HTTP,
 * counting token requests at the emulator's {@code /_emulator/stats}.
 */
class EmulatorTokenTest {
  static final String APP = "5d3c1b2a-4e6f-4a8b-9c0d-1e2f3a4b5c6d";
  static final String SECRET = "emulator-app-secret";
  static final String CERT_APP = "6e4d2c3b-5f7a-4b9c-8d1e-2f3a4b5c6d7e";
  static final String CONTOSO = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
  static final String FABRIKAM = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";

  static ApiClient api;
  static SettableClock clock = SettableClock.atSystemTime();
  static TestCertificates certificate = TestCertificates.generate("graphgate-emulator-test");

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2().withEmulator()
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance));

  @BeforeAll
  static void start() {
    graphgate.emulator().tenant(CONTOSO, "contoso.onmicrosoft.com");
    graphgate.emulator().tenant(FABRIKAM, "fabrikam.onmicrosoft.com");
    graphgate.emulator().app(APP, SECRET, null, List.of());
    graphgate.emulator().app(CERT_APP, null, null, List.of(certificate.certificatePem()));
    graphgate.emulator().grant(CONTOSO, APP, List.of("User.Read.All", "Mail.Read"));
    graphgate.emulator().grant(CONTOSO, CERT_APP, List.of("User.Read.All"));
    api = graphgate.api();
    TestIntegrations.secret().uniqueKey("ms").create(api);
    TestIntegrations.certificate().uniqueKey("ms-cert").create(api);
  }

  static String connection(String tenant, String clientId, String secret) {
    TestConnections.Builder c = TestConnections.secret("ms").tenant(tenant).clientId(clientId).clientSecret(secret);
    ApiClient.Response r = c.post(api);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return c.connectionId();
  }

  static ApiClient.Response read(String key, String cid) {
    return api.get("/connections/" + cid + "?provider_config_key=" + key);
  }

  static JWTClaimsSet claims(ApiClient.Response r) throws Exception {
    return SignedJWT.parse(r.json().path("credentials").path("token").asText()).getJWTClaimsSet();
  }

  @Test
  void clientSecretConnectionGetsAnAppOnlyTokenForItsTenant() throws Exception {
    String cid = connection(CONTOSO, APP, SECRET);
    ApiClient.Response r = read("ms", cid);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JWTClaimsSet claims = claims(r);
    assertThat(claims.getStringClaim("tid")).isEqualTo(CONTOSO);
    assertThat(claims.getStringClaim("appid")).isEqualTo(APP);
    assertThat(claims.getStringListClaim("roles")).containsExactlyInAnyOrder("User.Read.All", "Mail.Read");
    assertThat(r.json().path("status").asText()).isEqualTo("ok");
    assertThat(r.json().path("granted_permissions")).hasSize(2);
    assertThat(r.json().path("credentials").path("raw").path("expires_in").asLong()).isPositive();
    assertThat(read("ms", cid).status()).isEqualTo(200);
    assertThat(graphgate.emulator().tokenRequests()).as("the second read is served from memory").isEqualTo(1);
  }

  @Test
  void domainTenantIdWorksLikeTheGuid() throws Exception {
    ApiClient.Response r = read("ms", connection("contoso.onmicrosoft.com", APP, SECRET));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(claims(r).getStringClaim("tid")).isEqualTo(CONTOSO);
  }

  @Test
  void certificateConnectionSignsAClientAssertionTheEmulatorAccepts() throws Exception {
    String cid = "cert-" + UUID.randomUUID();
    ApiClient.Response created = api.post("/connections", """
        {"provider_config_key":"ms-cert","connection_id":"%s","credentials":{"type":"TWO_STEP","clientId":"%s","privateKey":%s,"certificate":%s},
         "connection_config":{"tenantId":"%s"}}""".formatted(cid, CERT_APP, Json.write(certificate.privateKeyPem()),
        Json.write(certificate.certificatePem()), CONTOSO));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    ApiClient.Response r = read("ms-cert", cid);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(claims(r).getStringClaim("appid")).isEqualTo(CERT_APP);
    assertThat(claims(r).getStringClaim("appidacr")).as("certificate credential").isEqualTo("2");
    assertThat(r.json().path("credentials").path("type").asText()).isEqualTo("TWO_STEP");
  }

  @Test
  void certificateNotRegisteredOnTheAppIsInvalidCredentials() {
    TestCertificates other = TestCertificates.generate("not-registered");
    String cid = "cert-" + UUID.randomUUID();
    api.post("/connections", """
        {"provider_config_key":"ms-cert","connection_id":"%s","credentials":{"type":"TWO_STEP","clientId":"%s","privateKey":%s,"certificate":%s},
         "connection_config":{"tenantId":"%s"}}""".formatted(cid, CERT_APP, Json.write(other.privateKeyPem()),
        Json.write(other.certificatePem()), CONTOSO));
    ApiClient.Response r = read("ms-cert", cid);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").path("payload").path("status").asText()).isEqualTo("invalid_credentials");
    assertThat(r.json().path("error").path("message").asText()).contains("AADSTS700027");
  }

  @Test
  void wrongSecretIsInvalidCredentials() {
    ApiClient.Response r = read("ms", connection(CONTOSO, APP, "not-the-secret"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_credentials");
    assertThat(r.json().path("error").path("payload").path("status").asText()).isEqualTo("invalid_credentials");
    assertThat(r.json().path("error").path("message").asText()).contains("AADSTS7000215").contains("Value");
    assertThat(r.body()).doesNotContain("not-the-secret");
  }

  @Test
  void expiredSecretTurnsTheConnectionSecretExpired() {
    String app = UUID.randomUUID().toString();
    graphgate.emulator().app(app, "old-secret", "2020-01-01T00:00:00Z", List.of());
    graphgate.emulator().grant(CONTOSO, app, List.of("User.Read.All"));
    String cid = connection(CONTOSO, app, "old-secret");
    ApiClient.Response r = read("ms", cid);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("payload").path("status").asText()).isEqualTo("secret_expired");
    assertThat(r.json().path("error").path("message").asText()).contains("expired").contains("AADSTS7000222");
    JsonNode listed = api.get("/connections?connectionId=" + cid).json().path("connections").get(0);
    assertThat(listed.path("status").asText()).isEqualTo("secret_expired");
    assertThat(listed.path("errors").get(0).path("type").asText()).isEqualTo("auth");
  }

  @Test
  void unknownTenantIsTenantNotFound() {
    ApiClient.Response r = read("ms", connection("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", APP, SECRET));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("payload").path("status").asText()).isEqualTo("tenant_not_found");
  }

  @Test
  void appNotInTheTenantIsAppNotInTenantWithAConsentLink() {
    String app = UUID.randomUUID().toString();
    graphgate.emulator().app(app, SECRET, null, List.of());
    ApiClient.Response r = read("ms", connection(FABRIKAM, app, SECRET));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("payload").path("status").asText()).isEqualTo("app_not_in_tenant");
    assertThat(r.json().path("error").path("message").asText()).contains(graphgate.emulator().loginUrl() + "/" + FABRIKAM + "/v2.0/adminconsent?client_id=" + app);
  }

  @Test
  void consentGrantedAfterTheFactClearsConsentMissingOnTheNextRefresh() throws Exception {
    String app = UUID.randomUUID().toString();
    graphgate.emulator().app(app, SECRET, null, List.of());
    graphgate.emulator().grant(FABRIKAM, app, List.of());
    String cid = connection(FABRIKAM, app, SECRET);
    ApiClient.Response before = read("ms", cid);
    assertThat(before.status()).as(before.body()).isEqualTo(200);
    assertThat(before.json().path("status").asText()).isEqualTo("consent_missing");
    assertThat(before.json().path("admin_consent_url").asText()).startsWith(graphgate.emulator().loginUrl() + "/" + FABRIKAM + "/v2.0/adminconsent?client_id=" + app + "&scope=");
    assertThat(claims(before).getClaim("roles")).isNull();

    graphgate.emulator().grant(FABRIKAM, app, List.of("User.Read.All"));
    clock.advance(Duration.ofSeconds(61));
    // The read after the recheck is due is answered at once with the token it has, and refreshes it in the background.
    assertThat(read("ms", cid).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(read("ms", cid).json().path("status").asText()).isEqualTo("ok"));
    ApiClient.Response after = read("ms", cid);
    assertThat(after.json().path("status").asText()).isEqualTo("ok");
    assertThat(after.json().path("granted_permissions").get(0).asText()).isEqualTo("User.Read.All");
    assertThat(claims(after).getStringListClaim("roles")).containsExactly("User.Read.All");
  }

  @Test
  void fiveHundredConcurrentReadsOfAnExpiredTokenMakeOneTokenRequest() throws Exception {
    String cid = connection(CONTOSO, APP, SECRET);
    assertThat(read("ms", cid).status()).isEqualTo(200);
    clock.advance(Duration.ofHours(2)); // the token has expired
    graphgate.emulator().resetStats();
    List<String> tokens = new ArrayList<>();
    for (ApiClient.Response r : Concurrently.times(500, i -> read("ms", cid))) {
      assertThat(r.status()).isEqualTo(200);
      tokens.add(r.json().path("credentials").path("token").asText());
    }
    assertThat(tokens).hasSize(500).containsOnly(tokens.get(0));
    assertThat(graphgate.emulator().tokenRequests()).isEqualTo(1);
  }
}

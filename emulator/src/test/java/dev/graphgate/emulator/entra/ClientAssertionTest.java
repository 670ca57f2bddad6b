package dev.graphgate.emulator.entra;

import static dev.graphgate.emulator.support.EntraAssertions.assertEntraError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.EmulatorRig;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Jwt;
import dev.graphgate.emulator.support.Scenario;
import dev.graphgate.emulator.support.Scenario.Client;
import dev.graphgate.emulator.support.TestCertificate;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Certificate credentials: client assertions signed RS256 or PS256, and every way one can be wrong. */
class ClientAssertionTest {

  @RegisterExtension static final EmulatorRig rig = EmulatorRig.ephemeral();
  static TestCertificate certificate;
  static Tenant tenant;
  static Client client;

  @BeforeAll
  static void start() {
    certificate = TestCertificate.create();
    tenant = rig.scenario().tenant();
    client = rig.scenario().register(tenant, false, List.of("Sites.Read.All"), Optional.empty(), List.of(certificate.pem()), List.of());
    rig.emulator().directory().grant(tenant.id(), client.appId(), List.of("Sites.Read.All"));
  }

  /** The header and claims MSAL4J sends: RS256, x5t#S256, aud = token endpoint, iss = sub = client id, jti, nbf, exp. */
  static JWSHeader.Builder msalHeader(JWSAlgorithm alg) {
    return new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).x509CertSHA256Thumbprint(new Base64URL(certificate.x5tS256()));
  }

  static JWTClaimsSet.Builder msalClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .audience(rig.scenario().tokenUri(tenant.id()).toString())
        .issuer(client.appId())
        .subject(client.appId())
        .jwtID(UUID.randomUUID().toString())
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)));
  }

  static String sign(JWSHeader header, JWTClaimsSet claims, RSAPrivateKey key) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String assertion(UnaryOperator<JWTClaimsSet.Builder> claims) {
    return sign(msalHeader(JWSAlgorithm.RS256).build(), claims.apply(msalClaims()).build(), certificate.privateKey());
  }

  static Http.Response tokenWith(String assertion) {
    return rig.scenario().token(tenant.id(), Http.formOf(
        "client_id", client.appId(),
        "scope", Scenario.GRAPH_DEFAULT,
        "grant_type", "client_credentials",
        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion", assertion));
  }

  @Test
  void tokenRequestWithRs256AssertionAndX5tS256ThenTokenWithAppIdAcr2() {
    Http.Response response = tokenWith(assertion(c -> c));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    var claims = Jwt.claims(response.json().path("access_token").asText());
    assertThat(claims.path("appidacr").asText()).isEqualTo("2");
    assertThat(claims.path("roles").get(0).asText()).isEqualTo("Sites.Read.All");
  }

  @Test
  void tokenRequestWithPs256AssertionAndSha1X5tThenToken() {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.PS256).type(JOSEObjectType.JWT)
        .x509CertThumbprint(new Base64URL(certificate.x5t())).build();

    Http.Response response = tokenWith(sign(header, msalClaims().build(), certificate.privateKey()));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  @Test
  void tokenRequestWithAssertionAudienceNamingTenantByDomainOrV1EndpointThenToken() {
    for (String aud : List.of(
        rig.emulator().loginUrl() + "/" + tenant.domains().getFirst() + "/oauth2/v2.0/token",
        rig.emulator().loginUrl() + "/" + tenant.id() + "/oauth2/token",
        "https://login.microsoftonline.com/" + tenant.id() + "/oauth2/v2.0/token")) {
      assertThat(tokenWith(assertion(c -> c.audience(aud))).status()).as(aud).isEqualTo(200);
    }
  }

  @Test
  void tokenRequestWhenAssertionSignedByUnregisteredKeyThenInvalidClient700027() {
    TestCertificate other = TestCertificate.create();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).x509CertSHA256Thumbprint(new Base64URL(other.x5tS256())).build();

    String message = assertEntraError(tokenWith(sign(header, msalClaims().build(), other.privateKey())), 401, "invalid_client", 700027);

    assertThat(message).contains("The key was not found");
  }

  @Test
  void tokenRequestWhenAssertionSignatureWrongThenInvalidClient700027() {
    TestCertificate other = TestCertificate.create();

    String message = assertEntraError(
        tokenWith(sign(msalHeader(JWSAlgorithm.RS256).build(), msalClaims().build(), other.privateKey())), 401, "invalid_client", 700027);

    assertThat(message).contains("verify the signature failed");
  }

  @Test
  void tokenRequestWhenAssertionHasNoThumbprintThenInvalidClient700027() {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).build();

    assertEntraError(tokenWith(sign(header, msalClaims().build(), certificate.privateKey())), 401, "invalid_client", 700027);
  }

  @Test
  void tokenRequestWhenCertificateExpiredThenInvalidClient700027() {
    TestCertificate expired = TestCertificate.validFrom(Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(1));
    Client old = rig.scenario().register(tenant, false, List.of(), Optional.empty(), List.of(expired.pem()), List.of());
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).x509CertSHA256Thumbprint(new Base64URL(expired.x5tS256())).build();
    JWTClaimsSet claims = msalClaims().issuer(old.appId()).subject(old.appId()).build();

    Http.Response response = rig.scenario().token(tenant.id(), Http.formOf(
        "client_id", old.appId(), "scope", Scenario.GRAPH_DEFAULT, "grant_type", "client_credentials",
        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion", sign(header, claims, expired.privateKey())));

    assertThat(assertEntraError(response, 401, "invalid_client", 700027)).contains("expired");
  }

  @Test
  void tokenRequestWhenAssertionExpiredThenInvalidClient700024() {
    Instant past = Instant.now().minus(Duration.ofHours(1));

    String message = assertEntraError(
        tokenWith(assertion(c -> c.notBeforeTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(600))))),
        401, "invalid_client", 700024);

    assertThat(message).contains("not within its valid time range");
  }

  @Test
  void tokenRequestWhenAssertionNotYetValidThenInvalidClient700024() {
    Instant future = Instant.now().plus(Duration.ofHours(1));

    assertEntraError(
        tokenWith(assertion(c -> c.notBeforeTime(Date.from(future)).expirationTime(Date.from(future.plusSeconds(600))))),
        401, "invalid_client", 700024);
  }

  @Test
  void tokenRequestWhenAssertionSubjectDiffersFromIssuerThenInvalidClient50048() {
    assertEntraError(tokenWith(assertion(c -> c.subject(UUID.randomUUID().toString()))), 401, "invalid_client", 50048);
  }

  @Test
  void tokenRequestWhenAssertionIssuerIsAnotherClientThenInvalidClient700021() {
    String other = UUID.randomUUID().toString();

    assertEntraError(tokenWith(assertion(c -> c.issuer(other).subject(other))), 401, "invalid_client", 700021);
  }

  @Test
  void tokenRequestWhenAssertionAudienceWrongThenInvalidRequest50027() {
    assertEntraError(
        tokenWith(assertion(c -> c.audience("https://login.microsoftonline.com/" + UUID.randomUUID() + "/oauth2/v2.0/token"))),
        400, "invalid_request", 50027);
  }

  @Test
  void tokenRequestWhenAssertionHasNoJtiThenInvalidRequest50027() {
    assertEntraError(tokenWith(assertion(c -> c.jwtID(null))), 400, "invalid_request", 50027);
  }

  @Test
  void tokenRequestWhenAssertionIsGarbageThenInvalidRequest50027() {
    for (String garbage : List.of("not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.%%%.xyz", "....")) {
      assertEntraError(tokenWith(garbage), 400, "invalid_request", 50027);
    }
  }

  @Test
  void tokenRequestWhenAssertionSignedWithHmacThenInvalidRequest50027() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), msalClaims().build());
    jwt.sign(new MACSigner(new byte[32]));

    assertEntraError(tokenWith(jwt.serialize()), 400, "invalid_request", 50027);
  }

  @Test
  void tokenRequestWhenAssertionTypeWrongThenInvalidRequest() {
    Map<String, String> form = Http.formOf(
        "client_id", client.appId(), "scope", Scenario.GRAPH_DEFAULT, "grant_type", "client_credentials",
        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
        "client_assertion", assertion(c -> c));

    assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_request", 9002313);
    form.remove("client_assertion_type");
    assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_request", 900144);
  }
}

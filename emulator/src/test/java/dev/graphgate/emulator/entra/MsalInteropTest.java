package dev.graphgate.emulator.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.http.TrustMaterial;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Scenario;
import dev.graphgate.emulator.support.Scenario.Client;
import dev.graphgate.emulator.support.TestCertificate;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Microsoft's own client against the emulator over TLS: MSAL4J acquires tokens with a secret and with a certificate,
 * and nimbus verifies them against the JWKS the emulator publishes.
 */
class MsalInteropTest {

  static final Set<String> GRAPH = Set.of("https://graph.microsoft.com/.default");

  @TempDir static Path trustDir;
  static Emulator emulator;
  static Scenario scenario;
  static SSLContext ssl;

  @BeforeAll
  static void start() throws Exception {
    emulator = Emulator.start(EmulatorConfig.ephemeral().withHttps(trustDir));
    ssl = trusting(emulator.trustMaterial().orElseThrow().trustStore());
    scenario = new Scenario(emulator, Http.trusting(ssl));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  /** What a JVM client does with the trust material the emulator writes: load the PKCS12 trust store. */
  static SSLContext trusting(Path trustStore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      store.load(in, TrustMaterial.TRUST_STORE_PASSWORD.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  static ConfidentialClientApplication msal(String clientId, IClientCredential credential, String tenant) throws Exception {
    return ConfidentialClientApplication.builder(clientId, credential)
        .authority(emulator.loginUrl() + "/" + tenant + "/")
        .instanceDiscovery(false)
        .sslSocketFactory(ssl.getSocketFactory())
        .build();
  }

  /** Fetches the JWKS over HTTPS, picks the key by {@code kid}, checks the RS256 signature; returns the claims. */
  static JWTClaimsSet verified(String accessToken, Tenant tenant) throws Exception {
    Http.Response keys = scenario.http().get(scenario.login("/" + tenant.id() + "/discovery/v2.0/keys"));
    assertThat(keys.status()).isEqualTo(200);
    JWKSet jwks = JWKSet.parse(keys.body());
    SignedJWT jwt = SignedJWT.parse(accessToken);
    RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key).as("the token's kid is in the JWKS").isNotNull();
    assertThat(jwt.verify(new RSASSAVerifier(key))).as("signature verifies with the published key").isTrue();
    return jwt.getJWTClaimsSet();
  }

  @Test
  void msalWithClientSecretOverHttpsThenTokenVerifiesAgainstJwks() throws Exception {
    Tenant tenant = scenario.tenant();
    Client client = scenario.grantedApp(tenant, "User.Read.All", "Mail.Read");

    IAuthenticationResult result =
        msal(client.appId(), ClientCredentialFactory.createFromSecret(client.secret()), tenant.domains().getFirst())
            .acquireToken(ClientCredentialParameters.builder(GRAPH).build()).get();

    JWTClaimsSet claims = verified(result.accessToken(), tenant);
    assertThat(claims.getIssuer()).isEqualTo("https://sts.windows.net/" + tenant.id() + "/");
    assertThat(claims.getAudience()).containsExactly("https://graph.microsoft.com");
    assertThat(claims.getStringClaim("tid")).isEqualTo(tenant.id());
    assertThat(claims.getStringClaim("appid")).isEqualTo(client.appId());
    assertThat(claims.getStringClaim("appidacr")).isEqualTo("1");
    assertThat(claims.getStringClaim("idtyp")).isEqualTo("app");
    assertThat(claims.getStringListClaim("roles")).containsExactly("User.Read.All", "Mail.Read");
    assertThat(result.expiresOnDate()).isAfter(new Date());
  }

  @Test
  void msalWithCertificateOverHttpsThenTokenVerifiesAgainstJwks() throws Exception {
    Tenant tenant = scenario.tenant();
    TestCertificate certificate = TestCertificate.create();
    Client client = scenario.register(tenant, false, List.of(), Optional.empty(), List.of(certificate.pem()), List.of());

    IAuthenticationResult result =
        msal(client.appId(), ClientCredentialFactory.createFromCertificate(certificate.privateKey(), certificate.certificate()), tenant.id())
            .acquireToken(ClientCredentialParameters.builder(GRAPH).build()).get();

    JWTClaimsSet claims = verified(result.accessToken(), tenant);
    assertThat(claims.getStringClaim("appidacr")).isEqualTo("2");
    assertThat(claims.getClaim("roles")).as("nothing granted: no roles claim").isNull();
    assertThat(claims.getStringClaim("idtyp")).isEqualTo("app");
    assertThat(claims.getIssuer()).isEqualTo("https://sts.windows.net/" + tenant.id() + "/");
  }

  @Test
  void msalWithWrongSecretThenMsalServiceExceptionCarriesAadstsCode() throws Exception {
    Tenant tenant = scenario.tenant();
    Client client = scenario.grantedApp(tenant, "User.Read.All");
    ConfidentialClientApplication app =
        msal(client.appId(), ClientCredentialFactory.createFromSecret("wrong-secret"), tenant.id());

    assertThatThrownBy(() -> app.acquireToken(ClientCredentialParameters.builder(GRAPH).build()).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(MsalServiceException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("invalid_client");
          assertThat(e.statusCode()).isEqualTo(401);
          assertThat(e.getMessage()).contains("AADSTS7000215");
        });
  }

  @Test
  void msalWithEmulatorsInstanceDiscoveryAnswerThenTokenCallGoesToEmulator() throws Exception {
    Tenant tenant = scenario.tenant();
    Client client = scenario.grantedApp(tenant, "User.Read.All");
    String authority = emulator.loginUrl() + "/" + tenant.id() + "/";
    String discovery = scenario.http().get(scenario.login("/common/discovery/instance?api-version=1.1&authorization_endpoint="
        + URLEncoder.encode(authority + "oauth2/v2.0/authorize", StandardCharsets.UTF_8))).body();

    ConfidentialClientApplication app =
        ConfidentialClientApplication.builder(client.appId(), ClientCredentialFactory.createFromSecret(client.secret()))
            .authority(authority)
            .aadInstanceDiscoveryResponse(discovery)
            .sslSocketFactory(ssl.getSocketFactory())
            .build();

    IAuthenticationResult result = app.acquireToken(ClientCredentialParameters.builder(GRAPH).build()).get();
    assertThat(verified(result.accessToken(), tenant).getStringClaim("tid")).isEqualTo(tenant.id());
  }
}

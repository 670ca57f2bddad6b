package dev.graphgate.emulator.entra;

import static dev.graphgate.emulator.support.EntraAssertions.assertEntraError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.EmulatorRig;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Scenario.Client;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenID Connect metadata, signing keys and instance discovery, each pointing back at the emulator. */
class DiscoveryEndpointsTest {

  @RegisterExtension static final EmulatorRig rig = EmulatorRig.ephemeral();
  static Tenant tenant;
  static String origin;

  @BeforeAll
  static void start() {
    tenant = rig.scenario().tenant();
    origin = rig.emulator().loginUrl().toString();
  }

  @Test
  void v2MetadataByDomainThenEndpointsOnTheEmulatorWithTenantId() {
    Http.Response response =
        rig.scenario().http().get(rig.scenario().login("/" + tenant.domains().getFirst() + "/v2.0/.well-known/openid-configuration"));

    assertThat(response.status()).isEqualTo(200);
    JsonNode doc = response.json();
    assertThat(doc.path("token_endpoint").asText()).isEqualTo(origin + "/" + tenant.id() + "/oauth2/v2.0/token");
    assertThat(doc.path("jwks_uri").asText()).isEqualTo(origin + "/" + tenant.id() + "/discovery/v2.0/keys");
    assertThat(doc.path("issuer").asText()).isEqualTo(origin + "/" + tenant.id() + "/v2.0");
    assertThat(doc.path("token_endpoint_auth_methods_supported")).extracting(JsonNode::asText)
        .containsExactly("client_secret_post", "private_key_jwt", "client_secret_basic");
    assertThat(doc.path("id_token_signing_alg_values_supported").get(0).asText()).isEqualTo("RS256");
    assertThat(doc.path("msgraph_host").asText()).isEqualTo(rig.emulator().graphUrl().getRawAuthority());
    assertThat(doc.path("userinfo_endpoint").asText()).startsWith(rig.emulator().graphUrl().toString());
  }

  @Test
  void v1MetadataThenIssuerIsTheIssuerOfEmulatorTokens() {
    JsonNode doc = rig.scenario().http().get(rig.scenario().login("/" + tenant.id() + "/.well-known/openid-configuration")).json();

    assertThat(doc.path("issuer").asText()).isEqualTo("https://sts.windows.net/" + tenant.id() + "/");
    assertThat(doc.path("token_endpoint").asText()).isEqualTo(origin + "/" + tenant.id() + "/oauth2/token");
    assertThat(doc.path("jwks_uri").asText()).isEqualTo(origin + "/" + tenant.id() + "/discovery/keys");
  }

  @Test
  void commonMetadataThenIssuerWithTenantPlaceholder() {
    JsonNode doc = rig.scenario().http().get(rig.scenario().login("/common/v2.0/.well-known/openid-configuration")).json();

    assertThat(doc.path("issuer").asText()).isEqualTo(origin + "/{tenantid}/v2.0");
    assertThat(doc.path("token_endpoint").asText()).isEqualTo(origin + "/common/oauth2/v2.0/token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/.well-known/openid-configuration", "/v2.0/.well-known/openid-configuration", "/discovery/keys", "/discovery/v2.0/keys"})
  void discoveryForUnknownTenantThenInvalidTenant90002(String path) {
    assertEntraError(rig.scenario().http().get(rig.scenario().login("/nosuchtenant.onmicrosoft.com" + path)), 400, "invalid_tenant", 90002);
  }

  @Test
  void discoveryForMalformedTenantThenInvalidRequest900023() {
    assertEntraError(rig.scenario().http().get(rig.scenario().login("/bad_tenant/discovery/keys")), 400, "invalid_request", 900023);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/discovery/keys", "/discovery/v2.0/keys"})
  void keysThenTheSigningKeyThatVerifiesIssuedTokens(String path) throws Exception {
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All");
    String token = rig.scenario().token(tenant.id(), rig.scenario().secretForm(client)).json().path("access_token").asText();

    for (String segment : new String[] {tenant.id(), "common"}) {
      Http.Response response = rig.scenario().http().get(rig.scenario().login("/" + segment + path));
      assertThat(response.status()).isEqualTo(200);
      JsonNode key = response.json().path("keys").get(0);
      assertThat(key.path("kty").asText()).isEqualTo("RSA");
      assertThat(key.path("use").asText()).isEqualTo("sig");
      assertThat(key.path("kid").asText()).isEqualTo(key.path("x5t").asText());
      assertThat(key.path("x5c").get(0).asText()).isNotBlank();
      assertThat(key.path("e").asText()).isEqualTo("AQAB");
      RSAKey jwk = (RSAKey) JWKSet.parse(response.body()).getKeyByKeyId(SignedJWT.parse(token).getHeader().getKeyID());
      assertThat(SignedJWT.parse(token).verify(new RSASSAVerifier(jwk))).isTrue();
    }
  }

  @Test
  void instanceDiscoveryForEmulatorAuthorityThenEmulatorIsPreferredNetwork() {
    String authorize = origin + "/" + tenant.id() + "/oauth2/v2.0/authorize";

    Http.Response response = rig.scenario().http().get(rig.scenario().login(
        "/common/discovery/instance?api-version=1.1&authorization_endpoint=" + URLEncoder.encode(authorize, StandardCharsets.UTF_8)));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Cache-Control")).hasValue("max-age=86400, private");
    JsonNode body = response.json();
    assertThat(body.path("tenant_discovery_endpoint").asText())
        .isEqualTo(origin + "/" + tenant.id() + "/v2.0/.well-known/openid-configuration");
    assertThat(body.path("api-version").asText()).isEqualTo("1.1");
    JsonNode entry = body.path("metadata").get(0);
    assertThat(entry.path("preferred_network").asText()).isEqualTo("127.0.0.1");
    assertThat(entry.path("aliases")).extracting(JsonNode::asText).contains("127.0.0.1");
  }

  @Test
  void instanceDiscoveryForForeignHostThenInvalidInstance50049() {
    Http.Response response = rig.scenario().http().get(rig.scenario().login(
        "/common/discovery/instance?api-version=1.1&authorization_endpoint=https%3A%2F%2Fevil.example%2Fcommon%2Foauth2%2Fv2.0%2Fauthorize"));

    assertEntraError(response, 400, "invalid_instance", 50049);
  }

  @Test
  void errorLookupPageThenDescribesTheCode() {
    Http.Response response = rig.scenario().http().get(rig.scenario().login("/error?code=7000215"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
    assertThat(response.body()).contains("AADSTS7000215").contains("invalid_client");
  }
}

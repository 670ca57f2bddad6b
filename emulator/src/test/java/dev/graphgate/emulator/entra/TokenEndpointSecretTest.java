package dev.graphgate.emulator.entra;

import static dev.graphgate.emulator.support.EntraAssertions.assertEntraError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.EmulatorRig;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Jwt;
import dev.graphgate.emulator.support.Scenario;
import dev.graphgate.emulator.support.Scenario.Client;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client credentials grant with a client secret, over real HTTP: successes, the token's claims, and failures. */
class TokenEndpointSecretTest {

  @RegisterExtension static final EmulatorRig rig = EmulatorRig.with(() -> EmulatorConfig.ephemeral().withTokenReuseWindow(java.time.Duration.ZERO));

  @Test
  void tokenRequestWithSecretThenBearerTokenAsEntraAnswers() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All", "Mail.Read");

    Http.Response response = rig.scenario().token(tenant.id(), rig.scenario().secretForm(client));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct.replace(" ", "")).isEqualTo("application/json;charset=utf-8"));
    assertThat(response.header("Cache-Control")).hasValue("no-store, no-cache");
    assertThat(response.header("Pragma")).hasValue("no-cache");
    assertThat(response.header("Expires")).hasValue("-1");
    assertThat(response.header("x-ms-request-id")).isPresent();
    JsonNode body = response.json();
    assertThat(body.fieldNames()).toIterable().containsExactly("token_type", "expires_in", "ext_expires_in", "access_token");
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("expires_in").isNumber()).isTrue();
    assertThat(body.path("expires_in").asLong()).isEqualTo(3599);
    assertThat(body.path("ext_expires_in").asLong()).isEqualTo(3599);
  }

  @Test
  void tokenRequestWithSecretThenV1TokenWithGrantedRoles() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All", "Mail.Read");

    String token = rig.scenario().token(tenant.id(), rig.scenario().secretForm(client)).json().path("access_token").asText();

    JsonNode header = Jwt.header(token);
    assertThat(header.path("alg").asText()).isEqualTo("RS256");
    assertThat(header.path("typ").asText()).isEqualTo("JWT");
    assertThat(header.path("kid").asText()).isEqualTo(rig.emulator().signingKey().keyId()).isEqualTo(header.path("x5t").asText());
    JsonNode claims = Jwt.claims(token);
    String servicePrincipalId = rig.emulator().directory().servicePrincipal(tenant.id(), client.appId()).orElseThrow().objectId();
    assertThat(claims.path("aud").asText()).isEqualTo("https://graph.microsoft.com");
    assertThat(claims.path("iss").asText()).isEqualTo("https://sts.windows.net/" + tenant.id() + "/");
    assertThat(claims.path("idp").asText()).isEqualTo("https://sts.windows.net/" + tenant.id() + "/");
    assertThat(claims.path("tid").asText()).isEqualTo(tenant.id());
    assertThat(claims.path("appid").asText()).isEqualTo(client.appId());
    assertThat(claims.path("appidacr").asText()).isEqualTo("1");
    assertThat(claims.path("idtyp").asText()).isEqualTo("app");
    assertThat(claims.path("oid").asText()).isEqualTo(servicePrincipalId);
    assertThat(claims.path("sub").asText()).isEqualTo(servicePrincipalId);
    assertThat(claims.path("ver").asText()).isEqualTo("1.0");
    assertThat(claims.path("roles")).extracting(JsonNode::asText).containsExactly("User.Read.All", "Mail.Read");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3599);
    assertThat(claims.has("scp")).isFalse();
  }

  @Test
  void tokenRequestWhenNothingGrantedThenTokenWithoutRolesClaim() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().app(tenant, "User.Read.All");

    String token = rig.scenario().token(tenant.id(), rig.scenario().secretForm(client)).json().path("access_token").asText();

    assertThat(Jwt.claims(token).has("roles")).isFalse();
    assertThat(Jwt.claims(token).path("idtyp").asText()).isEqualTo("app");
  }

  @Test
  void tokenRequestWhenTenantNamedByAnyVerifiedDomainInAnyCaseThenToken() {
    Tenant tenant =
        rig.emulator().directory().createTenant(Optional.empty(), Optional.of("Fabrikam"),
            List.of("fabrikam" + UUID.randomUUID().toString().substring(0, 6) + ".onmicrosoft.com", "mail" + UUID.randomUUID().toString().substring(0, 6) + ".fabrikam.example"));
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All");

    for (String segment : List.of(tenant.id().toUpperCase(), tenant.domains().get(0).toUpperCase(), tenant.domains().get(1))) {
      Http.Response response = rig.scenario().token(segment, rig.scenario().secretForm(client));
      assertThat(response.status()).as(segment).isEqualTo(200);
      assertThat(Jwt.claims(response.json().path("access_token").asText()).path("tid").asText()).isEqualTo(tenant.id());
    }
  }

  @Test
  void tokenRequestWithGraphAppIdScopeThenAudienceIsTheAppId() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All");
    Map<String, String> form = rig.scenario().secretForm(client);
    form.put("scope", "00000003-0000-0000-c000-000000000000/.default");

    Http.Response response = rig.scenario().token(tenant.id(), form);

    assertThat(Jwt.claims(response.json().path("access_token").asText()).path("aud").asText())
        .isEqualTo("00000003-0000-0000-c000-000000000000");
  }

  @Test
  void tokenRequestWithBasicAuthenticationThenToken() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All");
    String basic = Base64.getEncoder().encodeToString((client.appId() + ":" + java.net.URLEncoder.encode(client.secret(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));

    Http.Response response =
        rig.scenario().token(tenant.id(), Http.formOf("grant_type", "client_credentials", "scope", Scenario.GRAPH_DEFAULT),
            "Authorization", "Basic " + basic);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(Jwt.claims(response.json().path("access_token").asText()).path("appid").asText()).isEqualTo(client.appId());
  }

  @Test
  void tokenRequestWithClientRequestIdThenCorrelationIdEchoesIt() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().app(tenant);
    Map<String, String> form = rig.scenario().secretForm(client);
    form.put("client_secret", "wrong");
    String requestId = UUID.randomUUID().toString();

    Http.Response response =
        rig.scenario().token(tenant.id(), form, "client-request-id", requestId, "return-client-request-id", "true");

    assertEntraError(response, 401, "invalid_client", 7000215);
    assertThat(response.json().path("correlation_id").asText()).isEqualTo(requestId);
    assertThat(response.header("client-request-id")).hasValue(requestId);
  }

  @Test
  void tokenRequestWhenSecretWrongThenInvalidClient7000215() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().app(tenant);
    Map<String, String> form = rig.scenario().secretForm(client);
    form.put("client_secret", "not-the-secret");

    String message = assertEntraError(rig.scenario().token(tenant.id(), form), 401, "invalid_client", 7000215);

    assertThat(message).contains(client.appId()).doesNotContain("not-the-secret");
  }

  @Test
  void tokenRequestWhenSecretExpiredThenInvalidClient7000222() {
    Tenant tenant = rig.scenario().tenant();
    Client client =
        rig.scenario().register(tenant, false, List.of(), Optional.of(Instant.now().minus(1, ChronoUnit.DAYS)), List.of(), List.of());

    String message = assertEntraError(rig.scenario().token(tenant.id(), rig.scenario().secretForm(client)), 401, "invalid_client", 7000222);

    assertThat(message).contains("are expired").contains(client.appId());
  }

  @Test
  void tokenRequestWithoutCredentialThenInvalidClient7000218() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().app(tenant);
    Map<String, String> form = rig.scenario().secretForm(client);
    form.remove("client_secret");

    assertEntraError(rig.scenario().token(tenant.id(), form), 401, "invalid_client", 7000218);
  }

  @Test
  void tokenRequestWhenAppUnknownThenUnauthorizedClient700016() {
    Tenant tenant = rig.scenario().tenant();
    Map<String, String> form = rig.scenario().secretForm(new Client(rig.scenario().app(tenant).app(), "x"));
    String unknown = UUID.randomUUID().toString();
    form.put("client_id", unknown);

    String message = assertEntraError(rig.scenario().token(tenant.id(), form), 400, "unauthorized_client", 700016);

    assertThat(message).contains(unknown);
  }

  @Test
  void tokenRequestWhenAppNotInThatTenantThenUnauthorizedClient700016() {
    Tenant home = rig.scenario().tenant();
    Tenant other = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(home, "User.Read.All");

    assertEntraError(rig.scenario().token(other.id(), rig.scenario().secretForm(client)), 400, "unauthorized_client", 700016);
  }

  @Test
  void tokenRequestWhenGrantRevokedThenUnauthorizedClient700016() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All");
    rig.emulator().directory().revoke(tenant.id(), client.appId());

    assertEntraError(rig.scenario().token(tenant.id(), rig.scenario().secretForm(client)), 400, "unauthorized_client", 700016);
  }

  @Test
  void tokenRequestWhenAppDisabledThenUnauthorizedClient7000112() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All");
    rig.emulator().directory().updateApp(client.appId(), app -> app.withDisabled(true));

    String message =
        assertEntraError(rig.scenario().token(tenant.id(), rig.scenario().secretForm(client)), 400, "unauthorized_client", 7000112);

    assertThat(message).contains(client.appId()).contains("disabled");
  }

  @Test
  void tokenRequestsThenCountedPerTenantAndApp() {
    Tenant tenant = rig.scenario().tenant();
    Client client = rig.scenario().grantedApp(tenant, "User.Read.All");
    Map<String, String> wrong = rig.scenario().secretForm(client);
    wrong.put("client_secret", "wrong");

    rig.scenario().token(tenant.domains().getFirst(), rig.scenario().secretForm(client));
    rig.scenario().token(tenant.id(), rig.scenario().secretForm(client));
    rig.scenario().token(tenant.id(), wrong);

    assertThat(rig.emulator().stats().tokenRequests(tenant.id(), client.appId())).isEqualTo(3);
    JsonNode stats = rig.scenario().http().get(rig.scenario().login("/_emulator/stats")).json().path("tokenRequests");
    JsonNode row = null;
    for (JsonNode r : stats.path("byTenantAndApp")) {
      if (r.path("tenantId").asText().equals(tenant.id()) && r.path("appId").asText().equals(client.appId())) {
        row = r;
      }
    }
    assertThat(row).isNotNull();
    assertThat(row.path("succeeded").asLong()).isEqualTo(2);
    assertThat(row.path("failed").asLong()).isEqualTo(1);
  }

  @Test
  void tokenRequestForMultiTenantAppConsentedElsewhereThenTokenCarriesThatTenantsRoles() {
    Tenant home = rig.scenario().tenant();
    Tenant customer = rig.scenario().tenant();
    Client client = rig.scenario().register(home, true, List.of("User.Read.All"), Optional.empty(), List.of(), List.of());
    rig.emulator().directory().grant(customer.id(), client.appId(), List.of("Files.Read.All"));

    JsonNode claims = Jwt.claims(rig.scenario().token(customer.id(), rig.scenario().secretForm(client)).json().path("access_token").asText());

    assertThat(claims.path("tid").asText()).isEqualTo(customer.id());
    assertThat(claims.path("roles")).extracting(JsonNode::asText).containsExactly("Files.Read.All");
    AppRegistration app = rig.emulator().directory().app(client.appId()).orElseThrow();
    assertThat(claims.path("app_displayname").asText()).isEqualTo(app.displayName());
  }
}

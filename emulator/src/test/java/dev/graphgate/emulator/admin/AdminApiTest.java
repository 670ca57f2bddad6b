package dev.graphgate.emulator.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.support.EmulatorRig;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Jwt;
import dev.graphgate.emulator.support.Scenario;
import dev.graphgate.emulator.support.TestCertificate;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code /_emulator/} admin API over HTTP: what the server team's tests use to set up tenants, apps and grants. */
class AdminApiTest {

  @RegisterExtension static final EmulatorRig rig = EmulatorRig.ephemeral();
  static Http http;

  @BeforeAll
  static void start() {
    http = Http.client();
  }

  static URI admin(String path) {
    return URI.create(rig.emulator().loginUrl() + "/_emulator" + path);
  }

  static String domain() {
    return "d" + UUID.randomUUID().toString().substring(0, 10) + ".onmicrosoft.com";
  }

  static void assertAdminError(Http.Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().path("error").path("code").asText()).isEqualTo(code);
    assertThat(response.json().path("error").path("message").asText()).isNotBlank();
  }

  @Test
  void createTenantAppAndGrantThenTokenCarriesRoles() {
    String domain = domain();
    JsonNode tenant = http.postJson(admin("/tenants"), "{\"domains\":[\"" + domain + "\"]}").json();
    String tenantId = tenant.path("id").asText();
    Http.Response app = http.postJson(admin("/apps"),
        "{\"displayName\":\"Acme\",\"multiTenant\":true,\"tenantId\":\"" + tenantId + "\",\"requiredRoles\":[\"user.read.all\"],"
            + "\"secrets\":[{\"value\":\"acme-secret\"}]}");
    assertThat(app.status()).isEqualTo(201);
    String appId = app.json().path("appId").asText();
    assertThat(app.json().path("secrets").get(0).path("value").asText()).isEqualTo("acme-secret");
    assertThat(app.json().path("requiredRoles").get(0).asText()).isEqualTo("User.Read.All");

    Http.Response grant = http.postJson(admin("/grants"),
        "{\"tenantId\":\"" + domain + "\",\"appId\":\"" + appId + "\",\"roles\":[\"User.Read.All\",\"Mail.Read\"]}");
    assertThat(grant.status()).isEqualTo(200);

    Http.Response token = http.postForm(URI.create(rig.emulator().loginUrl() + "/" + domain + "/oauth2/v2.0/token"),
        Http.formOf("grant_type", "client_credentials", "client_id", appId, "client_secret", "acme-secret", "scope", Scenario.GRAPH_DEFAULT));
    assertThat(Jwt.claims(token.json().path("access_token").asText()).path("roles")).extracting(JsonNode::asText)
        .containsExactly("User.Read.All", "Mail.Read");
  }

  @Test
  void listAndGetThenNoSecretValues() {
    String domain = domain();
    String tenantId = http.postJson(admin("/tenants"), "{\"domains\":[\"" + domain + "\"]}").json().path("id").asText();
    String appId = http.postJson(admin("/apps"), "{\"displayName\":\"Lister\",\"secrets\":[{}]}").json().path("appId").asText();

    assertThat(http.get(admin("/tenants/" + domain)).json().path("id").asText()).isEqualTo(tenantId);
    assertThat(http.get(admin("/tenants")).body()).contains(tenantId);
    Http.Response app = http.get(admin("/apps/" + appId));
    assertThat(app.json().path("secrets").get(0).has("value")).isFalse();
    assertThat(app.json().path("secrets").get(0).path("hint").asText()).hasSize(3);
    assertThat(http.get(admin("/apps")).body()).contains(appId);
    assertThat(http.get(admin("/permissions")).body()).contains("User.Read.All").contains("df021288-bdef-4463-88db-98f22de89214");
  }

  @Test
  void deleteGrantThenTokenRequestAnswers700016AndDeleteAppAndTenantRemoveThem() {
    String domain = domain();
    String tenantId = http.postJson(admin("/tenants"), "{\"domains\":[\"" + domain + "\"]}").json().path("id").asText();
    String appId = http.postJson(admin("/apps"), "{\"displayName\":\"Gone\",\"secrets\":[{\"value\":\"v\"}]}").json().path("appId").asText();
    http.postJson(admin("/grants"), "{\"tenantId\":\"" + tenantId + "\",\"appId\":\"" + appId + "\",\"roles\":[]}");
    assertThat(http.get(admin("/grants?tenantId=" + tenantId)).body()).contains(appId);

    assertThat(http.delete(admin("/grants/" + tenantId + "/" + appId)).status()).isEqualTo(204);
    Http.Response token = http.postForm(URI.create(rig.emulator().loginUrl() + "/" + tenantId + "/oauth2/v2.0/token"),
        Http.formOf("grant_type", "client_credentials", "client_id", appId, "client_secret", "v", "scope", Scenario.GRAPH_DEFAULT));
    assertThat(token.json().path("error_codes").get(0).asInt()).isEqualTo(700016);

    assertThat(http.delete(admin("/apps/" + appId)).status()).isEqualTo(204);
    assertAdminError(http.get(admin("/apps/" + appId)), 404, "app_not_found");
    assertThat(http.delete(admin("/tenants/" + tenantId)).status()).isEqualTo(204);
    assertAdminError(http.get(admin("/tenants/" + tenantId)), 404, "tenant_not_found");
  }

  @Test
  void createAppWithCertificateThenThumbprintsShown() {
    TestCertificate certificate = TestCertificate.create();
    String pem = certificate.pem().replace("\n", "\\n");

    Http.Response app = http.postJson(admin("/apps"), "{\"displayName\":\"Cert app\",\"certificates\":[{\"pem\":\"" + pem + "\"}]}");

    assertThat(app.status()).isEqualTo(201);
    assertThat(app.json().path("certificates").get(0).path("x5t#S256").asText()).isEqualTo(certificate.x5tS256());
  }

  @Test
  void addSecretAndPatchAppThenChangesApply() {
    String appId = http.postJson(admin("/apps"), "{\"displayName\":\"Patchy\"}").json().path("appId").asText();

    Http.Response secret = http.postJson(admin("/apps/" + appId + "/secrets"), "{\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
    assertThat(secret.status()).isEqualTo(201);
    assertThat(secret.json().path("value").asText()).hasSize(40);
    Http.Response patched = http.patchJson(admin("/apps/" + appId), "{\"disabled\":true,\"displayName\":\"Renamed\"}");
    assertThat(patched.json().path("disabled").asBoolean()).isTrue();
    assertThat(patched.json().path("displayName").asText()).isEqualTo("Renamed");
  }

  @Test
  void patchAppThenCheckedAsRegistrationIsAndRolesSpelledAsTheCatalogue() {
    String appId = http.postJson(admin("/apps"), "{\"displayName\":\"Checked\",\"redirectUris\":[\"https://app.example/cb\"]}")
        .json().path("appId").asText();

    assertAdminError(http.patchJson(admin("/apps/" + appId), "{\"requiredRoles\":[\"Nope.All\"]}"), 400, "unknown_permission");
    assertAdminError(http.patchJson(admin("/apps/" + appId), "{\"redirectUris\":[\"javascript:alert(1)\"]}"), 400, "invalid_redirect_uri");
    assertAdminError(http.patchJson(admin("/apps/" + appId), "{\"displayName\":\" \"}"), 400, "invalid_display_name");
    JsonNode unchanged = http.get(admin("/apps/" + appId)).json();
    assertThat(unchanged.path("requiredRoles")).isEmpty();
    assertThat(unchanged.path("redirectUris").get(0).asText()).isEqualTo("https://app.example/cb");

    Http.Response patched = http.patchJson(admin("/apps/" + appId), "{\"requiredRoles\":[\"user.read.all\",\"User.Read.All\"]}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().path("requiredRoles").toString()).isEqualTo("[\"User.Read.All\"]");
  }

  @Test
  void badBodiesThenClearErrors() {
    assertAdminError(http.post(admin("/tenants"), "text/plain", "{}"), 415, "unsupported_media_type");
    assertAdminError(http.postJson(admin("/tenants"), "{not json"), 400, "invalid_json");
    assertAdminError(http.postJson(admin("/tenants"), ""), 400, "invalid_body");
    assertAdminError(http.postJson(admin("/tenants"), "{\"domain\":[\"x.com\"]}"), 400, "invalid_body");
    assertAdminError(http.postJson(admin("/tenants"), "{\"id\":\"not-a-guid\"}"), 400, "invalid_tenant_id");
    assertAdminError(http.postJson(admin("/tenants"), "{\"domains\":[\"no spaces.com\"]}"), 400, "invalid_domain");
    assertAdminError(http.postJson(admin("/apps"), "{}"), 400, "invalid_body");
    assertAdminError(http.postJson(admin("/apps"), "{\"displayName\":\"x\",\"requiredRoles\":[\"Nope.All\"]}"), 400, "unknown_permission");
    assertAdminError(http.postJson(admin("/apps"), "{\"displayName\":\"x\",\"redirectUris\":[\"javascript:alert(1)\"]}"), 400, "invalid_redirect_uri");
    assertAdminError(http.postJson(admin("/apps"), "{\"displayName\":\"x\",\"certificates\":[{\"pem\":\"garbage\"}]}"), 400, "invalid_certificate");
    assertAdminError(http.postJson(admin("/apps"), "{\"displayName\":\"x\",\"secrets\":[{\"expiresAt\":\"tomorrow\"}]}"), 400, "invalid_body");
    assertAdminError(http.postJson(admin("/apps"), "{\"displayName\":\"x\",\"secrets\":[{\"value\":\"  \"}]}"), 400, "invalid_body");
    assertAdminError(http.postJson(admin("/apps"), "{\"displayName\":\"x\",\"secrets\":[null]}"), 400, "invalid_body");
    assertAdminError(http.postJson(admin("/grants"), "{\"appId\":\"x\"}"), 400, "invalid_body");
    assertAdminError(http.postJson(admin("/grants"), "{\"tenantId\":\"nosuch.onmicrosoft.com\",\"appId\":\"" + UUID.randomUUID() + "\",\"roles\":[]}"), 404, "tenant_not_found");
    assertAdminError(http.postJson(admin("/tenants"), "[1,2,3]"), 400, "invalid_json");
  }

  @Test
  void duplicateTenantOrDomainThenConflict() {
    String domain = domain();
    String id = http.postJson(admin("/tenants"), "{\"domains\":[\"" + domain + "\"]}").json().path("id").asText();

    assertAdminError(http.postJson(admin("/tenants"), "{\"id\":\"" + id + "\"}"), 409, "tenant_exists");
    assertAdminError(http.postJson(admin("/tenants"), "{\"domains\":[\"" + domain + "\"]}"), 409, "domain_taken");
  }

  @Test
  void statsResetThenCountersBackToZero() {
    http.postForm(URI.create(rig.emulator().loginUrl() + "/common/oauth2/v2.0/token"), Http.formOf("grant_type", "client_credentials"));
    assertThat(http.get(admin("/stats")).json().path("tokenRequests").path("total").asLong()).isPositive();

    assertThat(http.delete(admin("/stats")).status()).isEqualTo(204);

    JsonNode tokens = http.get(admin("/stats")).json().path("tokenRequests");
    assertThat(tokens.path("total").asLong()).isZero();
    assertThat(tokens.path("signed").asLong()).isZero();
  }
}

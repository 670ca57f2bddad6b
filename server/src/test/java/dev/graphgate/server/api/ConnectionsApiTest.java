package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.TestCertificates;
import dev.graphgate.server.testing.TestConnections;
import dev.graphgate.server.testing.TestServers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The connection routes that need no token endpoint: import, read an imported token, list, patch, metadata, delete. */
class ConnectionsApiTest {
  static final String TENANT = "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f";
  static final String CLIENT = "11112222-bbbb-3333-cccc-4444dddd5555";

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2()
      .options(() -> Graphgate.Options.defaults().withSleeper(d -> { }));
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    api = graphgate.api();
    key = TestServers.randomKey();
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
  }

  static String jwt(String rolesJson, long exp) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "."
        + b.encodeToString(("{\"exp\":" + exp + (rolesJson == null ? "" : ",\"roles\":" + rolesJson) + "}").getBytes()) + ".";
  }

  /** A secret connection with a tag and metadata, as an app imports one. */
  TestConnections.Builder connection(String cid, String tenant) {
    return TestConnections.secret(key).connectionId(cid).clientId(CLIENT).clientSecret("the-secret").tenant(tenant)
        .field("tags", "{\"End_User_Id\":\"u-1\"}").field("metadata", "{\"plan\":\"pro\"}");
  }

  ApiClient.Response importSecret(String cid, String tenant) {
    return connection(cid, tenant).post(api);
  }

  @Test
  void importedTokenIsServedWithNangoShapes() {
    Instant exp = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    String token = jwt("[\"User.Read.All\"]", exp.getEpochSecond());
    ApiClient.Response created = connection("imported", TENANT).credential("token", "\"" + token + "\"")
        .credential("expires_at", "\"" + exp + "\"").post(api);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("created_at").asText()).endsWith("Z");
    assertThat(created.json().path("connection_config").path("oauth_scopes").asText()).isEqualTo("https://graph.microsoft.com/.default");

    long before = graphgate.server().databaseStatements();
    ApiClient.Response got = api.get("/connections/imported?provider_config_key=" + key
        + "&force_refresh=false&refresh_token=false&refresh_github_app_jwt_token=false");
    assertThat(graphgate.server().databaseStatements()).as("a fresh cached token needs no database statement").isEqualTo(before);
    assertThat(got.status()).isEqualTo(200);
    JsonNode c = got.json();
    assertThat(c.path("connection_id").asText()).isEqualTo("imported");
    assertThat(c.path("provider_config_key").asText()).isEqualTo(key);
    assertThat(c.path("provider").asText()).isEqualTo("microsoft-oauth2-cc");
    assertThat(c.path("errors").size()).isZero();
    assertThat(c.path("tags").path("end_user_id").asText()).isEqualTo("u-1");
    assertThat(c.path("metadata").path("plan").asText()).isEqualTo("pro");
    assertThat(c.path("created_at").asText()).endsWith("+00:00");
    assertThat(c.path("status").asText()).isEqualTo("ok");
    assertThat(c.path("granted_permissions").get(0).asText()).isEqualTo("User.Read.All");
    JsonNode cr = c.path("credentials");
    assertThat(cr.path("type").asText()).isEqualTo("OAUTH2_CC");
    assertThat(cr.path("token").asText()).isEqualTo(token);
    assertThat(cr.path("client_id").asText()).isEqualTo(CLIENT);
    assertThat(cr.path("client_secret").asText()).isEqualTo("the-secret");
    assertThat(cr.path("expires_at").asText()).isEqualTo(exp.toString().replace("Z", ".000Z"));
    assertThat(cr.path("raw").path("access_token").asText()).isEqualTo(token);

    assertThat(api.get("/connection/imported?provider_config_key=" + key).status()).as("legacy alias").isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "evil.com/x?", "evil.com%2F..", "%2F", "ténant.onmicrosoft.com", "", "common", "a b.com",
      "00000000-0000-0000-0000-000000000000", "contoso.onmicrosoft.com:443", "-bad.com", "x"})
  void tenantIdsThatAreNotGuidsOrDomainsAreRefusedBeforeAnyRequest(String tenant) {
    ApiClient.Response r = importSecret(TestServers.randomKey(), tenant);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_tenant_id");
  }

  @Test
  void domainTenantIdsAreAcceptedAndLowerCased() {
    ApiClient.Response r = importSecret(TestServers.randomKey(), "Contoso.OnMicrosoft.com");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().path("connection_config").path("tenantId").asText()).isEqualTo("contoso.onmicrosoft.com");
    assertThat(r.json().path("status").asText()).isEqualTo("pending");
  }

  @Test
  void scopeCombinationsAreCheckedOnImport() {
    for (String scopes : new String[] {"https://graph.microsoft.com/.default Mail.Read", "https://graph.microsoft.com/User.Read.All",
        "https://graph.microsoft.com/.default https://outlook.office365.com/.default"}) {
      ApiClient.Response r = api.post("/connections", """
          {"provider_config_key":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s"},
           "connection_config":{"tenantId":"%s","oauth_scopes":"%s"}}""".formatted(key, CLIENT, TENANT, scopes));
      assertThat(r.status()).as(scopes).isEqualTo(400);
      assertThat(r.code()).as(scopes).isEqualTo("invalid_scope");
    }
    ApiClient.Response ok = api.post("/connections", """
        {"provider_config_key":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s"},
         "connection_config":{"tenantId":"%s","oauth_scopes":"https://graph.microsoft.com/.default,openid"}}""".formatted(key, CLIENT, TENANT));
    assertThat(ok.status()).isEqualTo(201);
    assertThat(ok.json().path("connection_config").path("oauth_scopes").asText()).isEqualTo("https://graph.microsoft.com/.default openid");
    assertThat(ok.json().path("connection_id").asText()).matches("[0-9a-f-]{36}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"tenantId\":42", "\"tenantId\":{\"id\":\"%s\"}",
      "\"tenantId\":\"%s\",\"oauth_scopes\":[\"https://graph.microsoft.com/.default\"]", "\"tenantId\":\"%s\",\"oauth_scopes\":7"})
  void tenantIdOrScopesThatAreNotStringsAreRefusedNotReplaced(String config) {
    String cid = TestServers.randomKey();
    ApiClient.Response r = api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s"},
         "connection_config":{%s}}""".formatted(key, cid, CLIENT, config.formatted(TENANT)));
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_body");
    JsonNode error = r.json().path("error").path("errors").get(0);
    assertThat(error.path("code").asText()).isEqualTo("invalid_type");
    assertThat(error.path("path").get(0).asText()).isEqualTo("connection_config");
    assertThat(error.path("path").get(1).asText()).isEqualTo(config.contains("oauth_scopes") ? "oauth_scopes" : "tenantId");
    assertThat(api.get("/connections/" + cid + "?provider_config_key=" + key).status()).as("nothing was stored").isEqualTo(404);
  }

  @Test
  void concurrentImportsOfTheSameNewConnectionAllSucceed() throws Exception {
    String cid = TestServers.randomKey();
    List<ApiClient.Response> answers = Concurrently.times(16, i -> importSecret(cid, TENANT));
    assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(201));
    assertThat(api.get("/connections?connectionId=" + cid).json().path("connections").size()).isEqualTo(1);
  }

  @Test
  void concurrentMetadataMergesKeepEveryKey() throws Exception {
    String cid = TestServers.randomKey();
    assertThat(importSecret(cid, TENANT).status()).isEqualTo(201);
    List<ApiClient.Response> merges = Concurrently.times(16, i -> api.patch("/connections/metadata",
        "{\"connection_id\":\"%s\",\"provider_config_key\":\"%s\",\"metadata\":{\"k%d\":%d}}".formatted(cid, key, i, i)));
    for (ApiClient.Response r : merges) {
      assertThat(r.status()).isEqualTo(200);
    }
    JsonNode metadata = api.get("/connections?connectionId=" + cid).json().path("connections").get(0).path("metadata");
    assertThat(metadata.size()).as("plan (imported) and the 16 merged keys: " + metadata).isEqualTo(17);
  }

  @Test
  void concurrentPatchesOfDifferentFieldsKeepBoth() throws Exception {
    String cid = TestServers.randomKey();
    assertThat(importSecret(cid, TENANT).status()).isEqualTo(201);
    for (int round = 0; round < 10; round++) {
      String path = "/connections/" + cid + "?provider_config_key=" + key;
      String tags = "{\"tags\":{\"round\":\"r" + round + "\"}}";
      String override = "{\"webhook_url_override\":\"https://hooks.example.com/r" + round + "\"}";
      List<Callable<ApiClient.Response>> both = List.of(() -> api.patch(path, tags), () -> api.patch(path, override));
      for (ApiClient.Response r : Concurrently.all(both)) {
        assertThat(r.status()).isEqualTo(200);
      }
      JsonNode c = api.get("/connections?connectionId=" + cid).json().path("connections").get(0);
      assertThat(c.path("tags").path("round").asText()).as("round " + round + ": " + c).isEqualTo("r" + round);
      assertThat(listOverride(cid)).as("round " + round).isEqualTo("https://hooks.example.com/r" + round);
    }
  }

  /** The override as stored (the list omits it; the full form needs a token, which Entra here cannot give). */
  private String listOverride(String cid) throws Exception {
    try (java.sql.Connection c = graphgate.db().open(); java.sql.PreparedStatement s = c.prepareStatement(
        "SELECT webhook_url_override FROM connections WHERE connection_id = ?")) {
      s.setString(1, cid);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void wrongCredentialTypeForTheProviderIsRefused() {
    ApiClient.Response r = api.post("/connections", """
        {"provider_config_key":"%s","credentials":{"type":"TWO_STEP","clientId":"%s","privateKey":"x","certificateThumbprint":"y"},
         "connection_config":{"tenantId":"%s"}}""".formatted(key, CLIENT, TENANT));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_body");
    assertThat(r.json().path("error").path("message").asText()).isEqualTo("Provider OAUTH2_CC does not support TWO_STEP auth");
  }

  @Test
  void unknownIntegrationOnImportIsNotFound() {
    ApiClient.Response r = api.post("/connections", """
        {"provider_config_key":"nope","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(CLIENT, TENANT));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("not_found");
    assertThat(r.json().path("error").path("message").asText()).isEqualTo("Integration does not exist");
  }

  @Test
  void certificateCredentialsAreValidatedOnImport() {
    String certKey = TestServers.randomKey();
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc-cert\"}".formatted(certKey));
    TestCertificates cert = TestCertificates.generate("graphgate-test");
    TestCertificates other = TestCertificates.generate("other");
    ApiClient.Response ok = api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"cert","credentials":{"type":"TWO_STEP","clientId":"%s","privateKey":%s,"certificate":%s},
         "connection_config":{"tenantId":"%s"}}""".formatted(certKey, CLIENT, q(cert.privateKeyPem()), q(cert.certificatePem()), TENANT));
    assertThat(ok.status()).isEqualTo(201);
    assertThat(ok.json().path("credentials").path("certificateThumbprint").asText()).hasSize(43);
    assertThat(ok.json().path("credentials").has("privateKey")).as("the private key is never echoed").isFalse();

    ApiClient.Response mismatch = api.post("/connections", """
        {"provider_config_key":"%s","credentials":{"type":"TWO_STEP","clientId":"%s","privateKey":%s,"certificate":%s},
         "connection_config":{"tenantId":"%s"}}""".formatted(certKey, CLIENT, q(other.privateKeyPem()), q(cert.certificatePem()), TENANT));
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(mismatch.code()).isEqualTo("invalid_body");
    JsonNode mismatchError = mismatch.json().path("error").path("errors").get(0);
    assertThat(mismatchError.path("message").asText()).contains("does not belong");
    assertThat(mismatchError.path("path").toString()).isEqualTo("[\"credentials\",\"privateKey\"]");

    ApiClient.Response garbage = api.post("/connections", """
        {"provider_config_key":"%s","credentials":{"type":"TWO_STEP","clientId":"%s","privateKey":"not a key","certificateThumbprint":"x"},
         "connection_config":{"tenantId":"%s"}}""".formatted(certKey, CLIENT, TENANT));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.code()).isEqualTo("invalid_body");
    assertThat(garbage.body()).doesNotContain("not a key");
    assertThat(api.get("/connections?integrationId=" + certKey).json().path("connections").size())
        .as("only the valid import was stored").isEqualTo(1);
  }

  @Test
  void listFiltersPatchMetadataAndDelete() {
    String cid = "list-" + TestServers.randomKey();
    importSecret(cid, TENANT);
    JsonNode list = api.get("/connections?connectionId=" + cid).json().path("connections");
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).path("provider_config_key").asText()).isEqualTo(key);
    assertThat(list.get(0).has("credentials")).isFalse();
    // Other tests' connections share the database: the filters must find this one, whatever else they find.
    assertThat(connectionIds(api.get("/connections?search=" + cid.substring(0, 8).toUpperCase()))).contains(cid);
    assertThat(connectionIds(api.get("/connections?integrationId=" + key + "&tags[end_user_id]=u-1"))).contains(cid);
    assertThat(connectionIds(api.get("/connections?integrationId=" + key + "&tags[end_user_id]=someone-else"))).doesNotContain(cid);
    assertThat(api.get("/connections?integrationId=nope").json().path("connections").size()).isZero();
    ApiClient.Response noLimit = api.get("/connections?limit=0");
    assertThat(noLimit.status()).isEqualTo(400);
    assertThat(noLimit.code()).isEqualTo("invalid_query_params");

    assertThat(api.patch("/connections/" + cid + "?provider_config_key=" + key, "{\"tags\":{\"team\":\"blue\"}}").status()).isEqualTo(200);
    assertThat(api.get("/connections?connectionId=" + cid).json().path("connections").get(0).path("tags").path("team").asText()).isEqualTo("blue");

    ApiClient.Response set = api.post("/connections/metadata", """
        {"connection_id":"%s","provider_config_key":"%s","metadata":{"a":1,"b":2}}""".formatted(cid, key));
    assertThat(set.status()).isEqualTo(201);
    ApiClient.Response merged = api.patch("/connections/metadata", """
        {"connection_id":["%s"],"provider_config_key":"%s","metadata":{"b":3}}""".formatted(cid, key));
    assertThat(merged.status()).isEqualTo(200);
    JsonNode metadata = api.get("/connections?connectionId=" + cid).json().path("connections").get(0).path("metadata");
    assertThat(metadata.path("a").asInt()).isEqualTo(1);
    assertThat(metadata.path("b").asInt()).isEqualTo(3);
    ApiClient.Response missing = api.post("/connections/metadata", """
        {"connection_id":["%s","nope"],"provider_config_key":"%s","metadata":{}}""".formatted(cid, key));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("unknown_connection");

    assertThat(api.delete("/connections/" + cid + "?provider_config_key=" + key).json().path("success").asBoolean()).isTrue();
    ApiClient.Response again = api.delete("/connections/" + cid + "?provider_config_key=" + key);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.code()).isEqualTo("unknown_connection");
    assertThat(again.json().path("error").path("message").asText())
        .isEqualTo("Connection with connection id " + cid + " and provider config key " + key + " not found. Nothing was deleted.");
    ApiClient.Response get = api.get("/connections/" + cid + "?provider_config_key=" + key);
    assertThat(get.status()).isEqualTo(404);
    assertThat(get.code()).isEqualTo("not_found");
    assertThat(get.json().path("error").path("message").asText()).isEqualTo("Failed to find connection");
  }

  @Test
  void unknownIntegrationOnReadIsUnknownProviderConfig() {
    ApiClient.Response r = api.get("/connections/x?provider_config_key=nope");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("unknown_provider_config");
  }

  @Test
  void pendingConnectionWithEntraUnreachableIsUnavailableAndStaysPending() {
    String cid = "unreachable-" + TestServers.randomKey();
    importSecret(cid, TENANT);
    ApiClient.Response r = api.get("/connections/" + cid + "?provider_config_key=" + key);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("token_endpoint_unavailable");
    assertThat(r.header("Retry-After")).as("whole seconds to wait").matches("[1-9][0-9]*");
    JsonNode listed = api.get("/connections?connectionId=" + cid).json().path("connections").get(0);
    assertThat(listed.path("status").asText()).isEqualTo("transient");
    assertThat(listed.path("errors").size()).as("a network failure is not an auth error").isZero();
  }

  private static List<String> connectionIds(ApiClient.Response list) {
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    list.json().path("connections").forEach(c -> ids.add(c.path("connection_id").asText()));
    return ids;
  }

  private static String q(String s) {
    return dev.graphgate.server.Json.write(s);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.TestServers;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IntegrationsApiTest {
  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2();
  static ApiClient api;

  @BeforeAll
  static void start() {
    api = graphgate.api();
  }

  @Test
  void deletingAnIntegrationStopsServingItsConnectionsFromThisInstancesCache() {
    String key = TestServers.randomKey();
    String connection = """
        {"provider_config_key":"%s","connection_id":"c","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"s","token":"imported-token","expires_at":"2100-01-01T00:00:00Z"},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}""";
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
    assertThat(api.post("/connections", connection.formatted(key)).status()).isEqualTo(201);
    assertThat(api.get("/connections/c?provider_config_key=" + key).json().path("credentials").path("token").asText()).isEqualTo("imported-token");

    assertThat(api.delete("/integrations/" + key).status()).isEqualTo(200);
    ApiClient.Response afterDelete = api.get("/connections/c?provider_config_key=" + key);
    assertThat(afterDelete.status()).as(afterDelete.body()).isEqualTo(400);
    assertThat(afterDelete.code()).isEqualTo("unknown_provider_config");

    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
    ApiClient.Response recreated = api.get("/connections/c?provider_config_key=" + key);
    assertThat(recreated.status()).as("the connection went with the old integration: " + recreated.body()).isEqualTo(404);
  }

  @Test
  void concurrentCreatesOfOneKeyMakeOneIntegrationAndRefuseTheRest() throws Exception {
    String key = TestServers.randomKey();
    List<ApiClient.Response> answers = Concurrently.times(16,
        i -> api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key)));
    assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(200, 400));
    assertThat(answers.stream().filter(r -> r.status() == 200)).hasSize(1);
    assertThat(answers.stream().filter(r -> r.status() == 400)).allSatisfy(r -> assertThat(r.code()).isEqualTo("invalid_body"));
  }

  @Test
  void concurrentUpdatesOfDifferentFieldsKeepBoth() throws Exception {
    String key = TestServers.randomKey();
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
    for (int round = 0; round < 10; round++) {
      boolean forward = round % 2 == 0;
      String name = "{\"display_name\":\"Round " + round + "\"}";
      String flag = "{\"forward_webhooks\":" + forward + "}";
      List<java.util.concurrent.Callable<ApiClient.Response>> both = List.of(() -> api.patch("/integrations/" + key, name),
          () -> api.patch("/integrations/" + key, flag));
      for (ApiClient.Response r : Concurrently.all(both)) {
        assertThat(r.status()).isEqualTo(200);
      }
      com.fasterxml.jackson.databind.JsonNode data = api.get("/integrations/" + key).json().path("data");
      assertThat(data.path("display_name").asText()).as("round " + round + ": " + data).isEqualTo("Round " + round);
      assertThat(data.path("forward_webhooks").asBoolean()).as("round " + round + ": " + data).isEqualTo(forward);
    }
  }

  @Test
  void createThenGetListUpdateDelete() {
    String key = TestServers.randomKey();
    ApiClient.Response created = api.post("/integrations", """
        {"unique_key":"%s","provider":"microsoft-oauth2-cc","display_name":"Acme tenants"}""".formatted(key));
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().path("data").path("unique_key").asText()).isEqualTo(key);
    assertThat(created.json().path("data").path("display_name").asText()).isEqualTo("Acme tenants");
    assertThat(created.json().path("data").path("forward_webhooks").asBoolean()).isTrue();
    assertThat(created.json().path("data").path("created_at").asText()).endsWith("Z");

    assertThat(api.get("/integrations").json().path("data").findValuesAsText("unique_key")).contains(key);

    ApiClient.Response got = api.get("/integrations/" + key + "?include=webhook");
    assertThat(got.json().path("data").path("webhook_url").asText()).matches("http://localhost:\\d+/webhook/[0-9a-f-]{36}/" + key);

    ApiClient.Response updated = api.patch("/integrations/" + key, """
        {"display_name":"Renamed","forward_webhooks":false}""");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().path("data").path("display_name").asText()).isEqualTo("Renamed");
    assertThat(updated.json().path("data").path("forward_webhooks").asBoolean()).isFalse();

    assertThat(api.delete("/integrations/" + key).json().path("success").asBoolean()).isTrue();
    ApiClient.Response gone = api.get("/integrations/" + key);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.code()).isEqualTo("not_found");
    assertThat(api.delete("/integrations/" + key).status()).isEqualTo(404);
  }

  @Test
  void scopesDefaultToGraphAndSharedCredentialsAreReadableWithInclude() {
    String key = TestServers.randomKey();
    api.post("/integrations", """
        {"unique_key":"%s","provider":"microsoft-oauth2-cc",
         "credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555","client_secret":"shared-secret"},
         "custom":{"webhookSecret":"client-state-secret"}}""".formatted(key));
    ApiClient.Response got = api.get("/integrations/" + key + "?include=credentials");
    assertThat(got.json().path("data").path("credentials").path("scopes").asText()).isEqualTo("https://graph.microsoft.com/.default");
    assertThat(got.json().path("data").path("credentials").path("client_id").asText()).isEqualTo("11112222-bbbb-3333-cccc-4444dddd5555");
    assertThat(got.json().path("data").path("credentials").path("client_secret").asText()).isEqualTo("shared-secret");
    assertThat(got.json().path("data").path("credentials").path("webhook_secret").asText()).isEqualTo("client-state-secret");
    assertThat(api.get("/integrations/" + key).json().path("data").has("credentials")).isFalse();
  }

  @Test
  void anIntegrationSaysWhetherItOffersAdminConsentWithoutShowingItsCredentials() {
    String shared = TestServers.randomKey();
    String own = TestServers.randomKey();
    api.post("/integrations", """
        {"unique_key":"%s","provider":"microsoft-oauth2-cc",
         "credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555","client_secret":"shared-secret"}}""".formatted(shared));
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(own));
    assertThat(api.get("/integrations/" + shared).json().path("data").path("admin_consent").isBoolean()).isTrue();
    assertThat(api.get("/integrations/" + shared).json().path("data").path("admin_consent").asBoolean()).isTrue();
    assertThat(api.get("/integrations/" + own).json().path("data").path("admin_consent").asBoolean()).isFalse();
    ApiClient.Response list = api.get("/integrations");
    assertThat(list.body()).doesNotContain("shared-secret");
    for (JsonNode i : list.json().path("data")) {
      if (i.path("unique_key").asText().equals(shared)) {
        assertThat(i.path("admin_consent").asBoolean()).isTrue();
      }
    }
    api.patch("/integrations/" + shared, """
        {"credentials":{"type":"OAUTH2_CC","client_id":null,"client_secret":null}}""");
    assertThat(api.get("/integrations/" + shared).json().path("data").path("admin_consent").asBoolean()).isFalse();
  }

  @Test
  void patchingScopesKeepsTheSharedCredentialsAndOnlyExplicitNullsRemoveThem() {
    String key = TestServers.randomKey();
    api.post("/integrations", """
        {"unique_key":"%s","provider":"microsoft-oauth2-cc",
         "credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555","client_secret":"shared-secret"}}""".formatted(key));

    ApiClient.Response patched = api.patch("/integrations/" + key, """
        {"credentials":{"type":"OAUTH2_CC","scopes":"https://graph.microsoft.com/.default openid"}}""");
    assertThat(patched.status()).isEqualTo(200);
    JsonNode kept = api.get("/integrations/" + key + "?include=credentials").json().path("data").path("credentials");
    assertThat(kept.path("scopes").asText()).isEqualTo("https://graph.microsoft.com/.default openid");
    assertThat(kept.path("client_id").asText()).isEqualTo("11112222-bbbb-3333-cccc-4444dddd5555");
    assertThat(kept.path("client_secret").asText()).isEqualTo("shared-secret");

    ApiClient.Response half = api.patch("/integrations/" + key, """
        {"credentials":{"type":"OAUTH2_CC","client_id":null}}""");
    assertThat(half.status()).isEqualTo(400);
    assertThat(half.code()).isEqualTo("invalid_body");
    assertThat(half.json().path("error").path("errors").get(0).path("message").asText()).contains("send both as null");
    assertThat(api.get("/integrations/" + key + "?include=credentials").json().path("data").path("credentials").path("client_id").asText())
        .isEqualTo("11112222-bbbb-3333-cccc-4444dddd5555");

    ApiClient.Response removed = api.patch("/integrations/" + key, """
        {"credentials":{"type":"OAUTH2_CC","client_id":null,"client_secret":null}}""");
    assertThat(removed.status()).isEqualTo(200);
    JsonNode gone = api.get("/integrations/" + key + "?include=credentials").json().path("data").path("credentials");
    assertThat(gone.path("client_id").isMissingNode() || gone.path("client_id").isNull()).isTrue();
    assertThat(gone.path("scopes").asText()).isEqualTo("https://graph.microsoft.com/.default openid");
  }

  @Test
  void scopesThatBreakClientCredentialsRulesAreRefused() {
    ApiClient.Response mixed = api.post("/integrations", """
        {"unique_key":"%s","provider":"microsoft-oauth2-cc",
         "credentials":{"type":"OAUTH2_CC","scopes":"https://graph.microsoft.com/.default Mail.Read"}}""".formatted(TestServers.randomKey()));
    assertThat(mixed.status()).isEqualTo(400);
    assertThat(mixed.code()).isEqualTo("invalid_scope");
    assertThat(mixed.json().path("error").path("message").asText()).startsWith("AADSTS70011");
  }

  @Test
  void duplicateKeyUnknownProviderAndMismatchedCredentialsAreInvalidBody() {
    String key = TestServers.randomKey();
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
    ApiClient.Response dup = api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
    assertThat(dup.status()).isEqualTo(400);
    assertThat(dup.json().path("error").path("errors").get(0).path("message").asText()).isEqualTo("Unique key already exists");

    ApiClient.Response unknown = api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"github\"}".formatted(TestServers.randomKey()));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().path("error").path("errors").get(0).path("message").asText()).isEqualTo("Invalid provider");

    ApiClient.Response mismatch = api.post("/integrations", """
        {"unique_key":"%s","provider":"microsoft-oauth2-cc","credentials":{"type":"OAUTH2"}}""".formatted(TestServers.randomKey()));
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(mismatch.json().path("error").path("message").asText()).isEqualTo("incompatible credentials auth type and provider auth");
  }

  @Test
  void renameWithConnectionsIsRefused() {
    String key = TestServers.randomKey();
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
    api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"c1",
         "credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555","client_secret":"s"},
         "connection_config":{"tenantId":"a1b2c3d4-e5f6-47a8-9b0c-d1234567890f"}}""".formatted(key));
    ApiClient.Response r = api.patch("/integrations/" + key, "{\"unique_key\":\"%s\"}".formatted(TestServers.randomKey()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("message").asText()).isEqualTo("Can't rename an integration with active connections");
  }

  @Test
  void badKeyInPathIsInvalidUriParams() {
    ApiClient.Response r = api.get("/integrations/bad%25key");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_uri_params");
  }
}

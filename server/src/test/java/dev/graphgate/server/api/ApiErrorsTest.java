package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure a client can cause is JSON with a stable code: never HTML, never a stack trace, never a 500. */
class ApiErrorsTest {
  @TempDir static Path dataDir;
  static TestDatabase db;
  static Graphgate server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    server = Graphgate.start(TestServers.config(db, dataDir).maxRequestBytes(4096).build());
    api = TestServers.client(server);
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  @Test
  void requestWithoutAuthorizationHeaderThenMissingAuthHeader() {
    ApiClient.Response r = new ApiClient(server.baseUrl(), null).get("/integrations");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("missing_auth_header");
    assertThat(r.json().path("error").has("payload")).isTrue();
  }

  @Test
  void bearerWithNothingThenMalformedAuthHeader() {
    ApiClient.Response r = api.send(HttpRequest.newBuilder(server.baseUrl().resolve("/integrations")).header("Authorization", "Bearer ").GET());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("malformed_auth_header");
  }

  @Test
  void keyThatIsNotUuidV4ThenInvalidSecretKeyFormat() {
    ApiClient.Response r = new ApiClient(server.baseUrl(), "not-a-uuid").get("/integrations");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("invalid_secret_key_format");
  }

  @Test
  void wrongKeyThenUnknownAccount() {
    ApiClient.Response r = new ApiClient(server.baseUrl(), "0b8a7f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b").get("/integrations");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("unknown_account");
  }

  @Test
  void unknownRouteThenJsonNotFound() {
    ApiClient.Response r = api.get("/no/such/route");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("not_found");
    assertThat(r.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void wrongContentTypeThenInvalidContentType() {
    ApiClient.Response r = api.send(api.request("/integrations").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.code()).isEqualTo("invalid_content_type");
  }

  @Test
  void malformedJsonThenInvalidJson() {
    ApiClient.Response r = api.post("/integrations", "{\"unique_key\": ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_json");
  }

  @Test
  void bodyOverTheLimitThenPayloadTooLarge() {
    ApiClient.Response r = api.post("/integrations", "{\"unique_key\":\"" + "x".repeat(10_000) + "\"}");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.code()).isEqualTo("payload_too_large");
  }

  @Test
  void unknownBodyKeyThenInvalidBodyNamingIt() {
    ApiClient.Response r = api.post("/integrations", "{\"unique_key\":\"a\",\"provider\":\"microsoft-oauth2-cc\",\"color\":\"blue\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_body");
    assertThat(r.json().path("error").path("errors").get(0).path("message").asText()).contains("color");
  }

  @Test
  void unknownQueryKeyThenInvalidQueryParams() {
    ApiClient.Response r = api.get("/integrations?colour=blue");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_query_params");
  }

  @Test
  void arrayInsteadOfObjectThenInvalidBody() {
    ApiClient.Response r = api.post("/connections", "[1,2]");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_body");
  }

  @Test
  void browsersGetCorsHeadersAndPreflightNeedsNoKey() {
    ApiClient.Response preflight = new ApiClient(server.baseUrl(), null).send(HttpRequest.newBuilder(server.baseUrl().resolve("/connections"))
        .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "GET")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization").contains("Provider-Config-Key");
    assertThat(api.get("/integrations").header("Access-Control-Allow-Origin")).isEqualTo("*");
  }

  @Test
  void healthNeedsNoKey() {
    ApiClient.Response r = new ApiClient(server.baseUrl(), null).get("/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("result").asText()).isEqualTo("ok");
  }

  @Test
  void providersAreServedWithTheConfiguredCloudsHosts() {
    ApiClient.Response r = api.get("/providers/microsoft-oauth2-cc");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("data").path("auth_mode").asText()).isEqualTo("OAUTH2_CC");
    assertThat(r.json().path("data").path("token_url").asText()).startsWith("http://127.0.0.1:9/");
    assertThat(r.json().path("data").path("logo_url").asText()).endsWith("/images/template-logos/microsoft-oauth2-cc.svg");
    assertThat(api.get("/providers").json().path("data").size()).isEqualTo(2);
    ApiClient.Response unknown = api.get("/providers/github");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").path("message").asText()).isEqualTo("Unknown provider github");
  }
}

package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.TestServers;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every failure a client can cause is JSON with a stable code: never HTML, never a stack trace, never a 500. */
class ApiErrorsTest {
  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2().config(b -> b.maxRequestBytes(4096));
  static ApiClient api;

  @BeforeAll
  static void start() {
    api = graphgate.api();
  }

  @Test
  void requestWithoutAuthorizationHeaderThenMissingAuthHeader() {
    ApiClient.Response r = new ApiClient(graphgate.server().baseUrl(), null).get("/integrations");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("missing_auth_header");
    assertThat(r.json().path("error").has("payload")).isTrue();
  }

  @Test
  void bearerWithNothingThenMalformedAuthHeader() {
    ApiClient.Response r = api.send(HttpRequest.newBuilder(graphgate.server().baseUrl().resolve("/integrations")).header("Authorization", "Bearer ").GET());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("malformed_auth_header");
  }

  @Test
  void keyThatIsNotUuidV4ThenInvalidSecretKeyFormat() {
    ApiClient.Response r = new ApiClient(graphgate.server().baseUrl(), "not-a-uuid").get("/integrations");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("invalid_secret_key_format");
  }

  @Test
  void wrongKeyThenUnknownAccount() {
    ApiClient.Response r = new ApiClient(graphgate.server().baseUrl(), "0b8a7f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b").get("/integrations");
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
  void jsonFollowedByMoreThenInvalidJsonAndNothingCreated() {
    String key = TestServers.randomKey();
    ApiClient.Response r = api.post("/integrations", "{\"unique_key\":\"" + key + "\",\"provider\":\"microsoft-oauth2-cc\"} {\"x\":1}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_json");
    assertThat(api.get("/integrations/" + key).status()).isEqualTo(404);
  }

  @Test
  void bodyOverTheLimitThenPayloadTooLarge() {
    ApiClient.Response r = api.post("/integrations", "{\"unique_key\":\"" + "x".repeat(10_000) + "\"}");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.code()).isEqualTo("payload_too_large");
  }

  @Test
  void chunkedBodyOverTheLimitThenPayloadTooLarge() {
    byte[] big = ("{\"unique_key\":\"" + "x".repeat(10_000) + "\"}").getBytes();
    ApiClient.Response r = api.send(api.request("/integrations").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
    assertThat(r.status()).as(r.body()).isEqualTo(413);
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
    ApiClient.Response preflight = new ApiClient(graphgate.server().baseUrl(), null).send(HttpRequest.newBuilder(graphgate.server().baseUrl().resolve("/connections"))
        .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "GET")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization").contains("Provider-Config-Key");
    assertThat(api.get("/integrations").header("Access-Control-Allow-Origin")).isEqualTo("*");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /integrations/%zz HTTP/1.1",
      "GET /integrations/%2e%2e/x HTTP/1.1",
      "FOO /integrations HTTP/1.1",
      "PROPFIND /integrations HTTP/1.1",
      "GET /integrations HTTP/1.1\r\nX-Big: HUGE"})
  void requestsJettyRefusesBeforeRoutingAreAnsweredInJson(String requestLine) throws Exception {
    String head = requestLine.replace("HUGE", "x".repeat(64 * 1024));
    RawResponse r = raw(head + "\r\nHost: localhost\r\nAuthorization: Bearer " + TestServers.SECRET_KEY + "\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).as(r.text()).isBetween(400, 499);
    assertThat(r.header("content-type")).as(r.text()).startsWith("application/json");
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.path("error").path("code").asText()).as(r.text()).isNotEmpty();
    assertThat(body.path("error").path("message").asText()).as(r.text()).isNotEmpty();
  }

  /** A response read off a raw socket: for requests no HTTP client library will send. */
  record RawResponse(int status, java.util.Map<String, String> headers, String body, String text) {
    String header(String name) {
      return headers.get(name);
    }
  }

  static RawResponse raw(String request) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", graphgate.server().port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      String text;
      try {
        text = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.net.SocketException reset) {
        text = "";
      }
      int split = text.indexOf("\r\n\r\n");
      assertThat(split).as("a complete HTTP response: " + text).isPositive();
      String[] lines = text.substring(0, split).split("\r\n");
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      String body = text.substring(split + 4);
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
      }
      return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, body, text);
    }
  }

  @Test
  void healthNeedsNoKey() {
    ApiClient.Response r = new ApiClient(graphgate.server().baseUrl(), null).get("/health");
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

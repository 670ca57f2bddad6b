package dev.graphgate.emulator.entra;

import static dev.graphgate.emulator.support.EntraAssertions.assertEntraError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.EmulatorRig;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Jwt;
import dev.graphgate.emulator.support.Scenario;
import dev.graphgate.emulator.support.Scenario.Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tenant segment, the form and the scope rules of the token endpoint, and what bad input of every kind gets. */
class TokenEndpointRequestRulesTest {

  @RegisterExtension static final EmulatorRig rig = EmulatorRig.ephemeral();
  static Tenant tenant;
  static Client client;

  @BeforeAll
  static void start() {
    tenant = rig.scenario().tenant();
    client = rig.scenario().grantedApp(tenant, "User.Read.All");
  }

  private static Map<String, String> form() {
    return rig.scenario().secretForm(client);
  }

  // ---- tenant segment

  @ParameterizedTest
  @ValueSource(strings = {"not_a_tenant", "contoso", "c%C3%B6ntoso.com", "%E2%98%83.onmicrosoft.com", "-bad-.com", "a..b.com"})
  void tokenRequestWhenTenantMalformedThenInvalidRequest900023(String segment) {
    String message = assertEntraError(rig.scenario().token(segment, form()), 400, "invalid_request", 900023);

    assertThat(message).contains("is neither a valid DNS name");
  }

  @Test
  void tokenRequestWhenTenantIsPercentEncodedDomainThenItIsDecoded() {
    String encoded = tenant.domains().getFirst().replace(".", "%2E");

    assertThat(rig.scenario().token(encoded, form()).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"11111111-2222-3333-4444-555555555555", "unknown-tenant.onmicrosoft.com"})
  void tokenRequestWhenTenantUnknownThenInvalidTenant90002(String segment) {
    String message = assertEntraError(rig.scenario().token(segment, form()), 400, "invalid_tenant", 90002);

    assertThat(message).contains("Tenant '" + segment + "' not found");
  }

  @Test
  void tokenRequestWhenTenantIsEmptyGuidThenInvalidTenant90002WithEmptyGuidMessage() {
    String message =
        assertEntraError(rig.scenario().token("00000000-0000-0000-0000-000000000000", form()), 400, "invalid_tenant", 90002);

    assertThat(message).contains("may not be an empty GUID");
  }

  @ParameterizedTest
  @ValueSource(strings = {"common", "organizations", "consumers", "Common"})
  void tokenRequestOnMultiTenantAliasThenInvalidRequest50059(String alias) {
    assertEntraError(rig.scenario().token(alias, form()), 400, "invalid_request", 50059);
  }

  // ---- grant type and parameters

  @Test
  void tokenRequestWithoutGrantTypeThenInvalidRequest900144() {
    Map<String, String> form = form();
    form.remove("grant_type");

    assertThat(assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_request", 900144)).contains("'grant_type'");
  }

  @Test
  void tokenRequestWithOtherGrantTypeThenUnsupportedGrantType70003() {
    Map<String, String> form = form();
    form.put("grant_type", "password");

    assertEntraError(rig.scenario().token(tenant.id(), form), 400, "unsupported_grant_type", 70003);
  }

  @Test
  void tokenRequestWithoutClientIdThenInvalidRequest900144() {
    Map<String, String> form = form();
    form.remove("client_id");

    assertThat(assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_request", 900144)).contains("'client_id'");
  }

  @Test
  void tokenRequestWithoutScopeThenInvalidRequest900144() {
    Map<String, String> form = form();
    form.remove("scope");

    assertThat(assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_request", 900144)).contains("'scope'");
  }

  // ---- scope rules

  @ParameterizedTest
  @ValueSource(strings = {
      "https://graph.microsoft.com/User.Read.All",
      "User.Read.All",
      "openid profile offline_access",
      "https://graph.microsoft.com/User.Read.All https://graph.microsoft.com/Mail.Read"})
  void tokenRequestWithoutDotDefaultThenInvalidScope1002012(String scope) {
    Map<String, String> form = form();
    form.put("scope", scope);

    assertThat(assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_scope", 1002012)).contains(scope);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://graph.microsoft.com/.default Mail.Read",
      "https://graph.microsoft.com/.default https://management.azure.com/.default",
      "/.default"})
  void tokenRequestWithSeveralResourcesOrMixedScopesThenInvalidScope70011(String scope) {
    Map<String, String> form = form();
    form.put("scope", scope);

    assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_scope", 70011);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://graph.microsoft.com/.default",
      "openid https://graph.microsoft.com/.default profile offline_access",
      "https://GRAPH.microsoft.com/.default https://graph.microsoft.com/.default"})
  void tokenRequestWithDotDefaultAndOidcScopesThenToken(String scope) {
    Map<String, String> form = form();
    form.put("scope", scope);

    Http.Response response = rig.scenario().token(tenant.id(), form);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(Jwt.claims(response.json().path("access_token").asText()).path("aud").asText())
        .isEqualTo("https://graph.microsoft.com");
  }

  @Test
  void tokenRequestForGraphWithTrailingSlashResourceThenAudienceKeepsIt() {
    Map<String, String> form = form();
    form.put("scope", "https://graph.microsoft.com//.default");

    Http.Response response = rig.scenario().token(tenant.id(), form);

    assertThat(Jwt.claims(response.json().path("access_token").asText()).path("aud").asText())
        .isEqualTo("https://graph.microsoft.com/");
  }

  @Test
  void tokenRequestForAnotherResourceThenInvalidResource500011() {
    Map<String, String> form = form();
    form.put("scope", "https://management.azure.com/.default");

    assertThat(assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_resource", 500011))
        .contains("https://management.azure.com");
  }

  @Test
  void tokenRequestOnV1EndpointWithResourceThenV1Answer() {
    Map<String, String> form = form();
    form.remove("scope");
    form.put("resource", "https://graph.microsoft.com");

    Http.Response response = rig.scenario().http().postForm(rig.scenario().login("/" + tenant.id() + "/oauth2/token"), form);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("expires_in").isTextual()).isTrue();
    assertThat(response.json().path("resource").asText()).isEqualTo("https://graph.microsoft.com");
    assertThat(response.json().path("expires_on").asText()).matches("\\d+");
  }

  // ---- bad input of every kind

  @Test
  void tokenRequestWithGetThenInvalidRequest900561() {
    Http.Response response = rig.scenario().http().get(rig.scenario().tokenUri(tenant.id()));

    assertThat(assertEntraError(response, 400, "invalid_request", 900561)).contains("Received a GET request");
  }

  @Test
  void tokenRequestWithJsonBodyThenInvalidRequest900144ForGrantType() {
    Http.Response response =
        rig.scenario().http().postJson(rig.scenario().tokenUri(tenant.id()),
            "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + client.appId() + "\"}");

    assertThat(assertEntraError(response, 400, "invalid_request", 900144)).contains("'grant_type'");
  }

  @Test
  void tokenRequestWithoutContentTypeThenInvalidRequest900144() {
    Http.Response response = rig.scenario().http().post(rig.scenario().tokenUri(tenant.id()), null, Http.form(form()));

    assertEntraError(response, 400, "invalid_request", 900144);
  }

  @Test
  void tokenRequestWithEmptyBodyThenInvalidRequest900144() {
    Http.Response response = rig.scenario().http().post(rig.scenario().tokenUri(tenant.id()), "application/x-www-form-urlencoded", "");

    assertEntraError(response, 400, "invalid_request", 900144);
  }

  @Test
  void tokenRequestWithRepeatedParameterThenInvalidRequest9002313() {
    String body = Http.form(form()) + "&scope=" + java.net.URLEncoder.encode(Scenario.GRAPH_DEFAULT, StandardCharsets.UTF_8);

    Http.Response response = rig.scenario().http().post(rig.scenario().tokenUri(tenant.id()), "application/x-www-form-urlencoded", body);

    assertThat(assertEntraError(response, 400, "invalid_request", 9002313)).contains("'scope'");
  }

  @Test
  void tokenRequestWithBrokenPercentEncodingThenInvalidRequest9002313() {
    Http.Response response =
        rig.scenario().http().post(rig.scenario().tokenUri(tenant.id()), "application/x-www-form-urlencoded", "grant_type=client%ZZcredentials");

    assertEntraError(response, 400, "invalid_request", 9002313);
  }

  @Test
  void tokenRequestWithGarbageBytesThenEntraShapedError() {
    Http.Response response =
        rig.scenario().http().post(rig.scenario().tokenUri(tenant.id()), "application/x-www-form-urlencoded", "\u0000\u00ff\u2603==&&=");

    assertEntraError(response, 400, "invalid_request", 900144);
  }

  @Test
  void tokenRequestWithHugeBodyThenEntraShapedErrorNotServerError() {
    String huge = Http.form(form()) + "&padding=" + "a".repeat(2_000_000);

    Http.Response response = rig.scenario().http().post(rig.scenario().tokenUri(tenant.id()), "application/x-www-form-urlencoded", huge);

    assertEntraError(response, 400, "invalid_request", 9002313);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("<html");
  }

  @Test
  void tokenRequestWithMoreThan256ParametersThenInvalidRequest9002313() {
    StringBuilder body = new StringBuilder(Http.form(form()));
    for (int i = 0; i < 260; i++) {
      body.append("&p").append(i).append("=x");
    }

    Http.Response response = rig.scenario().http().post(rig.scenario().tokenUri(tenant.id()), "application/x-www-form-urlencoded", body.toString());

    assertEntraError(response, 400, "invalid_request", 9002313);
  }

  @Test
  void tokenRequestOnV1EndpointWithoutResourceThenInvalidRequest900144() {
    Map<String, String> form = form();
    form.remove("scope");

    Http.Response response = rig.scenario().http().postForm(rig.scenario().login("/" + tenant.id() + "/oauth2/token"), form);

    assertThat(assertEntraError(response, 400, "invalid_request", 900144)).contains("'resource'");
  }

  @Test
  void tokenRequestWithUnicodeClientIdThenUnauthorizedClient700016() {
    Map<String, String> form = form();
    form.put("client_id", "\u00e9t\u00e9-\u2603-<script>");

    assertEntraError(rig.scenario().token(tenant.id(), form), 400, "unauthorized_client", 700016);
  }

  @Test
  void tokenRequestWithSecretAndAssertionThenInvalidRequest9002313() {
    Map<String, String> form = form();
    form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.put("client_assertion", "a.b.c");

    assertEntraError(rig.scenario().token(tenant.id(), form), 400, "invalid_request", 9002313);
  }

  @Test
  void requestToUnknownLoginPathThenJsonNotHtml() {
    Http.Response response = rig.scenario().http().get(rig.scenario().login("/nope/nothing/here"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("error").asText()).isEqualTo("invalid_request");
  }

  @Test
  void tokenRequestWithEncodedSlashInTenantThenNoServerErrorOrHtml() throws IOException {
    String raw = rawRequest("POST /a%2Fb/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    assertThat(raw).startsWith("HTTP/1.1 4");
    assertThat(raw).doesNotContain("<html").doesNotContain("Exception");
  }

  @Test
  void requestWithBrokenPercentEscapeInPathThenJsonNotHtml() throws IOException {
    String raw = rawRequest("POST /%zz/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    assertThat(raw).startsWith("HTTP/1.1 400");
    assertThat(raw).contains("\"error\":\"invalid_request\"").doesNotContain("<html");
  }

  @Test
  void requestWithOversizedHeadersThenJsonNotHtml() throws IOException {
    String raw = rawRequest("POST /x/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000)
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    assertThat(raw).startsWith("HTTP/1.1 431");
    assertThat(raw).contains("\"error\":\"invalid_request\"").doesNotContain("<html");
  }

  private static String rawRequest(String request) throws IOException {
    URI login = rig.emulator().loginUrl();
    try (Socket socket = new Socket(login.getHost(), login.getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

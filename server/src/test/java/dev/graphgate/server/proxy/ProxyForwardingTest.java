package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.TestUpstream;
import dev.graphgate.server.testing.TestUpstream.Reply;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What crosses the proxy: the path and query verbatim, the token Graphgate holds, the headers Graph reads and the
 * {@code Nango-Proxy-*} ones, and nothing of Graphgate's own (secret key, control headers); back, upstream's status,
 * body and headers.
 */
class ProxyForwardingTest {
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream();

  @BeforeEach
  void answer() {
    rig.upstream().answer(r -> Reply.json(200, "{\"value\":[]}"));
  }

  @Test
  void pathAndQueryArePassedVerbatimWithTheConnectionsToken() {
    String query = "$select=id,displayName&$filter=startswith(displayName,%27A%20B%27)%20and%20accountEnabled%20eq%20true&$top=5";
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/users?" + query).GET());

    assertThat(r.status()).isEqualTo(200);
    TestUpstream.Received got = rig.upstream().last();
    assertThat(got.method()).isEqualTo("GET");
    assertThat(got.rawPath()).isEqualTo("/v1.0/users");
    assertThat(got.rawQuery()).isEqualTo(query);
    assertThat(got.header("Authorization")).startsWith("Bearer ey").doesNotContain(TestServers.SECRET_KEY);
    assertThat(got.headers()).doesNotContainKeys("connection-id", "provider-config-key");
  }

  @Test
  void aTokenTheHttpClientRefusesIsNeverEchoedInTheError() {
    String token = "imported-token-value-" + TestServers.randomKey();
    ApiClient.Response created = rig.api().post("/connections", """
        {"provider_config_key":"%s","connection_id":"bad-token","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s",
         "token":"%s\\u0001","expires_at":"2100-01-01T00:00:00Z"},"connection_config":{"tenantId":"%s"}}"""
        .formatted(ProxyRig.INTEGRATION, ProxyRig.APP_ID, token, ProxyRig.TENANT_ID));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    ApiClient.Response r = rig.send(rig.api().request("/proxy/v1.0/users").header("Connection-Id", "bad-token")
        .header("Provider-Config-Key", ProxyRig.INTEGRATION).header("Retries", "0").GET());
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.body()).doesNotContain(token);
    assertThat(rig.upstream().count()).isZero();
  }

  @Test
  void betaAndDollarSegmentsAndKeySyntaxPassThrough() {
    rig.send(rig.proxy("/beta/users('a%40contoso.onmicrosoft.com')/mailFolders('inbox')/messages/$count").GET());
    assertThat(rig.upstream().last().rawPath()).isEqualTo("/beta/users('a%40contoso.onmicrosoft.com')/mailFolders('inbox')/messages/$count");
  }

  @Test
  void graphHeadersAndNangoProxyHeadersAreForwardedButNotGraphgatesOwn() {
    rig.send(rig.proxy("/v1.0/users?$count=true")
        .header("ConsistencyLevel", "eventual")
        .header("Prefer", "odata.maxpagesize=10")
        .header("client-request-id", "11111111-2222-3333-4444-555555555555")
        .header("Nango-Proxy-X-Custom", "custom-value")
        .header("Nango-Proxy-If-Match", "W/\"etag-from-nango\"")
        .header("If-Match", "W/\"etag-direct\"")
        .header("Retries", "2")
        .header("Nango-Is-Sync", "false")
        .header("Cookie", "session=abc")
        .header("X-Forwarded-For", "10.0.0.1")
        .GET());

    TestUpstream.Received got = rig.upstream().last();
    assertThat(got.header("ConsistencyLevel")).isEqualTo("eventual");
    assertThat(got.header("Prefer")).isEqualTo("odata.maxpagesize=10");
    assertThat(got.header("client-request-id")).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(got.header("X-Custom")).isEqualTo("custom-value");
    assertThat(got.header("If-Match")).as("Nango-Proxy-* overrides").isEqualTo("W/\"etag-from-nango\"");
    assertThat(got.headers()).doesNotContainKeys("retries", "nango-is-sync", "cookie", "x-forwarded-for", "nango-proxy-x-custom");
  }

  @Test
  void nangoProxyAuthorizationReplacesTheToken() {
    rig.send(rig.proxy("/v1.0/users").header("Nango-Proxy-Authorization", "Bearer my-own").GET());
    assertThat(rig.upstream().last().header("Authorization")).isEqualTo("Bearer my-own");
  }

  @Test
  void upstreamStatusBodyAndUsefulHeadersComeBackUnchanged() {
    rig.upstream().answer(r -> Reply.json(201, "{\"id\":\"42\"}", "request-id", "rid-1", "client-request-id", "crid-1", "ETag", "W/\"1\"",
        "Location", "https://graph.microsoft.com/v1.0/users/42", "OData-Version", "4.0", "Set-Cookie", "x=y"));
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/users").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Ann\"}")));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"id\":\"42\"}");
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("request-id")).isEqualTo("rid-1");
    assertThat(r.header("client-request-id")).isEqualTo("crid-1");
    assertThat(r.header("etag")).isEqualTo("W/\"1\"");
    assertThat(r.header("location")).isEqualTo("https://graph.microsoft.com/v1.0/users/42");
    assertThat(r.header("odata-version")).isEqualTo("4.0");
    assertThat(r.header("set-cookie")).isNull();
    assertThat(rig.upstream().last().bodyText()).isEqualTo("{\"displayName\":\"Ann\"}");
    assertThat(rig.upstream().last().header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void upstreamErrorsComeBackAsTheyAre() {
    rig.upstream().answer(r -> Reply.json(403, "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}"));
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/groups").GET());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("Authorization_RequestDenied");
    assertThat(rig.upstream().count()).isEqualTo(1);
  }

  @Test
  void invalidControlHeadersAreRefusedWithEveryProblemListed() {
    ApiClient.Response r = rig.send(rig.api().request("/proxy/v1.0/users")
        .header("Provider-Config-Key", "bad key!").header("Retries", "many").header("Retry-On", "5xx").header("Decompress", "yes").GET());

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_headers");
    List<String> paths = r.json().path("error").path("errors").findValues("path").stream().map(p -> p.get(0).asText()).toList();
    assertThat(paths).contains("connection-id", "provider-config-key", "retries", "retry-on", "decompress");
    assertThat(rig.upstream().count()).isZero();
  }

  @Test
  void unknownIntegrationAndConnectionGetNangosErrors() {
    ApiClient.Response noIntegration = rig.send(rig.api().request("/proxy/v1.0/users")
        .header("Connection-Id", "contoso").header("Provider-Config-Key", "nope").GET());
    assertThat(noIntegration.status()).isEqualTo(404);
    assertThat(noIntegration.code()).isEqualTo("unknown_provider_config");

    ApiClient.Response noConnection = rig.send(rig.api().request("/proxy/v1.0/users")
        .header("Connection-Id", "nobody").header("Provider-Config-Key", ProxyRig.INTEGRATION).GET());
    assertThat(noConnection.status()).isEqualTo(400);
    assertThat(noConnection.code()).isEqualTo("server_error");
    assertThat(noConnection.json().path("error").path("message").asText()).contains("nobody");
    assertThat(rig.upstream().count()).isZero();
  }

  @Test
  void theSecretKeyIsRequired() {
    ApiClient.Response r = rig.send(new ApiClient(rig.graphgate().baseUrl(), null).request("/proxy/v1.0/users")
        .header("Connection-Id", ProxyRig.CONNECTION).header("Provider-Config-Key", ProxyRig.INTEGRATION).GET());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("missing_auth_header");
  }

  @Test
  void aLeadingCopyOfTheGraphUrlInTheEndpointIsStrippedAsNangoDoes() {
    // Nango users page by passing @odata.nextLink back as the endpoint.
    rig.send(rig.proxy("/" + rig.upstream().url() + "/v1.0/users?$skiptoken=abc").GET());
    assertThat(rig.upstream().last().rawPath()).isEqualTo("/v1.0/users");
    assertThat(rig.upstream().last().rawQuery()).isEqualTo("$skiptoken=abc");
  }

  @Test
  void linksArePointedBackThroughTheProxyWhenAsked() {
    String graph = rig.upstream().url().toString();
    rig.upstream().answer(r -> Reply.json(200, "{\"@odata.context\":\"" + graph + "/v1.0/$metadata#users\",\"value\":[{\"webUrl\":\"" + graph
        + "/v1.0/keep\"}],\"@odata.nextLink\":\"" + graph + "/v1.0/users?$skiptoken=X1\"}"));
    ApiClient.Response plain = rig.send(rig.proxy("/v1.0/users").GET());
    assertThat(plain.json().path("@odata.nextLink").asText()).isEqualTo(graph + "/v1.0/users?$skiptoken=X1");

    ApiClient.Response rewritten = rig.send(rig.proxy("/v1.0/users").header("Graphgate-Rewrite-Links", "true").GET());
    assertThat(rewritten.json().path("@odata.nextLink").asText()).isEqualTo(rig.graphgate().baseUrl() + "/proxy/v1.0/users?$skiptoken=X1");
    assertThat(rewritten.json().path("value").get(0).path("webUrl").asText()).as("only links change").isEqualTo(graph + "/v1.0/keep");
  }

  @Test
  void aProxiedCallSendsNoDatabaseStatement() {
    rig.upstream().answer(r -> r.method().equals("POST") && rig.upstream().count() % 3 == 0 ? Reply.json(429, "{}", "Retry-After", "0.01")
        : Reply.json(200, "{\"value\":[]}"));
    assertThat(rig.send(rig.proxy("/v1.0/users").GET()).status()).isEqualTo(200);
    long before = rig.graphgate().databaseStatements();
    for (int i = 0; i < 30; i++) {
      assertThat(rig.send(rig.proxy("/v1.0/users?$top=" + i).GET()).status()).isEqualTo(200);
      assertThat(rig.send(rig.proxy("/v1.0/users/u" + i + "/sendMail").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}"))).status()).isEqualTo(200);
    }
    assertThat(rig.graphgate().databaseStatements() - before).isZero();
  }

  @Test
  void aConnectionWhoseCredentialsEntraRefusesGetsItsActionableStatus() {
    rig.api().post("/connections", """
        {"provider_config_key":"%s","connection_id":"wrong-secret","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"not-the-secret"},
         "connection_config":{"tenantId":"%s"}}""".formatted(ProxyRig.INTEGRATION, ProxyRig.APP_ID, ProxyRig.TENANT_ID));
    java.util.function.Supplier<ApiClient.Response> call = () -> rig.send(rig.api().request("/proxy/v1.0/users")
        .header("Connection-Id", "wrong-secret").header("Provider-Config-Key", ProxyRig.INTEGRATION).GET());

    ApiClient.Response refused = call.get();
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("server_error");
    assertThat(refused.json().path("error").path("message").asText())
        .startsWith("Failed to get connection credentials: '").contains("client secret is wrong").doesNotContain("not-the-secret");
    assertThat(refused.json().path("error").path("payload").path("status").asText()).isEqualTo("invalid_credentials");

    ApiClient.Response again = call.get();
    assertThat(again.status()).isEqualTo(424);
    assertThat(again.code()).isEqualTo("connection_refresh_backoff");
    assertThat(Integer.parseInt(again.header("retry-after"))).as("seconds left of the 30 s backoff").isBetween(1, 30);
    assertThat(rig.upstream().count()).isZero();
  }
}

package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.auth.TokenRequest;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.TestUpstream;
import dev.graphgate.server.testing.TestUpstream.Reply;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another Microsoft resource through the same connection: a token for that resource's {@code /.default} scope,
 * requested once for concurrent callers, cached, and sent only to that resource. The emulator issues Graph tokens only,
 * so the token endpoint is scripted here; the resource is a real local HTTP server standing in for SharePoint, allowed
 * by {@code GRAPHGATE_PROXY_ALLOWED_ORIGINS}.
 */
class ProxyResourceTokenTest {
  @TempDir static Path dataDir;
  static TestDatabase db;
  static TestUpstream graph;
  static TestUpstream sharepoint;
  static ScriptedTokenEndpoint entra;
  static Graphgate graphgate;
  static ApiClient api;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    graph = new TestUpstream();
    sharepoint = new TestUpstream();
    entra = new ScriptedTokenEndpoint().delay(100);
    graphgate = Graphgate.start(TestServers.config(db, dataDir)
            .cloud(CloudConfig.custom(URI.create("http://127.0.0.1:9"), graph.url()))
            .proxy(ProxyConfig.defaults().withExtraAllowedOrigins(List.of(sharepoint.url())))
            .build(),
        Graphgate.Options.defaults().withTokenEndpoint(entra));
    api = TestServers.client(graphgate);
    api.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}");
    api.post("/connections", """
        {"provider_config_key":"ms","connection_id":"c","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"resource-test-secret"},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}""");
  }

  @AfterAll
  static void stop() {
    graphgate.close();
    graph.close();
    sharepoint.close();
    db.close();
  }

  static ApiClient.Response call(String path, String override) {
    return api.send(api.request("/proxy" + path).header("Connection-Id", "c").header("Provider-Config-Key", "ms")
        .header("Base-Url-Override", override).GET());
  }

  @Test
  void aResourceGetsItsOwnTokenOnceForConcurrentCallersThenFromMemory() throws Exception {
    sharepoint.answer(r -> Reply.json(200, "{\"Title\":\"HR\"}"));
    graph.answer(r -> Reply.json(200, "{\"value\":[]}"));
    String override = sharepoint.url() + "/sites/hr";
    int before = entra.requests();
    for (int status : Concurrently.times(6, i -> call("/_api/web", override).status())) {
      assertThat(status).isEqualTo(200);
    }
    assertThat(call("/_api/web/lists", override).status()).isEqualTo(200);

    List<TokenRequest> resourceRequests = entra.seen().stream().filter(t -> t.form().get("scope").startsWith("http://127.0.0.1")).toList();
    assertThat(resourceRequests).hasSize(1);
    assertThat(resourceRequests.get(0).form()).containsEntry("scope", sharepoint.url() + "/.default")
        .containsEntry("client_secret", "resource-test-secret");
    assertThat(sharepoint.last().rawPath()).isEqualTo("/sites/hr/_api/web/lists");

    assertThat(api.send(api.request("/proxy/v1.0/users").header("Connection-Id", "c").header("Provider-Config-Key", "ms").GET()).status()).isEqualTo(200);
    String graphToken = graph.last().header("Authorization");
    assertThat(sharepoint.received()).allSatisfy(r -> assertThat(r.header("Authorization")).startsWith("Bearer ").isNotEqualTo(graphToken));
    assertThat(entra.requests() - before).as("one resource token, one Graph token").isEqualTo(2);
  }

  @Test
  void aResource401GetsAFreshResourceToken() {
    AtomicInteger n = new AtomicInteger();
    sharepoint.answer(r -> n.incrementAndGet() == 1 ? Reply.json(401, "{\"error\":\"invalid_token\"}") : Reply.json(200, "{}"));
    String override = sharepoint.url() + "/sites/finance";
    int seenBefore = sharepoint.count();
    ApiClient.Response r = call("/_api/web", override);
    assertThat(r.status()).isEqualTo(200);
    List<String> tokens = sharepoint.received().stream().skip(seenBefore).map(x -> x.header("Authorization")).toList();
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(1)).isNotEqualTo(tokens.get(0));
  }

  @Test
  void aConnectionImportedAgainForAnotherTenantNeverSendsTheOldTenantsResourceToken() {
    sharepoint.answer(r -> Reply.json(200, "{}"));
    String connection = """
        {"provider_config_key":"ms","connection_id":"moved","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"resource-test-secret"},"connection_config":{"tenantId":"%s"}}""";
    api.post("/connections", connection.formatted("contoso.onmicrosoft.com"));
    String override = sharepoint.url() + "/sites/hr";
    ApiClient.Response first = api.send(api.request("/proxy/_api/web").header("Connection-Id", "moved").header("Provider-Config-Key", "ms")
        .header("Base-Url-Override", override).GET());
    assertThat(first.status()).isEqualTo(200);
    String contosoToken = sharepoint.last().header("Authorization");

    assertThat(api.post("/connections", connection.formatted("fabrikam.onmicrosoft.com")).status()).isEqualTo(201);
    ApiClient.Response second = api.send(api.request("/proxy/_api/web").header("Connection-Id", "moved").header("Provider-Config-Key", "ms")
        .header("Base-Url-Override", override).GET());
    assertThat(second.status()).isEqualTo(200);
    assertThat(sharepoint.last().header("Authorization")).as("a token of the tenant the connection now names").isNotEqualTo(contosoToken);
    assertThat(entra.seen().get(entra.seen().size() - 1).tokenUrl().toString()).contains("/fabrikam.onmicrosoft.com/");
  }
}

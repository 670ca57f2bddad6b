package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.LogCapture;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.TestUpstream.Reply;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The request log: one entry per proxied call, queried by {@code GET /logs}, kept for the retention period, never a secret. */
class ProxyLogTest {
  static final SettableClock clock = SettableClock.atSystemTime();
  @RegisterExtension final LogCapture logs = LogCapture.root().atLevel(Level.DEBUG);
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream()
      .config(b -> b.proxy(b.build().proxy().withLog(Duration.ofDays(7), 10_000)))
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance));

  @BeforeEach
  void reset() {
    rig.upstream().answer(r -> Reply.json(200, "{\"value\":[]}", "request-id", "rid-ok"));
    clock.advance(Duration.ofMinutes(5));
  }

  static JsonNode logs(String query) {
    assertThat(rig.graphgate().proxyLog().awaitWritten(Duration.ofSeconds(10))).isTrue();
    ApiClient.Response r = rig.api().get("/logs" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /**
   * The newest entry once it is there: the client may have its whole answer a moment before the proxy has finished
   * the call and queued the entry.
   */
  static JsonNode newest(String query, String pathPart) {
    JsonNode[] found = new JsonNode[1];
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode first = logs(query).path("logs").path(0);
      assertThat(first.path("path").asText()).contains(pathPart);
      found[0] = first;
    });
    return found[0];
  }

  @Test
  void eachCallLeavesOneEntryWithWhatHappened() {
    String marker = "log-" + System.nanoTime();
    AtomicInteger n = new AtomicInteger();
    rig.upstream().answer(r -> n.incrementAndGet() == 1 ? Reply.json(429, "{}", "Retry-After", "3")
        : Reply.json(200, "{\"value\":[1,2,3]}", "request-id", "rid-after-retry"));
    rig.send(rig.proxy("/v1.0/users/" + marker + "/messages?$filter=from/emailAddress/address%20eq%20'ceo@contoso.com'&$top=5").GET());

    JsonNode entry = newest("?connection_id=" + ProxyRig.CONNECTION + "&limit=1", marker);
    assertThat(entry.path("path").asText()).isEqualTo("/v1.0/users/" + marker + "/messages?$filter=***&$top=***");
    assertThat(entry.path("method").asText()).isEqualTo("GET");
    assertThat(entry.path("status").asInt()).isEqualTo(200);
    assertThat(entry.path("attempts").asInt()).isEqualTo(2);
    assertThat(entry.path("waited_ms").asLong()).isEqualTo(3000);
    assertThat(entry.path("response_bytes").asLong()).isEqualTo("{\"value\":[1,2,3]}".length());
    assertThat(entry.path("upstream_request_id").asText()).isEqualTo("rid-after-retry");
    assertThat(entry.path("provider_config_key").asText()).isEqualTo(ProxyRig.INTEGRATION);
    assertThat(entry.path("error").isNull()).isTrue();
    assertThat(entry.toString()).doesNotContain("ceo@contoso.com");
  }

  @Test
  void refusedCallsAreLoggedWithTheirErrorCode() {
    rig.send(rig.proxy("/v1.0/users").header("Base-Url-Override", "https://evil.example").GET());
    JsonNode entry = newest("?status=400&limit=1", "/v1.0/users");
    assertThat(entry.path("error").asText()).isEqualTo("base_url_override_not_allowed");
    assertThat(entry.path("attempts").asInt()).isZero();
    assertThat(entry.path("base_url").asText()).isEqualTo("https://evil.example");
  }

  @Test
  void filtersAndPagesComeNewestFirst() {
    for (int i = 0; i < 5; i++) {
      rig.send(rig.proxy("/v1.0/groups/page-" + i).DELETE());
    }
    newest("?method=DELETE&limit=1", "page-4");
    JsonNode first = logs("?method=delete&limit=2");
    assertThat(first.path("logs")).hasSize(2);
    assertThat(first.path("logs").get(0).path("path").asText()).isEqualTo("/v1.0/groups/page-4");
    assertThat(first.path("logs").get(1).path("path").asText()).isEqualTo("/v1.0/groups/page-3");
    JsonNode second = logs("?method=DELETE&limit=2&cursor=" + first.path("next_cursor").asText());
    assertThat(second.path("logs").get(0).path("path").asText()).isEqualTo("/v1.0/groups/page-2");

    assertThat(logs("?status=2xx&connection_id=nobody").path("logs")).isEmpty();
    assertThat(logs("?provider_config_key=" + ProxyRig.INTEGRATION + "&status=2xx&limit=1").path("logs")).hasSize(1);
    String future = clock.instant().plusSeconds(3600).toString();
    assertThat(logs("?since=" + future).path("logs")).isEmpty();
    assertThat(logs("?until=" + future + "&limit=1").path("logs")).hasSize(1);
  }

  @Test
  void badQueriesAreRefusedWithTheFieldNamed() {
    for (String q : new String[] {"?status=abc", "?since=yesterday", "?limit=0", "?cursor=x", "?unknown=1"}) {
      ApiClient.Response r = rig.api().get("/logs" + q);
      assertThat(r.status()).as(q).isEqualTo(400);
      assertThat(r.code()).as(q).isEqualTo("invalid_query_params");
    }
  }

  @Test
  void entriesOlderThanTheRetentionPeriodAreDeleted() {
    rig.send(rig.proxy("/v1.0/organization/old-entry").GET());
    newest("?limit=1", "/v1.0/organization/old-entry");
    clock.advance(Duration.ofDays(8));
    rig.send(rig.proxy("/v1.0/organization/new-entry").GET());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      List<String> paths = new ArrayList<>();
      logs("?limit=1000").path("logs").forEach(e -> paths.add(e.path("path").asText()));
      assertThat(paths).contains("/v1.0/organization/new-entry").doesNotContain("/v1.0/organization/old-entry");
    });
  }

  @Test
  void noSecretOrTokenReachesTheLogsOrGetLogs() {
    List<String> secrets = new ArrayList<>();
    List<String> tokensSeen = new ArrayList<>();
    rig.upstream().answer(r -> {
      tokensSeen.add(r.header("Authorization").substring("Bearer ".length()));
      return r.rawPath().contains("fail") ? Reply.json(503, "{}", "Retry-After", "1") : Reply.json(200, "{}");
    });
    rig.send(rig.proxy("/v1.0/users?tempauth=pre-authenticated-secret").GET());
    rig.send(rig.proxy("/v1.0/users/fail").GET());
    rig.send(rig.proxy("/v1.0/me").header("Nango-Proxy-Authorization", "Bearer client-supplied-token-value").GET());
    rig.send(rig.proxy("/v1.0/users").header("Base-Url-Override", "https://admin:override-password@contoso.sharepoint.com").GET());
    rig.send(rig.proxy("/v1.0/users").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"passwordProfile\":{\"password\":\"body-secret-value\"}}")));
    rig.send(rig.api().request("/proxy/v1.0/users").header("Connection-Id", "nobody").header("Provider-Config-Key", ProxyRig.INTEGRATION).GET());
    secrets.add(rig.api().get("/connections/" + ProxyRig.CONNECTION + "?provider_config_key=" + ProxyRig.INTEGRATION)
        .json().path("credentials").path("token").asText());
    newest("?status=400&limit=1", "/v1.0/users");
    secrets.addAll(tokensSeen.stream().filter(t -> t.startsWith("ey")).distinct().toList());
    secrets.addAll(List.of(TestServers.SECRET_KEY, ProxyRig.APP_SECRET, "pre-authenticated-secret", "client-supplied-token-value",
        "override-password", "body-secret-value"));
    String logged = logs.text();
    String api = rig.api().get("/logs?limit=1000").body();
    assertThat(logged).contains("/proxy/v1.0/users");
    assertThat(api).contains("tempauth=***");
    for (String secret : secrets) {
      assertThat(secret).isNotBlank();
      assertThat(logged).as("application log").doesNotContain(secret);
      assertThat(api).as("GET /logs").doesNotContain(secret);
    }
  }
}

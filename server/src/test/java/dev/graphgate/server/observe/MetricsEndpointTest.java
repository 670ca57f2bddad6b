package dev.graphgate.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Exposition;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.TestServers;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics} against a real instance in front of the emulator's Entra and Graph: who may read it, and what
 * it says after a known set of calls ({@link #start}: {@value #PROXIED} proxied reads, the first of which fetched the
 * connection's one token, one read of the connection's token, one proxied call naming no known connection).
 */
class MetricsEndpointTest {
  static final String METRICS_TOKEN = "metrics-test-token-0123456789abcdef0123456789";
  static final int PROXIED = 5;
  static final String UNKNOWN_CONNECTION = "no-such-connection-7f3a";

  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withEmulatorGraph().config(b -> b.metricsToken(METRICS_TOKEN));
  static long tokenRequestsAtEmulator;
  /** The scrape taken right after the calls of {@link #start}. */
  static Exposition scrape;

  @BeforeAll
  static void start() {
    rig.emulator().generate(ProxyRig.TENANT_ID, "{\"users\": 3}");
    rig.emulator().resetStats();
    for (int i = 0; i < PROXIED; i++) {
      assertThat(rig.send(rig.proxy("/v1.0/users").GET()).status()).isEqualTo(200);
    }
    assertThat(rig.api().get("/connections/" + ProxyRig.CONNECTION + "?provider_config_key=" + ProxyRig.INTEGRATION).status()).isEqualTo(200);
    ApiClient.Response unknown = rig.send(rig.api().request("/proxy/v1.0/users").header("Connection-Id", UNKNOWN_CONNECTION)
        .header("Provider-Config-Key", ProxyRig.INTEGRATION).GET());
    assertThat(unknown.status()).isEqualTo(400);
    tokenRequestsAtEmulator = rig.emulator().tokenRequests();
    ApiClient.Response r = scrapeWith("Bearer " + METRICS_TOKEN);
    assertThat(r.status()).isEqualTo(200);
    scrape = new Exposition(r.body());
  }

  static ApiClient.Response scrapeWith(String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(rig.graphgate().baseUrl().resolve("/metrics")).timeout(Duration.ofSeconds(30)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return new ApiClient(rig.graphgate().baseUrl(), null).send(b);
  }

  @Test
  void metricsWithoutAuthorizationThenTheApisMissingHeaderError() {
    ApiClient.Response r = scrapeWith(null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("missing_auth_header");
    assertThat(r.body()).doesNotContain("graphgate_");
  }

  @Test
  void metricsWithAWrongKeyOrTokenThenTheApisAuthenticationErrors() {
    ApiClient.Response unknownKey = scrapeWith("Bearer 0e0e0e0e-1d2c-4e3f-9a8b-7c6d5e4f3a2b");
    assertThat(unknownKey.status()).isEqualTo(401);
    assertThat(unknownKey.code()).isEqualTo("unknown_account");
    ApiClient.Response wrongToken = scrapeWith("Bearer " + METRICS_TOKEN + "x");
    assertThat(wrongToken.status()).isEqualTo(401);
    assertThat(wrongToken.code()).isEqualTo("invalid_secret_key_format");
    ApiClient.Response notBearer = scrapeWith("Basic " + METRICS_TOKEN);
    assertThat(notBearer.status()).isEqualTo(401);
    assertThat(notBearer.code()).isEqualTo("malformed_auth_header");
    assertThat(unknownKey.body() + wrongToken.body() + notBearer.body()).doesNotContain("graphgate_").doesNotContain(METRICS_TOKEN);
  }

  @Test
  void metricsWithTheMetricsTokenThenPrometheusText() {
    ApiClient.Response r = scrapeWith("bearer " + METRICS_TOKEN);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo(Metrics.CONTENT_TYPE);
    assertThat(new Exposition(r.body()).types()).containsEntry("graphgate_proxy_requests_seconds", "histogram");
  }

  @Test
  void metricsWithAnApiSecretKeyThenPrometheusText() {
    ApiClient.Response r = scrapeWith("Bearer " + TestServers.SECRET_KEY);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo(Metrics.CONTENT_TYPE);
    assertThat(new Exposition(r.body()).types()).containsKey("graphgate_token_requests_seconds");
  }

  @Test
  void afterTheCallsTheTokenMetersCountOneTokenRequestAndHowEachAnswerWasServed() {
    assertThat(tokenRequestsAtEmulator).isEqualTo(1);
    assertThat(scrape.value("graphgate_token_requests_seconds_count", "kind", "graph", "outcome", "issued", "status", "none")).isEqualTo(1);
    assertThat(scrape.sum("graphgate_token_requests_seconds_count")).isEqualTo(1);
    assertThat(scrape.value("graphgate_token_requests_seconds_sum", "kind", "graph", "outcome", "issued")).isPositive();
    // The first proxied call found no token and waited for the one request; every later answer came from memory.
    assertThat(scrape.value("graphgate_token_answers_total", "kind", "graph", "served", "waited")).isEqualTo(1);
    assertThat(scrape.value("graphgate_token_answers_total", "kind", "graph", "served", "fresh")).isEqualTo(PROXIED - 1 + 1);
    assertThat(scrape.value("graphgate_token_answers_total", "kind", "graph", "served", "refresh_ahead")).isZero();
    assertThat(scrape.value("graphgate_token_answers_total", "kind", "graph", "served", "held_back")).isZero();
    assertThat(scrape.sum("graphgate_token_answers_total", "kind", "resource")).isZero();
    assertThat(scrape.value("graphgate_connection_status_changes_total", "status", "ok")).isEqualTo(1);
  }

  @Test
  void afterTheCallsTheProxyMetersCountEachCallByMethodAndOutcome() {
    assertThat(scrape.value("graphgate_proxy_requests_seconds_count", "method", "GET", "outcome", "2xx")).isEqualTo(PROXIED);
    assertThat(scrape.value("graphgate_proxy_requests_seconds_count", "method", "GET", "outcome", "server_error")).isEqualTo(1);
    assertThat(scrape.sum("graphgate_proxy_requests_seconds_count")).isEqualTo(PROXIED + 1);
    assertThat(scrape.value("graphgate_proxy_requests_seconds_bucket", "method", "GET", "outcome", "2xx", "le", "+Inf")).isEqualTo(PROXIED);
    assertThat(scrape.value("graphgate_proxy_requests_seconds_sum", "method", "GET", "outcome", "2xx")).isPositive();
    // One attempt for each call that reached Graph, none for the one refused before sending.
    assertThat(scrape.value("graphgate_proxy_attempts_count")).isEqualTo(PROXIED + 1);
    assertThat(scrape.value("graphgate_proxy_attempts_sum")).isEqualTo(PROXIED);
    assertThat(scrape.value("graphgate_proxy_attempts_bucket", "le", "1.0")).isEqualTo(PROXIED + 1);
    assertThat(scrape.value("graphgate_proxy_waited_seconds_count")).isEqualTo(PROXIED + 1);
    assertThat(scrape.value("graphgate_upstream_retries_total")).isZero();
    assertThat(scrape.value("graphgate_upstream_throttled_total")).isZero();
    assertThat(scrape.sum("graphgate_gate_closures_total")).isZero();
    assertThat(scrape.value("graphgate_gate_held_seconds_count", "gate", "tenant")).isZero();
    assertThat(scrape.value("graphgate_proxy_log_dropped_total")).isZero();
    assertThat(scrape.value("graphgate_http_requests_seconds_count", "method", "GET", "route", "/proxy/<path>", "status", "200")).isEqualTo(PROXIED);
    // The connection was cached when it was created: every lookup of it came from memory; the unknown one was looked
    // for in the database.
    assertThat(scrape.value("graphgate_connection_cache_total", "result", "hit")).isEqualTo(PROXIED + 1);
    assertThat(scrape.value("graphgate_connection_cache_total", "result", "miss")).isEqualTo(1);
  }

  @Test
  void theJvmsMetersAreThere() {
    // One pool may be empty at any moment (the young generation right after a collection); the heap as a whole is not.
    assertThat(scrape.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty().allMatch(pool -> pool.value() >= 0);
    assertThat(scrape.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();
    assertThat(scrape.value("jvm_threads_live_threads")).isPositive();
    assertThat(scrape.value("jvm_classes_loaded_classes")).isPositive();
    assertThat(scrape.value("process_uptime_seconds")).isPositive();
    assertThat(scrape.value("system_cpu_count")).isPositive();
  }

  @Test
  void theScrapeHoldsNoSecretTokenOrConnectionIdentifier() {
    assertThat(scrape.text())
        .doesNotContain(METRICS_TOKEN)
        .doesNotContain(TestServers.SECRET_KEY)
        .doesNotContain(ProxyRig.APP_SECRET)
        .doesNotContain(ProxyRig.APP_ID)
        .doesNotContain(ProxyRig.TENANT_ID)
        .doesNotContain(ProxyRig.TENANT_DOMAIN)
        .doesNotContain("\"" + ProxyRig.CONNECTION + "\"")
        .doesNotContain(UNKNOWN_CONNECTION)
        .doesNotContain("/v1.0/users")
        .doesNotContain("eyJ");
    for (Exposition.Sample s : scrape.samples()) {
      assertThat(s.labels()).doesNotContainValue(ProxyRig.CONNECTION).doesNotContainValue(ProxyRig.INTEGRATION);
    }
  }

  @Test
  void theDocumentedMetersAreExactlyTheMetersInTheScrape() throws IOException {
    Map<String, Boolean> documented = documentedMeters();
    Set<String> graphgate = scrape.families("graphgate_");
    assertThat(graphgate).hasSize(MeterNames.ALL.size());
    for (String name : MeterNames.ALL) {
      assertThat(graphgate).as("a family for " + name).anyMatch(f -> f.startsWith(name.replace('.', '_')));
    }
    Set<String> documentedGraphgate = new TreeSet<>();
    documented.keySet().stream().filter(n -> n.startsWith("graphgate_")).forEach(documentedGraphgate::add);
    assertThat(documentedGraphgate).as("docs/metrics.md against the scrape").isEqualTo(new TreeSet<>(graphgate));
    Set<String> others = new TreeSet<>();
    for (String prefix : List.of("jvm_", "process_", "system_")) {
      others.addAll(scrape.families(prefix));
    }
    assertThat(scrape.families("")).as("nothing but Graphgate's and the JVM's meters").hasSize(graphgate.size() + others.size());
    assertThat(documented.keySet()).as("every JVM meter in the scrape is in docs/metrics.md").containsAll(others);
    for (Map.Entry<String, Boolean> d : documented.entrySet()) {
      if (!d.getValue()) {
        assertThat(scrape.families("")).as("documented as always there").contains(d.getKey());
      }
    }
  }

  /** The meters of docs/metrics.md's tables, each with whether it "appears only" under some condition. */
  private static Map<String, Boolean> documentedMeters() throws IOException {
    Map<String, Boolean> meters = new LinkedHashMap<>();
    Pattern row = Pattern.compile("^\\| `([a-z0-9_]+)` \\|.*");
    for (String line : Files.readAllLines(Path.of("..", "docs", "metrics.md"))) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        assertThat(meters.put(m.group(1), line.contains("Appears only"))).as("listed once: " + m.group(1)).isNull();
      }
    }
    assertThat(meters).isNotEmpty();
    return meters;
  }
}

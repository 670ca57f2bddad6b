package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.Gate;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.TestUpstream;
import dev.graphgate.server.testing.TestUpstream.Reply;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries that respect Microsoft: which answers are retried for which methods, how long each wait is (Retry-After in
 * seconds, fractions or an HTTP date, else exponential backoff), the Retries and Retry-On headers, the time budget,
 * transport failures, and the single forced token refresh after a 401. Time is a settable clock: waits are recorded,
 * not slept.
 */
class ProxyRetryTest {
  static final SettableClock clock = SettableClock.atSystemTime();
  static final List<Duration> waits = new CopyOnWriteArrayList<>();
  // A new token on every request, so a forced refresh yields a different token.
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream()
      .emulator(() -> new EmulatorFixture(EmulatorConfig.ephemeral().withTokenReuseWindow(Duration.ZERO)))
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(d -> {
        waits.add(d);
        clock.advance(d);
      }));

  @BeforeEach
  void reset() {
    waits.clear();
    // Waits advance the clock: move past anything a previous test left closed.
    clock.advance(Duration.ofMinutes(10));
  }

  /** Answers {@code first} to the first {@code n} requests, then 200. */
  private static void failFirst(int n, Reply first) {
    AtomicInteger seen = new AtomicInteger();
    rig.upstream().answer(r -> seen.incrementAndGet() <= n ? copy(first) : Reply.json(200, "{\"value\":[]}"));
  }

  private static Reply copy(Reply r) {
    return Reply.json(r.status(), r.status() == 429 ? "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Please retry again later.\"}}"
        : "{\"error\":{\"code\":\"serviceNotAvailable\"}}", flatten(r.headers()));
  }

  private static String[] flatten(java.util.Map<String, String> h) {
    return h.entrySet().stream().filter(e -> !e.getKey().equals("Content-Type")).flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
        .toArray(String[]::new);
  }

  private static Reply throttled(String retryAfter) {
    return Reply.json(429, "{}", "Retry-After", retryAfter);
  }

  private static ApiClient.Response get(String path, String... headers) {
    HttpRequest.Builder b = rig.proxy(path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return rig.send(b.GET());
  }

  private static ApiClient.Response post(String path, String body, String... headers) {
    HttpRequest.Builder b = rig.proxy(path).header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return rig.send(b.POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void aThrottledGetIsRetriedAfterRetryAfterSeconds() {
    failFirst(1, throttled("2"));
    ApiClient.Response r = get("/v1.0/users");
    assertThat(r.status()).isEqualTo(200);
    assertThat(rig.upstream().count()).isEqualTo(2);
    assertThat(waits).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void fractionalRetryAfterIsHonouredToTheMillisecond() {
    failFirst(1, throttled("2.128"));
    assertThat(get("/v1.0/users").status()).isEqualTo(200);
    assertThat(waits).containsExactly(Duration.ofMillis(2128));
  }

  @Test
  void anHttpDateRetryAfterWaitsUntilThatTime() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(5).atOffset(ZoneOffset.UTC));
    failFirst(1, throttled(date));
    assertThat(get("/v1.0/users").status()).isEqualTo(200);
    assertThat(waits).hasSize(1);
    assertThat(waits.get(0)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
  }

  @Test
  void aThrottledPostIsRetriedWithTheSameBody() {
    failFirst(1, throttled("1"));
    ApiClient.Response r = post("/v1.0/users/u1/sendMail", "{\"message\":{\"subject\":\"hi\"}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(rig.upstream().received()).hasSize(2).allSatisfy(got -> assertThat(got.bodyText()).isEqualTo("{\"message\":{\"subject\":\"hi\"}}"));
  }

  @Test
  void serviceUnavailableIsRetriedForIdempotentRequestsOnly() {
    failFirst(1, Reply.json(503, "{}", "Retry-After", "1"));
    assertThat(get("/v1.0/users").status()).isEqualTo(200);
    assertThat(rig.upstream().count()).isEqualTo(2);

    rig.upstream().reset();
    failFirst(1, Reply.json(503, "{}", "Retry-After", "1"));
    ApiClient.Response post = post("/v1.0/users", "{}");
    assertThat(post.status()).isEqualTo(503);
    assertThat(post.header("retry-after")).isEqualTo("1");
    assertThat(rig.upstream().count()).isEqualTo(1);

    rig.upstream().reset();
    failFirst(1, Reply.json(504, "{}"));
    assertThat(post("/v1.0/users", "{}", "Retry-On", "504").status()).as("Retry-On asks for it").isEqualTo(200);
    assertThat(rig.upstream().count()).isEqualTo(2);
  }

  @Test
  void aServerErrorIsRetriedOnlyWhenRetryOnListsIt() {
    failFirst(1, Reply.json(500, "{\"error\":{\"code\":\"generalException\"}}"));
    assertThat(get("/v1.0/users").status()).isEqualTo(500);
    assertThat(rig.upstream().count()).isEqualTo(1);

    rig.upstream().reset();
    failFirst(1, Reply.json(500, "{}"));
    assertThat(get("/v1.0/users", "Retry-On", "500,502").status()).isEqualTo(200);
  }

  @Test
  void withoutRetryAfterTheWaitGrowsExponentiallyWithJitter() {
    failFirst(3, Reply.json(503, "{}"));
    assertThat(get("/v1.0/users").status()).isEqualTo(200);
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(waits.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(waits.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void byDefaultThreeRetriesThenTheLastAnswerAsItIs() {
    rig.upstream().answer(r -> Reply.json(429, "{\"error\":{\"code\":\"TooManyRequests\"}}", "Retry-After", "1", "request-id", "r-429"));
    ApiClient.Response r = get("/v1.0/users");
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("retry-after")).isEqualTo("1");
    assertThat(r.header("request-id")).isEqualTo("r-429");
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("TooManyRequests");
    assertThat(rig.upstream().count()).isEqualTo(4);
  }

  @Test
  void theRetriesHeaderOverridesTheDefault() {
    failFirst(5, throttled("1"));
    assertThat(get("/v1.0/users", "Retries", "5").status()).isEqualTo(200);
    assertThat(rig.upstream().count()).isEqualTo(6);

    rig.upstream().reset();
    failFirst(1, throttled("1"));
    assertThat(get("/v1.0/users", "Retries", "0").status()).isEqualTo(429);
    assertThat(rig.upstream().count()).isEqualTo(1);
  }

  @Test
  void aWaitBeyondTheTimeBudgetIsNotStarted() {
    failFirst(1, throttled("120"));
    ApiClient.Response r = get("/v1.0/users");
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("retry-after")).isEqualTo("120");
    assertThat(waits).isEmpty();
    assertThat(rig.upstream().count()).isEqualTo(1);
  }

  @Test
  void aCallWhileTheTenantsGateIsClosedPastItsBudgetIsRefusedWithoutBeingSent() {
    failFirst(1, throttled("120"));
    assertThat(get("/v1.0/users").status()).as("Microsoft's own 429 comes back").isEqualTo(429);

    ApiClient.Response refused = get("/v1.0/users");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("too_many_requests");
    assertThat(refused.json().path("error").path("message").asText()).startsWith("Not sent: Microsoft throttled").contains("beyond this request's time budget");
    assertThat(refused.header("retry-after")).isEqualTo("120");
    assertThat(rig.upstream().count()).as("nothing was sent while the gate was closed").isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void aDroppedConnectionIsRetriedForAGetAndReportedForAPost() {
    failFirst(1, Reply.reset());
    assertThat(get("/v1.0/users").status()).isEqualTo(200);
    assertThat(rig.upstream().count()).isEqualTo(2);

    rig.upstream().reset();
    failFirst(1, Reply.reset());
    ApiClient.Response r = post("/v1.0/users", "{}");
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.code()).isEqualTo("ECONNRESET");
    assertThat(r.json().path("error").path("method").asText()).isEqualTo("post");
    assertThat(rig.upstream().count()).isEqualTo(1);
  }

  @Test
  void anUnreachableGraphIsRetriedEvenForAPostThenReported() {
    try (Graphgate unreachable = Graphgate.start(rig.graphgate().config().toBuilder().port(0)
            .cloud(CloudConfig.custom(URI.create(rig.emulator().loginUrl()), URI.create("http://127.0.0.1:9"))).build(),
        Graphgate.Options.defaults().withClock(clock).withSleeper(d -> {
          waits.add(d);
          clock.advance(d);
        }))) {
      ApiClient api = new ApiClient(unreachable.baseUrl(), TestServers.SECRET_KEY);
      ApiClient.Response r = api.send(api.request("/proxy/v1.0/users").header("Connection-Id", ProxyRig.CONNECTION)
          .header("Provider-Config-Key", ProxyRig.INTEGRATION).POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.code()).isEqualTo("ECONNREFUSED");
      assertThat(r.json().path("error").path("message").asText()).contains("4 attempts");
      assertThat(waits).hasSize(3);
    }
  }

  @Test
  void anUpstreamThatDoesNotAnswerInTimeIsReportedAsATimeout() {
    Gate never = new Gate();
    try (Graphgate impatient = Graphgate.start(rig.graphgate().config().toBuilder().port(0)
            .proxy(rig.graphgate().config().proxy().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300))).build(),
        Graphgate.Options.defaults().withClock(clock).withSleeper(d -> {
          waits.add(d);
          clock.advance(d);
        }))) {
      // No answer until the test is over: a timeout, however slow the machine, and no wall-clock race.
      rig.upstream().answer(r -> {
        never.pass();
        return Reply.json(200, "{}");
      });
      ApiClient api = new ApiClient(impatient.baseUrl(), TestServers.SECRET_KEY);
      ApiClient.Response r = api.send(api.request("/proxy/v1.0/users").header("Connection-Id", ProxyRig.CONNECTION)
          .header("Provider-Config-Key", ProxyRig.INTEGRATION).POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.code()).isEqualTo("ETIMEDOUT");
      assertThat(r.json().path("error").path("message").asText()).contains("did not answer within 300 ms").contains("1 attempt");
      assertThat(r.json().path("error").path("method").asText()).isEqualTo("post");
      assertThat(rig.upstream().count()).as("a POST that timed out is not sent again").isEqualTo(1);
    } finally {
      never.open();
    }
  }

  @Test
  void anAnswerWhoseBodyStallsIsCutOffAndGivesBackItsPlaceAtTheGate() throws Exception {
    Gate stall = new Gate();
    AtomicInteger seen = new AtomicInteger();
    rig.upstream().answer(r -> {
      if (seen.incrementAndGet() > 1) {
        return Reply.json(200, "{\"value\":[]}");
      }
      // Half the announced body, then nothing: the headers arrived in time, the rest never does.
      InputStream half = new InputStream() {
        int left = 100_000;

        @Override
        public int read() {
          if (left-- > 0) {
            return 'a';
          }
          stall.pass();
          return -1;
        }
      };
      return Reply.bytes(200, "application/octet-stream", half, 200_000);
    });
    // One request in flight per tenant: a stalled answer that kept its place would block the next call. The read
    // timeout cuts the stall off; it is not shorter because the next call (no retries) must get its answer within it.
    try (Graphgate impatient = Graphgate.start(rig.graphgate().config().toBuilder().port(0)
        .proxy(rig.graphgate().config().proxy().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1))
            .withTenant(new ProxyConfig.GateLimits(1, 0)).withRetryBudget(Duration.ofSeconds(5)))
        .build())) {
      ApiClient api = new ApiClient(impatient.baseUrl(), TestServers.SECRET_KEY);
      Future<ApiClient.Response> stalled = Concurrently.inBackground(() -> api.send(api.request("/proxy/v1.0/drives/d/items/i/content")
          .header("Connection-Id", ProxyRig.CONNECTION).header("Provider-Config-Key", ProxyRig.INTEGRATION).GET()));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.get() > 0);
      ApiClient.Response next = api.send(api.request("/proxy/v1.0/users").header("Connection-Id", ProxyRig.CONNECTION)
          .header("Provider-Config-Key", ProxyRig.INTEGRATION).header("Retries", "0").GET());
      assertThat(next.status()).as("the stalled call must give its place back: " + next.body()).isEqualTo(200);
      assertThatThrownBy(() -> stalled.get(20, TimeUnit.SECONDS)).as("the client sees a broken answer, not a complete short one")
          .hasCauseInstanceOf(java.io.UncheckedIOException.class);
    } finally {
      stall.open();
    }
  }

  @Test
  void a401GetsOneForcedTokenRefreshAndOneMoreAttempt() {
    assertThat(get("/v1.0/users").status()).as("the connection has its first token").isEqualTo(200);
    rig.upstream().reset();
    List<String> tokens = new CopyOnWriteArrayList<>();
    rig.upstream().answer(r -> {
      tokens.add(r.header("Authorization"));
      return tokens.size() == 1 ? Reply.json(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\"}}") : Reply.json(200, "{}");
    });
    long before = rig.emulator().tokenRequests();
    ApiClient.Response r = get("/v1.0/users", "Retries", "0");
    assertThat(r.status()).isEqualTo(200);
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(1)).isNotEqualTo(tokens.get(0));
    assertThat(rig.emulator().tokenRequests() - before).isEqualTo(1);
    assertThat(waits).isEmpty();

    // Graph keeps refusing: one refresh, then its 401 is passed on; no second refresh within 30 s.
    rig.upstream().reset();
    rig.upstream().answer(r2 -> Reply.json(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\"}}"));
    clock.advance(Duration.ofMinutes(1));
    long mark = rig.emulator().tokenRequests();
    assertThat(get("/v1.0/users").status()).isEqualTo(401);
    assertThat(get("/v1.0/users").status()).isEqualTo(401);
    assertThat(rig.emulator().tokenRequests() - mark).isEqualTo(1);
    assertThat(rig.upstream().count()).isEqualTo(3);
  }

  @Test
  void throttledBatchItemsAreSentAgainAfterTheirRetryAfterAndMergedIntoOneAnswer() {
    List<String> batches = new CopyOnWriteArrayList<>();
    rig.upstream().answer(r -> {
      batches.add(r.bodyText());
      if (batches.size() == 1) {
        return Reply.json(200, """
            {"responses":[{"id":"1","status":200,"body":{"id":"u1"}},
             {"id":"2","status":429,"headers":{"Retry-After":"3"},"body":{"error":{"code":"TooManyRequests"}}},
             {"id":"3","status":424,"body":{"error":{"code":"FailedDependency"}}}]}""");
      }
      return Reply.json(200, """
          {"responses":[{"id":"3","status":200,"body":{"id":"u3"}},{"id":"2","status":200,"body":{"id":"u2"}}]}""");
    });
    ApiClient.Response r = post("/v1.0/$batch", """
        {"requests":[{"id":"1","method":"GET","url":"y/v1.0/users/u1"},{"id":"2","method":"GET","url":"/users/u2"},
         {"id":"3","method":"GET","url":"/proxy/v1.0/users/u3","dependsOn":["2"]}]}""");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("responses").findValues("status").stream().map(n -> n.asInt()).toList()).containsExactly(200, 200, 200);
    assertThat(r.json().path("responses").get(2).path("body").path("id").asText()).isEqualTo("u3");
    assertThat(waits).containsExactly(Duration.ofSeconds(3));
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0)).as("the SDK's mangled item URLs are given back their paths")
        .contains("\"url\":\"/users/u1\"").contains("\"url\":\"/users/u3\"");
    assertThat(batches.get(1)).doesNotContain("\"id\":\"1\"").contains("\"id\":\"2\"").contains("\"dependsOn\":[\"2\"]");
  }

  @Test
  void aBatchWhoseThrottledItemsCannotBeSentAgainStillAnswersWithWhatTheBatchDid() {
    AtomicInteger seen = new AtomicInteger();
    rig.upstream().answer(r -> seen.incrementAndGet() == 1
        ? Reply.json(200, """
            {"responses":[{"id":"1","status":201,"body":{"id":"created"}},
             {"id":"2","status":429,"headers":{"Retry-After":"1"},"body":{"error":{"code":"TooManyRequests"}}}]}""")
        : Reply.reset());
    ApiClient.Response r = post("/v1.0/$batch", """
        {"requests":[{"id":"1","method":"POST","url":"/users","body":{"displayName":"x"},"headers":{"Content-Type":"application/json"}},
         {"id":"2","method":"GET","url":"/users/u2"}]}""", "Retries", "1");

    assertThat(r.status()).as("item 1 was created: the client must learn it, not get a 502 and send it again: " + r.body()).isEqualTo(200);
    assertThat(r.json().path("responses").findValues("status").stream().map(n -> n.asInt()).toList()).containsExactly(201, 429);
    assertThat(r.json().path("responses").get(0).path("body").path("id").asText()).isEqualTo("created");
    assertThat(rig.upstream().count()).isEqualTo(2);
  }

  @Test
  void resentBatchItemsThatWriteAreNotSentAgainAfterAFailureThatMayHaveReachedGraph() {
    AtomicInteger seen = new AtomicInteger();
    rig.upstream().answer(r -> seen.incrementAndGet() == 1
        ? Reply.json(200, """
            {"responses":[{"id":"1","status":200,"body":{"id":"u1"}},
             {"id":"2","status":429,"headers":{"Retry-After":"1"},"body":{"error":{"code":"TooManyRequests"}}}]}""")
        : Reply.reset());
    ApiClient.Response r = post("/v1.0/$batch", """
        {"requests":[{"id":"1","method":"GET","url":"/users/u1"},
         {"id":"2","method":"POST","url":"/users","body":{"displayName":"x"},"headers":{"Content-Type":"application/json"}}]}""",
        "Retries", "3");

    assertThat(rig.upstream().count()).as("the resent POST may have been processed when the connection broke").isEqualTo(2);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("responses").findValues("status").stream().map(n -> n.asInt()).toList()).containsExactly(200, 429);
  }

  @Test
  void aBatchAnswerTooLargeToInspectIsPassedOnWhole() {
    long padding = 9L * 1024 * 1024;
    String head = "{\"responses\":[{\"id\":\"1\",\"status\":200,\"body\":{\"pad\":\"";
    String tail = "\"}}]}";
    rig.upstream().answer(r -> new Reply(200, java.util.Map.of("Content-Type", "application/json"),
        new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
            new java.io.ByteArrayInputStream(head.getBytes()), TestUpstream.generated(padding), new java.io.ByteArrayInputStream(tail.getBytes())))),
        -1, false));
    ApiClient.Response r = post("/v1.0/$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/u1\"}]}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().length()).isEqualTo(head.length() + padding + tail.length());
    assertThat(r.body()).startsWith(head).endsWith(tail);
  }
}

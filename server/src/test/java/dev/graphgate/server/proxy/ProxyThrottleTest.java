package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.TestUpstream;
import dev.graphgate.server.testing.TestUpstream.Reply;
import dev.graphgate.server.upstream.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client-side throttling in real time against an upstream that throttles as Graph does: a fixed window with a budget,
 * and a truthful Retry-After (the time until the window ends). Concurrent callers must wait at the closed gate rather
 * than each collect a 429, and an Outlook mailbox never sees more than 4 requests at once.
 */
class ProxyThrottleTest {
  static final long WINDOW_NANOS = 1_000_000_000L;
  static final int BUDGET = 6;
  /**
   * Slack for requests the proxy had already let through its gate when it closed, still on their way to the upstream.
   * Counted from the proxy's first wait after the window's first 429 (it closes the gate before it waits), not from
   * the 429 itself, so a slow machine delays the reference point along with the proxy instead of eating the slack.
   */
  static final long IN_TRANSIT_NANOS = 300_000_000L;

  /** The upstream of the running test, told when the proxy starts waiting. */
  static volatile WindowedUpstream current;
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream()
      .options(() -> Graphgate.Options.defaults().withSleeper(d -> {
        WindowedUpstream graph = current;
        if (graph != null) {
          graph.proxyWaits(System.nanoTime());
        }
        Sleeper.SYSTEM.sleep(d);
      }));

  /** Graph's throttling: a window starts with its first request; past the budget, 429 until it ends. */
  static final class WindowedUpstream {
    long windowStart = -1;
    int used;
    long first429 = -1;
    long proxyReacted = -1;
    int throttled;
    final List<String> violations = new ArrayList<>();

    /** The proxy waits only once it has seen a 429 and closed the gate: the first such wait marks the reaction. */
    synchronized void proxyWaits(long nanos) {
      if (first429 >= 0 && proxyReacted < 0) {
        proxyReacted = nanos;
      }
    }

    synchronized Reply answer(TestUpstream.Received r) {
      long now = r.arrivedNanos();
      if (windowStart < 0 || now >= windowStart + WINDOW_NANOS) {
        windowStart = now;
        used = 0;
        first429 = -1;
        proxyReacted = -1;
      }
      if (used < BUDGET) {
        used++;
        return Reply.json(200, "{\"value\":[]}");
      }
      throttled++;
      if (first429 < 0) {
        first429 = System.nanoTime();
      } else if (proxyReacted >= 0 && now > proxyReacted + IN_TRANSIT_NANOS) {
        violations.add("a request arrived " + (now - proxyReacted) / 1_000_000 + " ms after the proxy began waiting out this window's"
            + " first 429, and got another");
      }
      double left = (windowStart + WINDOW_NANOS - now) / 1e9;
      return Reply.json(429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Please retry again later.\"}}",
          "Retry-After", String.format(Locale.ROOT, "%.3f", Math.max(0.001, left)));
    }
  }

  @Test
  void concurrentCallersWaitAtTheClosedGateInsteadOfEachCollectingA429() throws Exception {
    WindowedUpstream graph = new WindowedUpstream();
    current = graph;
    rig.upstream().answer(graph::answer);
    int callers = 8;
    long until = System.nanoTime() + Duration.ofMillis(2200).toNanos();
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      running.add(pool.submit(() -> {
        while (System.nanoTime() < until) {
          // When the gate reopens, all eight waiters go at once and two of them exceed the budget of six: a caller can
          // lose that race several windows in a row, so it may retry up to 10 times instead of the default 3.
          ApiClient.Response r = rig.send(rig.proxy("/v1.0/users?$top=1").header("Retries", "10").GET());
          if (r.status() == 200) {
            ok.incrementAndGet();
          } else {
            synchronized (failures) {
              failures.add(r.status() + " " + r.body());
            }
          }
        }
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    current = null;

    assertThat(graph.throttled).as("the upstream did throttle").isPositive();
    assertThat(graph.violations).as("no second 429 for a closed window").isEmpty();
    assertThat(failures).as("every call succeeds after waiting").isEmpty();
    assertThat(ok.get()).isGreaterThanOrEqualTo(BUDGET * 2);
  }

  @Test
  void anOutlookMailboxNeverSeesMoreThanFourConcurrentRequests() throws Exception {
    ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Integer> most = new ConcurrentHashMap<>();
    // Each mailbox's requests are answered four at a time, once four are there: the limit is reached whatever the
    // machine's speed, and a proxy that let fewer through would break the barrier (a fifth would show in `most`).
    ConcurrentHashMap<String, CyclicBarrier> fourAtATime = new ConcurrentHashMap<>();
    rig.upstream().answer(r -> {
      String mailbox = r.rawPath().split("/")[3];
      int now = inFlight.computeIfAbsent(mailbox, k -> new AtomicInteger()).incrementAndGet();
      most.merge(mailbox, now, Math::max);
      try {
        fourAtATime.computeIfAbsent(mailbox, k -> new CyclicBarrier(4)).await(30, TimeUnit.SECONDS);
      } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
        inFlight.get(mailbox).decrementAndGet();
        return Reply.json(500, "{\"error\":{\"code\":\"fewerThanFourInFlight\",\"message\":\"" + e + "\"}}");
      }
      inFlight.get(mailbox).decrementAndGet();
      return Reply.json(200, "{\"value\":[]}");
    });
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      String mailbox = i % 2 == 0 ? "ann" : "bob";
      calls.add(pool.submit(() -> rig.send(rig.proxy("/v1.0/users/" + mailbox + "/mailFolders/inbox/messages?$top=5").GET()).status()));
    }
    for (Future<Integer> f : calls) {
      assertThat(f.get()).isEqualTo(200);
    }
    pool.shutdown();
    assertThat(most.get("ann")).isEqualTo(4);
    assertThat(most.get("bob")).isEqualTo(4);
  }
}

package dev.graphgate.server.observe;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The proxy's meters, told once per proxied call when its request log entry is written: the call's duration by
 * method and outcome ({@value MeterNames#PROXY_REQUESTS}), the requests it sent upstream
 * ({@value MeterNames#PROXY_ATTEMPTS}) and the time it waited ({@value MeterNames#PROXY_WAITED}).
 *
 * <p>The outcome is the status family of the answer the caller got ({@code 2xx}...{@code 5xx}), or Graphgate's error
 * code when Graphgate answered itself or the answer broke off ({@code too_many_requests}, {@code ECONNREFUSED},
 * {@code client_closed}...): both come from fixed sets in the code, never from the caller.
 */
public final class ProxyMeters {
  /** The methods the proxy routes; anything else (none today) is counted as {@code OTHER}. */
  private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
  private static final String[] FAMILIES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  /** Error codes are snake_case words or errno names; anything else would be a bug, and is counted as {@code other}. */
  private static final int MAX_CODE_LENGTH = 48;
  /**
   * Buckets for quantiles of a proxied call (histogram_quantile): from what the proxy adds to a fast upstream (under a
   * millisecond) to a call that waited out a Retry-After.
   */
  private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  /**
   * Per method and status family, looked up by index (no allocation, no hashing on the hot path), registered on first
   * use so that the scrape shows no series for combinations that never happen.
   */
  private final AtomicReferenceArray<Timer> byFamily = new AtomicReferenceArray<>((METHODS.length + 1) * FAMILIES.length);
  /** Per method and error code: registered the first time a code is seen (a few dozen at most). */
  private final ConcurrentMap<String, Timer>[] byError;
  private final DistributionSummary attempts;
  private final Timer waited;

  @SuppressWarnings("unchecked")
  public ProxyMeters(MeterRegistry registry) {
    this.registry = registry;
    byError = new ConcurrentMap[METHODS.length + 1];
    for (int m = 0; m <= METHODS.length; m++) {
      byError[m] = new ConcurrentHashMap<>();
    }
    attempts = DistributionSummary.builder(MeterNames.PROXY_ATTEMPTS)
        .description("requests sent upstream per proxied call (0: refused before sending; more than 1: retried)")
        .serviceLevelObjectives(1, 2, 3, 4).register(registry);
    waited = Timer.builder(MeterNames.PROXY_WAITED)
        .description("time each proxied call spent waiting: Retry-After, backoff between attempts, throttle gates").register(registry);
  }

  /**
   * One proxied call ended. {@code status} is what the caller got; {@code errorCode} is present when Graphgate
   * answered itself or the answer broke off.
   */
  public void record(String method, int status, Optional<String> errorCode, int attemptCount, Duration waitedFor, long durationNanos) {
    int m = methodIndex(method);
    Timer t;
    if (errorCode.isPresent()) {
      String code = errorCode.get().length() <= MAX_CODE_LENGTH && isWord(errorCode.get()) ? errorCode.get() : "other";
      t = byError[m].computeIfAbsent(code, c -> timer(method(m), c));
    } else {
      int f = status / 100 - 1;
      t = f >= 0 && f < FAMILIES.length ? family(m, f) : byError[m].computeIfAbsent("other", c -> timer(method(m), c));
    }
    t.record(durationNanos, TimeUnit.NANOSECONDS);
    attempts.record(attemptCount);
    waited.record(waitedFor);
  }

  private Timer family(int m, int f) {
    int i = m * FAMILIES.length + f;
    Timer t = byFamily.get(i);
    if (t == null) {
      // Two first callers may both get here: the registry hands both the same timer.
      t = timer(method(m), FAMILIES[f]);
      byFamily.set(i, t);
    }
    return t;
  }

  private Timer timer(String method, String outcome) {
    return Timer.builder(MeterNames.PROXY_REQUESTS)
        .description("proxied calls, from arrival until the answer's body was written, by method and outcome (status family or error code)")
        .tag("method", method).tag("outcome", outcome).serviceLevelObjectives(DURATION_BUCKETS).register(registry);
  }

  private static int methodIndex(String method) {
    for (int i = 0; i < METHODS.length; i++) {
      if (METHODS[i].equals(method)) {
        return i;
      }
    }
    return METHODS.length;
  }

  private static String method(int index) {
    return index < METHODS.length ? METHODS[index] : "OTHER";
  }

  private static boolean isWord(String code) {
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return !code.isEmpty();
  }
}

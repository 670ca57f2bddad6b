package dev.graphgate.server.upstream;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retry number {@code retry} (1 for the first retry). It sees what upstream said: a
 * {@code Retry-After} always wins; without one the wait grows exponentially.
 */
@FunctionalInterface
public interface Backoff {
  Duration delay(int retry, Optional<Duration> retryAfter);

  Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
  Duration DEFAULT_MAX = Duration.ofSeconds(30);

  /**
   * Retry-After when given, else {@code initial × 2^(retry-1)} capped at {@code max}, with "equal jitter": a random
   * point in the upper half of that interval, so callers that failed together do not retry together.
   */
  static Backoff exponentialWithJitter(Duration initial, Duration max, RandomGenerator random) {
    return (retry, retryAfter) -> {
      if (retryAfter.isPresent()) {
        return retryAfter.get();
      }
      long cap = max.toMillis();
      long step = initial.toMillis() << Math.min(20, Math.max(0, retry - 1));
      long ceiling = Math.min(cap, step <= 0 ? cap : step);
      long half = ceiling / 2;
      return Duration.ofMillis(half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
    };
  }
}

package dev.graphgate.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * At most one claim per key per interval, however many callers try at once: how a token that Graph keeps refusing is
 * replaced at most once per {@link TokenService#REJECTION_REFRESH_INTERVAL} instead of on every call.
 */
final class OncePerInterval<K> {
  private final Duration interval;
  private final ConcurrentMap<K, Instant> lastClaim = new ConcurrentHashMap<>();

  OncePerInterval(Duration interval) {
    this.interval = interval;
  }

  /** True for the one caller that may act now; false while the last claim for {@code key} is younger than the interval. */
  boolean tryClaim(K key, Instant now) {
    boolean[] mine = {false};
    lastClaim.compute(key, (k, last) -> {
      if (last == null || !now.isBefore(last.plus(interval))) {
        mine[0] = true;
        return now;
      }
      return last;
    });
    return mine[0];
  }

  /** Forgets claims older than the interval: they hold nothing back any more. */
  void prune(Instant now) {
    lastClaim.values().removeIf(last -> !now.isBefore(last.plus(interval)));
  }

  int size() {
    return lastClaim.size();
  }
}

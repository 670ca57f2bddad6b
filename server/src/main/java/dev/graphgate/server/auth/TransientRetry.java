package dev.graphgate.server.auth;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Retries a token request that found Entra unavailable: up to {@code maxAttempts}, waiting {@code Retry-After} when
 * Entra sends one, else exponential backoff from {@code initialBackoff} with ±50% jitter. A wait longer than
 * {@code maxWait} is not taken: the outcome goes back to the caller, who answers 503 with that Retry-After.
 */
public record TransientRetry(int maxAttempts, Duration initialBackoff, Duration maxWait, Sleeper sleeper, RandomGenerator random) {
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);

  public TransientRetry {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public TokenOutcome run(Supplier<TokenOutcome> call) {
    TokenOutcome outcome = call.get();
    for (int attempt = 1; attempt < maxAttempts && outcome instanceof TokenOutcome.Unavailable u; attempt++) {
      Duration wait = u.retryAfter().isPresent() ? u.retryAfter().get() : jittered(initialBackoff.multipliedBy(1L << (attempt - 1)));
      if (wait.compareTo(maxWait) > 0) {
        return outcome;
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return outcome;
      }
      outcome = call.get();
    }
    return outcome;
  }

  private Duration jittered(Duration d) {
    double factor = 0.5 + random.nextDouble();
    return Duration.ofMillis((long) (d.toMillis() * factor));
  }
}

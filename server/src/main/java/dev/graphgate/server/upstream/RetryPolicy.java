package dev.graphgate.server.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How often a call to Microsoft is tried again, and how long we wait in between: at most {@code maxRetries} retries,
 * each after the answer's {@code Retry-After} when it sent one, else after {@link Backoff}; all the waits of one call
 * end within {@code budget} of its start, and a wait that would end past that is not started. Immutable; applied by
 * {@link Retrier}. What counts as worth retrying is the caller's to say (see {@link HttpRetryRules} for Graph).
 *
 * @param maxRetries additional attempts after the first
 */
public record RetryPolicy(int maxRetries, Duration budget, Backoff backoff) {

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be at least 0, got " + maxRetries);
    }
    Objects.requireNonNull(budget);
    Objects.requireNonNull(backoff);
  }

  /** What to do after a retryable outcome. */
  public sealed interface Decision {
    record Retry(Duration delay) implements Decision {}

    record Stop(String reason) implements Decision {}
  }

  public RetryPolicy withMaxRetries(int n) {
    return new RetryPolicy(n, budget, backoff);
  }

  /** After a retryable outcome; {@code retriesDone} counts the retries already made, {@code deadline} ends the budget. */
  public Decision next(int retriesDone, Optional<Duration> retryAfter, Instant now, Instant deadline) {
    if (retriesDone >= maxRetries) {
      return new Decision.Stop(maxRetries == 0 ? "retries are off for this request" : "all " + maxRetries + " retries are used");
    }
    Duration wait = backoff.delay(retriesDone + 1, retryAfter);
    if (now.plus(wait).isAfter(deadline)) {
      return new Decision.Stop("waiting " + wait.toMillis() + " ms would exceed the time budget of " + budget.toMillis() + " ms");
    }
    return new Decision.Retry(wait);
  }
}

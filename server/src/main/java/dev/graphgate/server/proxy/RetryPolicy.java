package dev.graphgate.server.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When a proxied call is tried again, and after how long. Immutable; one per request (the {@code Retries} and
 * {@code Retry-On} headers change it), applied by {@link GraphProxy}'s attempt loop.
 *
 * <ul>
 *   <li>429: retried for every method, since Microsoft did not process the request;
 *   <li>503 and 504: retried for idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE, and a {@code $batch} of reads);
 *   <li>error statuses listed in {@code Retry-On}: retried for every method, as the caller asked (a 1xx, 2xx or 3xx
 *       never is);
 *   <li>a connection that could not be opened: retried for every method (nothing was sent); a connection that failed
 *       after sending, or timed out: retried for idempotent requests only.
 * </ul>
 *
 * The wait is the answer's {@code Retry-After} when present, else {@link Backoff}; all waits of a call together stay
 * within {@code budget}: a wait that would end past it is not started and the last answer is returned as it is.
 *
 * @param maxRetries additional attempts after the first
 */
public record RetryPolicy(int maxRetries, Set<Integer> retryOn, Duration budget, Backoff backoff) {
  /** The range {@code Retry-On} may name: errors. A success or a redirect is an answer, never a reason to send again. */
  public static final int MIN_RETRY_ON = 400;
  public static final int MAX_RETRY_ON = 599;

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be at least 0, got " + maxRetries);
    }
    retryOn = Set.copyOf(retryOn);
    Objects.requireNonNull(budget);
    Objects.requireNonNull(backoff);
  }

  /** What to do next. */
  public sealed interface Decision {
    record Retry(Duration delay) implements Decision {}

    record Stop(String reason) implements Decision {}
  }

  public RetryPolicy withMaxRetries(int n) {
    return new RetryPolicy(n, retryOn, budget, backoff);
  }

  public RetryPolicy withRetryOn(Set<Integer> statuses) {
    return new RetryPolicy(maxRetries, statuses, budget, backoff);
  }

  public static boolean isRetryableStatus(int status) {
    return status >= MIN_RETRY_ON && status <= MAX_RETRY_ON;
  }

  /** Never true for a 1xx, 2xx or 3xx, whatever {@code retryOn} holds (the header is checked too; this is the backstop). */
  public boolean retriesStatus(int status, boolean idempotent) {
    if (!isRetryableStatus(status)) {
      return false;
    }
    return status == 429 || retryOn.contains(status) || (idempotent && (status == 503 || status == 504));
  }

  /** After an answer with {@code status}; {@code retriesDone} counts the retries already made. */
  public Decision afterAnswer(int retriesDone, int status, Optional<Duration> retryAfter, boolean idempotent, Instant now, Instant deadline) {
    if (!retriesStatus(status, idempotent)) {
      return new Decision.Stop("HTTP " + status + " is not retried for this request");
    }
    return next(retriesDone, retryAfter, now, deadline);
  }

  /** After a transport failure; {@code sent} is whether the request may have reached upstream. */
  public Decision afterTransportFailure(int retriesDone, boolean sent, boolean idempotent, Instant now, Instant deadline) {
    if (sent && !idempotent) {
      return new Decision.Stop("the request may have been processed and is not idempotent");
    }
    return next(retriesDone, Optional.empty(), now, deadline);
  }

  private Decision next(int retriesDone, Optional<Duration> retryAfter, Instant now, Instant deadline) {
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

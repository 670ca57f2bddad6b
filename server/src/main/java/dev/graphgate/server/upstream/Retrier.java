package dev.graphgate.server.upstream;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one retry loop of the server: runs an attempt, and while its outcome is retryable and the {@link RetryPolicy}
 * allows, waits (through the injected {@link Sleeper}) and runs it again. The attempt says what its outcome is; the
 * policy says whether and when to go on; this class only keeps count. Token requests to Entra and calls to Graph (the
 * proxy, and our own Graph client) all go through it.
 */
public final class Retrier {
  private final InstantSource clock;
  private final Sleeper sleeper;

  public Retrier(InstantSource clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** What one attempt came to. */
  public sealed interface Attempt<T> {
    /** Done: pass {@code value} back as it is. */
    record Final<T>(T value) implements Attempt<T> {}

    /**
     * Worth another try: {@code retryAfter} is what the other side asked for; {@code abandon} lets go of what the
     * attempt holds (a response body, a gate's place) when it is tried again rather than returned.
     */
    record Retryable<T>(T value, Optional<Duration> retryAfter, Runnable abandon) implements Attempt<T> {}
  }

  /**
   * The last outcome, and why retrying stopped (if it did). When {@code interrupted}, the last outcome was already
   * abandoned and must not be used.
   */
  public record Result<T>(T value, Optional<String> stoppedBecause, boolean interrupted) {}

  /**
   * Runs {@code attempt} until its outcome is final or the policy stops. The retries and waits are counted in
   * {@code progress}, which a call's nested runs share: a {@code $batch} whose throttled items are sent again spends
   * the retries of the call it belongs to. Every wait ends before {@code deadline}.
   */
  public <T> Result<T> run(RetryPolicy policy, CallProgress progress, Instant deadline, Supplier<Attempt<T>> attempt) {
    while (true) {
      Attempt<T> outcome = attempt.get();
      switch (outcome) {
        case Attempt.Final<T> f -> {
          return new Result<>(f.value(), Optional.empty(), false);
        }
        case Attempt.Retryable<T> r -> {
          RetryPolicy.Decision decision = policy.next(progress.retries(), r.retryAfter(), clock.instant(), deadline);
          if (decision instanceof RetryPolicy.Decision.Stop stop) {
            return new Result<>(r.value(), Optional.of(stop.reason()), false);
          }
          Duration delay = ((RetryPolicy.Decision.Retry) decision).delay();
          r.abandon().run();
          if (!sleeper.pause(delay)) {
            return new Result<>(r.value(), Optional.of("interrupted while waiting to retry"), true);
          }
          progress.waited(delay);
          progress.retried(progress.retries() + 1);
        }
      }
    }
  }

  /** {@code now + budget}: the deadline of a call that starts now. */
  public Instant deadline(RetryPolicy policy) {
    return clock.instant().plus(policy.budget());
  }
}

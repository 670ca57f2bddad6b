package dev.graphgate.server.upstream;

import dev.graphgate.server.config.ProxyConfig.GateLimits;
import dev.graphgate.server.upstream.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client-side throttling for one tenant or one mailbox: at most {@code concurrency} requests in flight, at most
 * {@code rate} starting per second (with a burst), and closed while Microsoft's last {@code Retry-After} runs, so
 * callers that arrive meanwhile wait here instead of each collecting its own 429.
 *
 * <p>Waiting never exceeds the caller's deadline: a caller that would have to wait longer is refused at once with the
 * time until the gate reopens. The rate is a reservation schedule (GCRA): each admitted request books the next slot,
 * lock-free, and sleeps until it.
 */
public final class ThrottleGate {
  private final String name;
  private final GateMeters meters;
  private final Semaphore permits;
  private final long intervalNanos;
  private final long toleranceNanos;
  private final InstantSource clock;
  private final Sleeper sleeper;
  private final AtomicLong theoreticalArrival = new AtomicLong(Long.MIN_VALUE);
  private final AtomicReference<Instant> closedUntil = new AtomicReference<>(Instant.EPOCH);
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Instant lastUsed;

  public ThrottleGate(String name, GateLimits limits, GateMeters meters, InstantSource clock, Sleeper sleeper) {
    this.name = name;
    this.meters = meters;
    this.permits = limits.concurrency() == 0 ? null : new Semaphore(limits.concurrency(), true);
    this.intervalNanos = limits.ratePerSecond() == 0 ? 0 : (long) (1_000_000_000L / limits.ratePerSecond());
    this.toleranceNanos = intervalNanos * Math.max(0, limits.burst() - 1);
    this.clock = clock;
    this.sleeper = sleeper;
    this.lastUsed = clock.instant();
  }

  /** The outcome of asking to start a request. */
  public sealed interface Admission {
    /** Go; release the pass when the exchange (body included) is over. */
    record Admitted(Pass pass, Duration waited) implements Admission {}

    /** Not before the deadline: {@code retryAfter} is when it could be tried again. */
    record Refused(Duration retryAfter, String reason) implements Admission {}
  }

  /** A started request's place in the gate; releasing twice is harmless. */
  public final class Pass {
    private final AtomicBoolean released = new AtomicBoolean();

    public void release() {
      if (released.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
        lastUsed = clock.instant();
        if (permits != null) {
          permits.release();
        }
      }
    }
  }

  public String name() {
    return name;
  }

  /**
   * Waits until a request may start, or until it is clear it cannot start before {@code deadline}. A caller that had
   * to wait (closed gate, no permit free, rate slot ahead) is counted as held, with the time it waited; one sent away
   * is counted as refused.
   */
  public Admission admit(Instant deadline) {
    Instant start = clock.instant();
    lastUsed = start;
    boolean held = false;
    while (true) {
      Instant now = clock.instant();
      Instant reopen = closedUntil.get();
      if (now.isBefore(reopen)) {
        if (reopen.isAfter(deadline)) {
          return refused(new Admission.Refused(Duration.between(now, reopen),
              "Microsoft throttled " + name + "; its Retry-After ends in " + Duration.between(now, reopen).toMillis() + " ms"));
        }
        held = true;
        if (!sleeper.pause(Duration.between(now, reopen))) {
          return interrupted(now);
        }
        continue;
      }
      if (permits != null && !permits.tryAcquire()) {
        held = true;
        long waitNanos = Duration.between(now, deadline).toNanos();
        try {
          if (waitNanos <= 0 || !permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
            return refused(new Admission.Refused(Duration.ofSeconds(1), name + " already has " + inFlight.get() + " requests in flight"));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return interrupted(now);
        }
      }
      Duration rateWait = reserveSlot(deadline);
      if (rateWait == null) {
        releasePermit();
        return refused(new Admission.Refused(Duration.ofNanos(intervalNanos).plusSeconds(1),
            name + " is at its request rate limit and the next slot is past this request's time budget"));
      }
      if (!rateWait.isZero()) {
        held = true;
        if (!sleeper.pause(rateWait)) {
          releasePermit();
          return interrupted(now);
        }
      }
      if (clock.instant().isBefore(closedUntil.get())) {
        // Closed while this caller waited for a permit or a slot: wait for the reopening like everyone else.
        releasePermit();
        continue;
      }
      inFlight.incrementAndGet();
      Duration waited = Duration.between(start, clock.instant());
      if (held) {
        meters.held(waited);
      }
      return new Admission.Admitted(new Pass(), waited);
    }
  }

  /** Microsoft said 429: nobody starts a request here until {@code retryAfter} has passed. */
  public void closeFor(Duration retryAfter) {
    Instant until = clock.instant().plus(retryAfter);
    closedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    meters.closed();
  }

  /** When the gate reopens; in the past when it is open. */
  public Instant closedUntil() {
    return closedUntil.get();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Nothing in flight, open, and unused since {@code before}: safe to forget. */
  boolean idleSince(Instant before) {
    return inFlight.get() == 0 && lastUsed.isBefore(before) && closedUntil.get().isBefore(before);
  }

  /** Books the next rate slot; null when it is past the deadline (nothing booked). */
  private Duration reserveSlot(Instant deadline) {
    if (intervalNanos == 0) {
      return Duration.ZERO;
    }
    while (true) {
      long now = nanos(clock.instant());
      long tat = theoreticalArrival.get();
      long base = Math.max(tat, now);
      long wait = Math.max(0, base - now - toleranceNanos);
      if (now + wait > nanos(deadline)) {
        return null;
      }
      if (theoreticalArrival.compareAndSet(tat, base + intervalNanos)) {
        return Duration.ofNanos(wait);
      }
    }
  }

  private void releasePermit() {
    if (permits != null) {
      permits.release();
    }
  }



  private Admission refused(Admission.Refused r) {
    meters.refused();
    return r;
  }

  private Admission interrupted(Instant now) {
    return new Admission.Refused(Duration.ofSeconds(1), "interrupted while waiting at " + name);
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}

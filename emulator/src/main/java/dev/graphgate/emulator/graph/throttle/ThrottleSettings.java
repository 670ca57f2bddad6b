package dev.graphgate.emulator.graph.throttle;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Request budgets Graph enforces, per app per tenant (all requests) and per app per mailbox (Outlook: mail and
 * calendar), each a fixed window: once a window's budget is spent, requests get 429 until the window ends, and the
 * {@code Retry-After} says exactly when that is. Both are off unless configured.
 *
 * <p>Graph's documented values (shared/reference/microsoft.md section 8.2) are available as {@link #MICROSOFT}:
 * Outlook 10,000 requests per 10 minutes and 4 concurrent requests per mailbox; the directory's app-and-tenant budget
 * (resource units per 10 s for a large tenant) approximated as 4,000 requests per 10 s.
 */
public record ThrottleSettings(Optional<Budget> appTenant, Optional<MailboxLimits> mailbox) {

  public ThrottleSettings {
    Objects.requireNonNull(appTenant, "appTenant");
    Objects.requireNonNull(mailbox, "mailbox");
  }

  public static final ThrottleSettings NONE = new ThrottleSettings(Optional.empty(), Optional.empty());

  public static final ThrottleSettings MICROSOFT = new ThrottleSettings(
      Optional.of(new Budget(4_000, Duration.ofSeconds(10))),
      Optional.of(new MailboxLimits(10_000, Duration.ofMinutes(10), 4)));

  /** {@code requests} per {@code window}. */
  public record Budget(int requests, Duration window) {
    public Budget {
      if (requests < 1) {
        throw new IllegalArgumentException("requests must be at least 1, was " + requests);
      }
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("window must be between 1 ms and 1 day, was " + window);
      }
    }
  }

  /** Outlook's per-mailbox limits: {@code requests} per {@code window}, and at most {@code concurrent} in flight. */
  public record MailboxLimits(int requests, Duration window, int concurrent) {
    public MailboxLimits {
      new Budget(requests, window);
      if (concurrent < 1) {
        throw new IllegalArgumentException("concurrent must be at least 1, was " + concurrent);
      }
    }

    public Budget budget() {
      return new Budget(requests, window);
    }
  }
}

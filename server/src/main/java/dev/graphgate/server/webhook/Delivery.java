package dev.graphgate.server.webhook;

import java.time.Instant;
import java.util.Optional;

/** One destination of one event, as the deliveries API shows it (the body is not shown: it may be large). */
public record Delivery(long id, String eventId, String eventType, Optional<String> operation, String destination, Status status,
    int attempts, int attemptLimit, Instant nextAttemptAt, Optional<Integer> lastStatus, Optional<String> lastError,
    Optional<Instant> deliveredAt, Instant createdAt) {

  /** Where a delivery stands; the wire name is the lower-case name. */
  public enum Status {
    /** Waiting for its next attempt. */
    PENDING,
    /** Claimed by an instance that is sending it now. */
    SENDING,
    /** The receiver answered 2xx: never sent again. */
    DELIVERED,
    /** The attempts are used up, or the receiver answered in a way that is not retried (3xx, 4xx but 408 and 429). */
    FAILED,
    /** The destination broke the outbound URL policy when it was due (nothing was sent). */
    SKIPPED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Status> fromWireName(String s) {
      for (Status v : values()) {
        if (v.wireName().equals(s)) {
          return Optional.of(v);
        }
      }
      return Optional.empty();
    }
  }
}

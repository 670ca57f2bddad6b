package dev.graphgate.server.connection;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a connection's token requests, with Nango's bookkeeping: {@code refreshAttempts} counts failures at
 * most once per UTC calendar day, and four such days make the connection {@code refreshExhausted}.
 */
public record ConnectionHealth(
    ConnectionStatus status,
    Optional<String> message,
    Optional<String> errorLogId,
    Optional<Instant> lastRefreshSuccess,
    Optional<Instant> lastRefreshFailure,
    Optional<Integer> refreshAttempts,
    boolean refreshExhausted) {

  public static final int EXHAUSTED_AFTER_DAYS = 4;

  public ConnectionHealth {
    Objects.requireNonNull(status);
  }

  public static ConnectionHealth pending() {
    return new ConnectionHealth(ConnectionStatus.PENDING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  /** A token was obtained; {@code status} is OK or CONSENT_MISSING, with the message for the latter. */
  public static ConnectionHealth succeeded(ConnectionStatus status, Optional<String> message, Instant at) {
    return new ConnectionHealth(status, message, Optional.empty(), Optional.of(at), Optional.empty(), Optional.empty(), false);
  }

  /** Entra refused: the status says why, attempts count once per day. */
  public ConnectionHealth failed(ConnectionStatus newStatus, String newMessage, Instant at, String logId) {
    int attempts;
    if (refreshAttempts.isEmpty() || lastRefreshFailure.isEmpty()) {
      attempts = 1;
    } else if (lastRefreshFailure.get().atOffset(ZoneOffset.UTC).toLocalDate().isBefore(at.atOffset(ZoneOffset.UTC).toLocalDate())) {
      attempts = refreshAttempts.get() + 1;
    } else {
      attempts = refreshAttempts.get();
    }
    return new ConnectionHealth(newStatus, Optional.of(newMessage), Optional.of(logId), Optional.empty(), Optional.of(at),
        Optional.of(attempts), attempts >= EXHAUSTED_AFTER_DAYS);
  }

  /**
   * Entra was unreachable. A connection that had a token keeps its status (a network blip is not the customer's
   * problem); one that never had a token becomes TRANSIENT. No attempt is counted.
   */
  public ConnectionHealth unreachable(String newMessage) {
    if (status == ConnectionStatus.PENDING || status == ConnectionStatus.TRANSIENT) {
      return new ConnectionHealth(ConnectionStatus.TRANSIENT, Optional.of(newMessage), errorLogId, lastRefreshSuccess,
          lastRefreshFailure, refreshAttempts, refreshExhausted);
    }
    return this;
  }
}

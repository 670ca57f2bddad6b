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

  /** What a connection whose token carries no app permissions is told; the API adds the admin consent link. */
  public static final String CONSENT_MISSING_MESSAGE =
      "Tokens carry no app permissions: an admin of the tenant has not granted the app's permissions. Send them to the admin consent link (admin_consent_url).";

  /**
   * The health that goes with a token just obtained, issued by Entra or imported: OK, or CONSENT_MISSING when the
   * token's {@code roles} claim is there and empty (the tenant's admin has not granted the app's permissions). The one
   * place that rule is decided.
   */
  public static ConnectionHealth afterToken(AccessToken token, Instant at) {
    boolean noRoles = token.roles().map(java.util.List::isEmpty).orElse(false);
    return noRoles
        ? new ConnectionHealth(ConnectionStatus.CONSENT_MISSING, Optional.of(CONSENT_MISSING_MESSAGE), Optional.empty(), Optional.of(at),
            Optional.empty(), Optional.empty(), false)
        : new ConnectionHealth(ConnectionStatus.OK, Optional.empty(), Optional.empty(), Optional.of(at), Optional.empty(), Optional.empty(), false);
  }

  /** The health of a connection imported with {@code token}, or pending when it has none yet. */
  public static ConnectionHealth imported(Optional<AccessToken> token, Instant at) {
    return token.map(t -> afterToken(t, at)).orElse(pending());
  }

  /** Whether the tenant's admin still has to act through the admin consent link. */
  public boolean needsAdminConsent() {
    return status == ConnectionStatus.CONSENT_MISSING || status == ConnectionStatus.APP_NOT_IN_TENANT;
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

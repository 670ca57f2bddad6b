package dev.graphgate.server.connect;

import dev.graphgate.server.storage.Rows;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids of the admin consent states the callback has accepted, so each works once on every instance of a database:
 * the first insert of an id wins (the primary key decides between instances), any later one finds it taken. A row is
 * needed only while its state could still verify; rows are pruned a day after their state expired, so an instance
 * whose clock runs behind another's still finds them.
 */
final class ConsumedConsentStates {
  private static final Logger log = LoggerFactory.getLogger(ConsumedConsentStates.class);
  static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(1);

  private final Jdbi jdbi;

  ConsumedConsentStates(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Records {@code state} as used; false when it was used already (here or on another instance). */
  boolean consume(ConsentState state, Instant now) {
    boolean first = Rows.orOnUniqueViolation(() -> jdbi.withHandle(h -> h.createUpdate(
                "INSERT INTO admin_consent_states (state_id, expires_at, consumed_at) VALUES (:id, :expiresAt, :now)")
            .bind("id", state.id()).bind("expiresAt", state.expiresAt()).bind("now", now).execute() == 1),
        () -> false);
    if (first) {
      prune(now);
    }
    return first;
  }

  private void prune(Instant now) {
    try {
      jdbi.useHandle(h -> h.createUpdate("DELETE FROM admin_consent_states WHERE expires_at < :cutoff")
          .bind("cutoff", now.minus(KEPT_AFTER_EXPIRY)).execute());
    } catch (RuntimeException e) {
      // The state is recorded; old rows go with the next accepted one.
      log.warn("could not prune used admin consent states: {}", e.getClass().getSimpleName());
    }
  }
}

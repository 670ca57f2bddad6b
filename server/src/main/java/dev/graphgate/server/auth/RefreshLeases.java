package dev.graphgate.server.auth;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * The cross-instance half of "one token request per connection": a lease on the connection's row, taken with a
 * conditional UPDATE that only one instance can win (the same statement on H2 and PostgreSQL). The lease expires, so an
 * instance that dies while refreshing does not block the others for longer than {@code expiresAt}.
 */
public final class RefreshLeases {
  private final Jdbi jdbi;

  public RefreshLeases(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** True when this owner now holds the lease: one row updated means we won; zero means another instance holds it. */
  public boolean tryAcquire(long connectionId, String owner, Instant now, Instant expiresAt) {
    int updated = jdbi.withHandle(h -> h.createUpdate("""
            UPDATE connections
               SET refresh_lease_owner = :owner, refresh_lease_expires_at = :expiresAt
             WHERE id = :id
               AND (refresh_lease_owner IS NULL OR refresh_lease_expires_at < :now)""")
        .bind("owner", owner).bind("expiresAt", expiresAt).bind("id", connectionId).bind("now", now)
        .execute());
    if (updated > 1) {
      throw new IllegalStateException("refresh lease matched " + updated + " rows for connection " + connectionId);
    }
    return updated == 1;
  }

  public void release(long connectionId, String owner) {
    jdbi.useHandle(h -> h.createUpdate("""
            UPDATE connections SET refresh_lease_owner = NULL, refresh_lease_expires_at = NULL
             WHERE id = :id AND refresh_lease_owner = :owner""")
        .bind("id", connectionId).bind("owner", owner).execute());
  }
}

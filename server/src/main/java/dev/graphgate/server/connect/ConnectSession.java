package dev.graphgate.server.connect;

import java.time.Instant;
import java.util.Objects;

/** A stored connect session: row {@code id}, usable until {@code expiresAt}, allowing what {@code terms} say. */
public record ConnectSession(long id, Instant createdAt, Instant expiresAt, SessionTerms terms) {
  public ConnectSession {
    Objects.requireNonNull(createdAt);
    Objects.requireNonNull(expiresAt);
    Objects.requireNonNull(terms);
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public boolean isReconnect() {
    return terms.reconnecting().isPresent();
  }
}

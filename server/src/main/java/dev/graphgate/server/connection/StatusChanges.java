package dev.graphgate.server.connection;

import dev.graphgate.server.observe.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a connection's status change is recorded, inside the transaction that makes it (every write of
 * a status goes through {@link ConnectionRepository}, which calls {@link #record}). It logs the change once the
 * transaction has committed and counts it, and hands what it announces to {@link ConnectionEvents} on the same handle
 * (the {@code auth} webhooks' outbox rows): a stored connection, and a move from a working status into a failing one.
 */
public final class StatusChanges {
  private static final Logger log = LoggerFactory.getLogger(StatusChanges.class);

  /** One counter per status, registered up front: a status never reached still shows as 0 in a scrape. */
  private final Map<ConnectionStatus, Counter> changes = new EnumMap<>(ConnectionStatus.class);

  private final ConnectionEvents events;

  public StatusChanges(MeterRegistry meters) {
    this(meters, ConnectionEvents.NONE);
  }

  public StatusChanges(MeterRegistry meters, ConnectionEvents events) {
    this.events = events;
    for (ConnectionStatus s : ConnectionStatus.values()) {
      changes.put(s, Counter.builder(MeterNames.CONNECTION_STATUS_CHANGES).description("connection status changes, by new status")
          .tag("status", s.wireName()).register(meters));
    }
  }

  /** Connection {@code c} as an import or a connect session stored it ({@code before}: its status before, empty when new). */
  void stored(Handle h, Connection c, Optional<ConnectionStatus> before) {
    record(h, c.id(), c.integrationKey(), c.connectionId(), before, c.health().status());
    events.stored(h, c, before.isEmpty());
  }

  /** Connection {@code c} as a token request's outcome left it; {@code before}: its status before. */
  void refreshed(Handle h, Connection c, ConnectionStatus before) {
    record(h, c.id(), c.integrationKey(), c.connectionId(), Optional.of(before), c.health().status());
    if (!isFailing(before) && isFailing(c.health().status())) {
      events.refreshFailed(h, c);
    }
  }

  /**
   * A status the customer's admin must act on. {@code transient} (Entra unreachable) is not: it passes without them,
   * and announcing every outage would teach receivers to ignore the announcement.
   */
  public static boolean isFailing(ConnectionStatus s) {
    return s.isAuthError() || s == ConnectionStatus.CONSENT_MISSING;
  }

  /** A change of connection {@code id} from {@code from} (empty for a new connection) to {@code to}; no-op when equal. */
  void record(Handle h, long id, String integrationKey, String connectionId, Optional<ConnectionStatus> from, ConnectionStatus to) {
    if (from.isPresent() && from.get() == to) {
      return;
    }
    h.afterCommit(() -> {
      changes.get(to).increment();
      log.info("connection {} of {}: status {} -> {}", connectionId, integrationKey, from.map(ConnectionStatus::wireName).orElse("(new)"),
          to.wireName());
    });
  }
}

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
 * transaction has committed and counts it; the {@code auth} webhook to the customer's app joins here, as an outbox row
 * written on the same handle.
 */
public final class StatusChanges {
  private static final Logger log = LoggerFactory.getLogger(StatusChanges.class);

  /** One counter per status, registered up front: a status never reached still shows as 0 in a scrape. */
  private final Map<ConnectionStatus, Counter> changes = new EnumMap<>(ConnectionStatus.class);

  public StatusChanges(MeterRegistry meters) {
    for (ConnectionStatus s : ConnectionStatus.values()) {
      changes.put(s, Counter.builder(MeterNames.CONNECTION_STATUS_CHANGES).description("connection status changes, by new status")
          .tag("status", s.wireName()).register(meters));
    }
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

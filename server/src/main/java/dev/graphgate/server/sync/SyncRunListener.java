package dev.graphgate.server.sync;

import dev.graphgate.server.connection.Connection;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Told when a run of a sync ends, inside the transaction that ends it ({@code handle}), so what it writes (the
 * {@code sync} webhook's outbox row) commits with the run's last page or not at all. The seam for the outgoing
 * webhooks: {@link #NONE} until they are wired in.
 */
public interface SyncRunListener {
  SyncRunListener NONE = new SyncRunListener() {
    @Override
    public void succeeded(Handle handle, RunSummary run) { }

    @Override
    public void failed(Handle handle, RunFailure run) { }
  };

  /** A run goes ahead (its permission checked); outside any transaction. Runs that then fail or succeed say so. */
  default void started(Connection connection, String syncName) { }

  void succeeded(Handle handle, RunSummary run);

  void failed(Handle handle, RunFailure run);

  /**
   * A run that reached the end of its round. {@code type} is {@code INITIAL} (a full round) or {@code INCREMENTAL};
   * {@code fromCheckpoint} and {@code toCheckpoint} are the delta links before and after (Nango's {@code checkpoints}).
   */
  record RunSummary(Connection connection, String syncName, String model, String type, Instant startedAt, long added, long updated,
      long deleted, Optional<String> fromCheckpoint, Optional<String> toCheckpoint) {}

  /** A run that stopped on an error: {@code code} and {@code message} as {@code GET /sync/status} shows them. */
  record RunFailure(Connection connection, String syncName, String model, String type, Instant startedAt, Instant failedAt, String code,
      String message) {}
}

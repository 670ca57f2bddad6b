package dev.graphgate.server.sync;

import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.webhook.Outbox;
import dev.graphgate.server.webhook.SyncRunEnd;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Announces the end of every sync run by the {@code sync} webhook: the event goes into the outbox on the handle of the
 * transaction that ends the run, so a run that is rolled back (or killed before its last page commits) announces
 * nothing, and a run that committed is announced exactly once. {@code also} is told afterwards (tests listen there).
 */
public final class SyncWebhooks implements SyncRunListener {
  private final Outbox outbox;
  private final SyncRunListener also;

  SyncWebhooks(Outbox outbox, SyncRunListener also) {
    this.outbox = outbox;
    this.also = also;
  }

  /** The listener the engine is given: webhooks first, then {@code also}. */
  public static SyncRunListener through(Outbox outbox, SyncRunListener also) {
    return new SyncWebhooks(outbox, also);
  }

  @Override
  public void started(Connection connection, String syncName) {
    also.started(connection, syncName);
  }

  @Override
  public void succeeded(Handle handle, RunSummary run) {
    Connection c = run.connection();
    outbox.syncEnded(handle, new SyncRunEnd(c.integrationKey(), c.connectionId(), run.syncName(), run.model(), run.type(), run.startedAt(),
        Optional.of(new SyncRunEnd.Counts(run.added(), run.updated(), run.deleted())), Optional.empty(), c.webhookUrlOverride()));
    also.succeeded(handle, run);
  }

  @Override
  public void failed(Handle handle, RunFailure run) {
    Connection c = run.connection();
    outbox.syncEnded(handle, new SyncRunEnd(c.integrationKey(), c.connectionId(), run.syncName(), run.model(), run.type(), run.startedAt(),
        Optional.empty(), Optional.of(new SyncRunEnd.Error(run.code(), run.message(), run.failedAt())), c.webhookUrlOverride()));
    also.failed(handle, run);
  }
}

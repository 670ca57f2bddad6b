package dev.graphgate.server.connection;

import org.jdbi.v3.core.Handle;

/**
 * What a change of a connection announces, written by whoever listens inside the transaction that makes the change
 * (the {@code webhook} package's outbox): if the change commits, so does its announcement, and if it rolls back,
 * neither is kept. Implementations write with {@code h} only, and must not commit, open another handle or call out.
 * The port lives here, and {@code webhook} implements it, so {@code connection} knows nothing of webhooks.
 */
public interface ConnectionEvents {
  /** Connection {@code c} was stored by an import or a connect session: {@code created}, or an existing one replaced. */
  void stored(Handle h, Connection c, boolean created);

  /** A token request for {@code c} failed and moved it from a working status into a failing one (once per such move). */
  void refreshFailed(Handle h, Connection c);

  /** Announces nothing. */
  ConnectionEvents NONE = new ConnectionEvents() {
    @Override
    public void stored(Handle h, Connection c, boolean created) {}

    @Override
    public void refreshFailed(Handle h, Connection c) {}
  };
}

package dev.graphgate.server.sync;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The one writer of {@code enabled_syncs}: which pre-built syncs an integration runs on its connections. */
public final class SyncSettings {
  private final Jdbi jdbi;

  public SyncSettings(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Replaces the integration's enabled syncs with {@code names}. */
  public void replace(long integrationId, List<String> names, Instant now) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM enabled_syncs WHERE integration_id = :i").bind("i", integrationId).execute();
      for (String name : names) {
        h.createUpdate("INSERT INTO enabled_syncs (integration_id, sync_name, enabled_at) VALUES (:i, :n, :now)").bind("i", integrationId)
            .bind("n", name).bind("now", now).execute();
      }
    });
  }

  public List<String> enabled(long integrationId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT sync_name FROM enabled_syncs WHERE integration_id = :i ORDER BY sync_name")
        .bind("i", integrationId).mapTo(String.class).list());
  }
}

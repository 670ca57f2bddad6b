package dev.graphgate.server.sync;

import dev.graphgate.server.records.PageCounts;
import dev.graphgate.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one writer of {@code sync_states}: the schedule of each connection's syncs, their checkpoints and the counters of
 * the run under way. The page-by-page writes take the caller's {@link Handle}, so a page's records and the checkpoint
 * that follows them commit together.
 */
public final class SyncStateRepository {
  /** A message stored for a failed run is cut to this length. */
  static final int MAX_ERROR = 4000;

  private final Jdbi jdbi;

  public SyncStateRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record Key(long connectionId, String syncName) {}

  /**
   * Creates the state of every enabled sync for every connection of its integration that has none yet, with
   * {@code frequency}; answers how many were created.
   */
  public int createMissing(Duration frequency) {
    return jdbi.withHandle(h -> h.createUpdate("""
        INSERT INTO sync_states (connection_id, sync_name, frequency_seconds, paused, round_number, round_full, run_pages, run_records,
          run_added, run_updated, run_deleted, run_requested, reset_requested)
        SELECT c.id, e.sync_name, :frequency, FALSE, 0, FALSE, 0, 0, 0, 0, 0, FALSE, FALSE
        FROM connections c JOIN enabled_syncs e ON e.integration_id = c.integration_id
        WHERE NOT EXISTS (SELECT 1 FROM sync_states s WHERE s.connection_id = c.id AND s.sync_name = e.sync_name)""")
        .bind("frequency", frequency.toSeconds()).execute());
  }

  /** The states whose scheduler execution is missing (new ones, or lost): {@code taskName} is the sync task's name. */
  public List<Key> unscheduled(String taskName) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT s.connection_id, s.sync_name FROM sync_states s
        LEFT JOIN scheduled_tasks t ON t.task_name = :task AND t.task_instance = CONCAT(CAST(s.connection_id AS VARCHAR(20)), ':', s.sync_name)
        WHERE t.task_instance IS NULL""")
        .bind("task", taskName).map((rs, ctx) -> new Key(rs.getLong("connection_id"), rs.getString("sync_name"))).list());
  }

  /** The states with a run asked for and not paused: each should have its execution due now. */
  public List<Key> requested() {
    return jdbi.withHandle(h -> h.createQuery("SELECT connection_id, sync_name FROM sync_states WHERE run_requested = TRUE AND paused = FALSE")
        .map((rs, ctx) -> new Key(rs.getLong("connection_id"), rs.getString("sync_name"))).list());
  }

  /** Removes the states of syncs no longer enabled for their connection's integration; answers them. */
  public List<Key> removeDisabled() {
    return jdbi.inTransaction(h -> {
      List<Key> gone = h.createQuery("""
          SELECT s.connection_id, s.sync_name FROM sync_states s JOIN connections c ON c.id = s.connection_id
          WHERE NOT EXISTS (SELECT 1 FROM enabled_syncs e WHERE e.integration_id = c.integration_id AND e.sync_name = s.sync_name)""")
          .map((rs, ctx) -> new Key(rs.getLong("connection_id"), rs.getString("sync_name"))).list();
      for (Key k : gone) {
        h.createUpdate("DELETE FROM sync_states WHERE connection_id = :c AND sync_name = :s").bind("c", k.connectionId()).bind("s", k.syncName())
            .execute();
      }
      return gone;
    });
  }

  public Optional<SyncState> find(long connectionId, String syncName) {
    return jdbi.withHandle(h -> find(h, connectionId, syncName));
  }

  Optional<SyncState> find(Handle h, long connectionId, String syncName) {
    return h.createQuery("SELECT * FROM sync_states WHERE connection_id = :c AND sync_name = :s").bind("c", connectionId).bind("s", syncName)
        .map((rs, ctx) -> map(rs)).findOne();
  }

  /** A state with the connection's id as the API names it. */
  public record Listed(SyncState state, String connectionId) {}

  /** The states of the integration's connections (of one connection when {@code connectionRowId} is given). */
  public List<Listed> forIntegration(long integrationId, Optional<Long> connectionRowId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT s.*, c.connection_id AS connection_name FROM sync_states s JOIN connections c ON c.id = s.connection_id "
            + "WHERE c.integration_id = :i" + (connectionRowId.isPresent() ? " AND c.id = :c" : "") + " ORDER BY c.connection_id, s.sync_name")
        .bind("i", integrationId).bind("c", connectionRowId.orElse(0L)).map((rs, ctx) -> new Listed(map(rs), rs.getString("connection_name"))).list());
  }

  public List<SyncState> forConnection(long connectionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_states WHERE connection_id = :c ORDER BY sync_name").bind("c", connectionId)
        .map((rs, ctx) -> map(rs)).list());
  }

  /** Asks for a run as soon as possible ({@code reset}: a full round from scratch, {@code emptyCache}: records dropped first). */
  public boolean requestRun(long connectionId, String syncName, boolean reset) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE sync_states SET run_requested = TRUE"
        + (reset ? ", reset_requested = TRUE" : "") + " WHERE connection_id = :c AND sync_name = :s")
        .bind("c", connectionId).bind("s", syncName).execute()) == 1;
  }

  /** Takes the run request, if any: answers whether there was one. */
  boolean takeRunRequest(long connectionId, String syncName) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE sync_states SET run_requested = FALSE WHERE connection_id = :c AND sync_name = :s "
        + "AND run_requested = TRUE").bind("c", connectionId).bind("s", syncName).execute()) == 1;
  }

  public boolean setPaused(long connectionId, String syncName, boolean paused) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE sync_states SET paused = :p WHERE connection_id = :c AND sync_name = :s")
        .bind("p", paused).bind("c", connectionId).bind("s", syncName).execute()) == 1;
  }

  public boolean setFrequency(long connectionId, String syncName, Duration frequency) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE sync_states SET frequency_seconds = :f WHERE connection_id = :c AND sync_name = :s")
        .bind("f", frequency.toSeconds()).bind("c", connectionId).bind("s", syncName).execute()) == 1;
  }

  /** A reset asked for: the checkpoint is dropped (the run under way too), so the next round is a full one. */
  void reset(Handle h, SyncState s) {
    h.createUpdate("UPDATE sync_states SET checkpoint = NULL, checkpoint_kind = NULL, run_started_at = NULL, reset_requested = FALSE "
        + "WHERE connection_id = :c AND sync_name = :s").bind("c", s.connectionId()).bind("s", s.syncName()).execute();
  }

  /** A run starts: a new round, full when there is no delta link to go on from. Answers the state as it now is. */
  void beginRun(Handle h, SyncState s, Instant now) {
    boolean full = s.checkpointKind().isEmpty();
    h.createUpdate("UPDATE sync_states SET run_started_at = :now, run_type = :type, run_pages = 0, run_records = 0, run_added = 0, "
            + "run_updated = 0, run_deleted = 0, run_estimated_total = NULL, round_number = round_number + 1, round_full = :full, "
            + "error_code = NULL, error_message = NULL WHERE connection_id = :c AND sync_name = :s")
        .bind("now", now).bind("type", full ? "INITIAL" : "INCREMENTAL").bind("full", full).bind("c", s.connectionId()).bind("s", s.syncName())
        .execute();
  }

  /** Graph forgot the checkpoint: the run goes on with a new, full round. */
  void restartFull(Handle h, SyncState s) {
    h.createUpdate("UPDATE sync_states SET checkpoint = NULL, checkpoint_kind = NULL, round_number = round_number + 1, round_full = TRUE, "
        + "run_type = 'INITIAL' WHERE connection_id = :c AND sync_name = :s").bind("c", s.connectionId()).bind("s", s.syncName()).execute();
  }

  /** A page was stored: the checkpoint moves to {@code nextLink} and the run's counters grow. */
  void advance(Handle h, SyncState s, String nextLink, long items, PageCounts counts, OptionalLong estimate) {
    h.createUpdate("UPDATE sync_states SET checkpoint = :link, checkpoint_kind = 'NEXT', run_pages = run_pages + 1, run_records = run_records + :items, "
            + "run_added = run_added + :a, run_updated = run_updated + :u, run_deleted = run_deleted + :d"
            + (estimate.isPresent() ? ", run_estimated_total = :estimate" : "") + " WHERE connection_id = :c AND sync_name = :s")
        .bind("link", nextLink).bind("items", items).bind("a", counts.added()).bind("u", counts.updated()).bind("d", counts.deleted())
        .bind("estimate", estimate.orElse(0)).bind("c", s.connectionId()).bind("s", s.syncName()).execute();
  }

  /** A page of one stream of a {@link MailboxSync} was stored: only the run's counters grow (the stream keeps its checkpoint). */
  void count(Handle h, SyncState s, long items, PageCounts counts) {
    h.createUpdate("UPDATE sync_states SET run_pages = run_pages + 1, run_records = run_records + :items, run_added = run_added + :a, "
            + "run_updated = run_updated + :u, run_deleted = run_deleted + :d WHERE connection_id = :c AND sync_name = :s")
        .bind("items", items).bind("a", counts.added()).bind("u", counts.updated()).bind("d", counts.deleted())
        .bind("c", s.connectionId()).bind("s", s.syncName()).execute();
  }

  /**
   * The run of a {@link MailboxSync} ended, every stream at its delta link: the sync's own checkpoint becomes
   * {@code deltaMarker} (the links are in {@code sync_streams}), so the next run is an incremental one. Answers the
   * run's final counters.
   */
  SyncState.RunCounters finishStreams(Handle h, SyncState s, String deltaMarker, PageCounts counts, Instant now) {
    h.createUpdate("UPDATE sync_states SET run_deleted = run_deleted + :d WHERE connection_id = :c AND sync_name = :s")
        .bind("d", counts.deleted()).bind("c", s.connectionId()).bind("s", s.syncName()).execute();
    SyncState after = find(h, s.connectionId(), s.syncName()).orElseThrow();
    h.createUpdate("UPDATE sync_states SET checkpoint = :link, checkpoint_kind = 'DELTA', round_full = FALSE, run_started_at = NULL, "
            + "last_status = 'SUCCESS', last_finished_at = :now, last_type = run_type, last_added = run_added, last_updated = run_updated, "
            + "last_deleted = run_deleted, error_code = NULL, error_message = NULL WHERE connection_id = :c AND sync_name = :s")
        .bind("link", deltaMarker).bind("now", now).bind("c", s.connectionId()).bind("s", s.syncName()).execute();
    return after.run();
  }

  /**
   * The round's last page was stored: the delta link becomes the checkpoint and the run is over. Answers the run's
   * final counters.
   */
  SyncState.RunCounters finish(Handle h, SyncState s, String deltaLink, long items, PageCounts counts, Instant now) {
    h.createUpdate("UPDATE sync_states SET checkpoint = :link, checkpoint_kind = :kind, run_pages = run_pages + 1, run_records = run_records + :items, "
            + "run_added = run_added + :a, run_updated = run_updated + :u, run_deleted = run_deleted + :d, round_full = FALSE WHERE connection_id = :c AND sync_name = :s")
        .bind("link", deltaLink).bind("kind", deltaLink == null ? null : "DELTA").bind("items", items).bind("a", counts.added())
        .bind("u", counts.updated()).bind("d", counts.deleted()).bind("c", s.connectionId()).bind("s", s.syncName()).execute();
    SyncState after = find(h, s.connectionId(), s.syncName()).orElseThrow();
    h.createUpdate("UPDATE sync_states SET run_started_at = NULL, last_status = 'SUCCESS', last_finished_at = :now, last_type = run_type, "
            + "last_added = run_added, last_updated = run_updated, last_deleted = run_deleted, error_code = NULL, error_message = NULL "
            + "WHERE connection_id = :c AND sync_name = :s")
        .bind("now", now).bind("c", s.connectionId()).bind("s", s.syncName()).execute();
    return after.run();
  }

  /**
   * The run could not go on: the error is kept for {@code GET /sync/status}; the checkpoint and the run's counters stay,
   * so the next run carries on from the last stored page.
   */
  void fail(Handle h, long connectionId, String syncName, String code, String message, Instant now) {
    String cut = message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
    h.createUpdate("UPDATE sync_states SET last_status = 'ERROR', last_finished_at = :now, error_code = :code, "
            + "error_message = :message WHERE connection_id = :c AND sync_name = :s")
        .bind("now", now).bind("code", code).bind("message", cut).bind("c", connectionId).bind("s", syncName).execute();
  }

  private static SyncState map(ResultSet rs) throws SQLException {
    String kind = rs.getString("checkpoint_kind");
    long estimate = rs.getLong("run_estimated_total");
    OptionalLong estimated = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(estimate);
    SyncState.RunCounters run = new SyncState.RunCounters(rs.getLong("run_pages"), rs.getLong("run_records"), rs.getLong("run_added"),
        rs.getLong("run_updated"), rs.getLong("run_deleted"), estimated);
    long lastAdded = rs.getLong("last_added");
    Optional<SyncState.RunCounters> last = rs.wasNull() ? Optional.empty()
        : Optional.of(new SyncState.RunCounters(0, 0, lastAdded, rs.getLong("last_updated"), rs.getLong("last_deleted"), OptionalLong.empty()));
    return new SyncState(rs.getLong("connection_id"), rs.getString("sync_name"), Duration.ofSeconds(rs.getLong("frequency_seconds")),
        rs.getBoolean("paused"), Optional.ofNullable(rs.getString("checkpoint")),
        Optional.ofNullable(kind).map(SyncState.CheckpointKind::valueOf), rs.getLong("round_number"), rs.getBoolean("round_full"),
        Optional.ofNullable(Rows.instant(rs, "run_started_at")), Optional.ofNullable(rs.getString("run_type")), run,
        Optional.ofNullable(rs.getString("last_status")), Optional.ofNullable(Rows.instant(rs, "last_finished_at")),
        Optional.ofNullable(rs.getString("last_type")), last, Optional.ofNullable(rs.getString("error_code")),
        Optional.ofNullable(rs.getString("error_message")), rs.getBoolean("run_requested"), rs.getBoolean("reset_requested"));
  }
}

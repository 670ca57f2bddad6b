package dev.graphgate.server.sync;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The one writer of {@code sync_streams}: the checkpoint of each delta stream of a {@link MailboxSync}. Every write
 * takes the caller's {@link Handle}, so a page's records and the stream checkpoint that follows them commit together.
 */
public final class SyncStreamRepository {

  /**
   * A stream as stored: {@code checkpoint} its next link (kind NEXT) or delta link (kind DELTA); {@code full} whether
   * its round under way enumerates everything; {@code doneRound} the sync round in which its last round ended.
   */
  public record StoredStream(String key, Optional<String> checkpoint, Optional<SyncState.CheckpointKind> kind, boolean full, long doneRound) {}

  Optional<StoredStream> find(Handle h, long connectionId, String syncName, String key) {
    return h.createQuery("SELECT * FROM sync_streams WHERE connection_id = :c AND sync_name = :s AND stream_key = :k")
        .bind("c", connectionId).bind("s", syncName).bind("k", key).map((rs, ctx) -> new StoredStream(rs.getString("stream_key"),
            Optional.ofNullable(rs.getString("checkpoint")), Optional.ofNullable(rs.getString("checkpoint_kind")).map(SyncState.CheckpointKind::valueOf),
            rs.getBoolean("round_full"), rs.getLong("done_round")))
        .findOne();
  }

  List<String> keys(Handle h, long connectionId, String syncName) {
    return h.createQuery("SELECT stream_key FROM sync_streams WHERE connection_id = :c AND sync_name = :s ORDER BY stream_key")
        .bind("c", connectionId).bind("s", syncName).mapTo(String.class).list();
  }

  /** The stream's round under way moved on to {@code nextLink}; {@code full} says what kind of round it is. */
  void advance(Handle h, long connectionId, String syncName, String key, String nextLink, boolean full) {
    upsert(h, connectionId, syncName, key, nextLink, "NEXT", full, null);
  }

  /** The stream's round ended in sync round {@code round}; {@code deltaLink} (null when Graph gave none) is its checkpoint. */
  void finish(Handle h, long connectionId, String syncName, String key, String deltaLink, long round) {
    upsert(h, connectionId, syncName, key, deltaLink, deltaLink == null ? null : "DELTA", false, round);
  }

  /** Graph forgot the stream's checkpoint: its next round is a full one. */
  void restartFull(Handle h, long connectionId, String syncName, String key) {
    upsert(h, connectionId, syncName, key, null, null, true, null);
  }

  void delete(Handle h, long connectionId, String syncName, String key) {
    h.createUpdate("DELETE FROM sync_streams WHERE connection_id = :c AND sync_name = :s AND stream_key = :k")
        .bind("c", connectionId).bind("s", syncName).bind("k", key).execute();
  }

  /** A reset: every stream of the sync starts over with a full round. */
  void deleteAll(Handle h, long connectionId, String syncName) {
    h.createUpdate("DELETE FROM sync_streams WHERE connection_id = :c AND sync_name = :s").bind("c", connectionId).bind("s", syncName).execute();
  }

  /** {@code doneRound} null keeps the stored one (0 for a new row). */
  private static void upsert(Handle h, long connectionId, String syncName, String key, String checkpoint, String kind, boolean full, Long doneRound) {
    int updated = h.createUpdate("UPDATE sync_streams SET checkpoint = :cp, checkpoint_kind = :kind, round_full = :full"
            + (doneRound == null ? "" : ", done_round = :done") + " WHERE connection_id = :c AND sync_name = :s AND stream_key = :k")
        .bind("cp", checkpoint).bind("kind", kind).bind("full", full).bind("done", doneRound == null ? 0 : doneRound)
        .bind("c", connectionId).bind("s", syncName).bind("k", key).execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO sync_streams (connection_id, sync_name, stream_key, checkpoint, checkpoint_kind, round_full, done_round) "
              + "VALUES (:c, :s, :k, :cp, :kind, :full, :done)")
          .bind("cp", checkpoint).bind("kind", kind).bind("full", full).bind("done", doneRound == null ? 0 : doneRound)
          .bind("c", connectionId).bind("s", syncName).bind("k", key).execute();
    }
  }
}

package dev.graphgate.server.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.storage.Rows;
import dev.graphgate.server.storage.SqlDialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The one writer of {@code records} and {@code record_counts} (how many of a model's records are not deleted, moved in
 * the transaction of every change, so a status need not count them). A page of changes is applied in the caller's transaction (the sync engine's, which
 * moves its checkpoint in the same one): a new entity is ADDED, one whose content hash changed is UPDATED, one seen
 * with the same hash is left as it is (only marked seen), a removal marks the row DELETED and keeps it. Every change
 * takes the next value of the {@code records_cursor} sequence, the order {@code GET /records} pages in.
 */
public final class RecordRepository {
  private static final String CURSOR_SEQUENCE = "records_cursor";
  /** Ids per {@code IN} list when reading a page's existing rows. */
  private static final int IN_CHUNK = 500;

  /** Records this instance inserts before it first refreshes the table's statistics; each refresh doubles it. */
  static final long FIRST_STATISTICS_AFTER = 1000;

  private final Jdbi jdbi;
  private final String nextCursor;
  private final String pageRows;
  private final Optional<String> refreshStatistics;
  private final AtomicLong inserted = new AtomicLong();
  private final AtomicLong statisticsDueAt = new AtomicLong(FIRST_STATISTICS_AFTER);

  public RecordRepository(Jdbi jdbi, SqlDialect dialect) {
    this.jdbi = jdbi;
    this.nextCursor = dialect.nextValue(CURSOR_SEQUENCE);
    this.pageRows = dialect.fromRowsMatchingArray("records", "r", "records_by_key_hash", "r.connection_id = :c AND r.model = :m", "key_hash", "hashes");
    this.refreshStatistics = dialect.refreshStatistics("records");
  }

  /**
   * What is stored of one entity while a page is applied. Its data is kept as the stored JSON text: parsed only when a
   * sync asks for what is known of the entity, and written once per change (the same text is hashed and stored).
   */
  private static final class Row {
    Long id;
    String externalId;
    String json;
    String hash;
    RecordAction action;
    Instant deletedAt;
    Instant prunedAt;
    long seenRound;
    long changedRound;
    boolean changed;
    boolean seen;

    boolean deleted() {
      return deletedAt != null;
    }
  }

  /**
   * Applies one page's changes for a connection's model, in round {@code round} ({@code fullRound}: a round that
   * enumerates every entity, after which {@link #deleteUnseen} removes the rest).
   */
  public PageCounts apply(Handle h, long connectionId, String model, long round, boolean fullRound, List<RecordChange> changes, Instant now) {
    Map<String, Row> rows = existing(h, connectionId, model, changes);
    long added = 0;
    long updated = 0;
    long deleted = 0;
    long unchanged = 0;
    long live = 0;
    for (RecordChange change : changes) {
      Row row = rows.get(change.externalId());
      boolean wasLive = row != null && !row.deleted();
      switch (change) {
        case RecordChange.Upsert u -> {
          Optional<ObjectNode> known = row == null || row.deleted() || row.prunedAt != null || (fullRound && row.seenRound != round)
              ? Optional.empty() : Optional.of((ObjectNode) Json.parse(row.json));
          String json = Json.write(u.data().apply(known));
          String hash = hashOf(json);
          if (row == null) {
            row = new Row();
            row.externalId = change.externalId();
            row.action = RecordAction.ADDED;
            row.changedRound = round;
            rows.put(row.externalId, row);
            added++;
          } else if (row.deleted()) {
            boolean counted = row.changedRound == round;
            row.deletedAt = null;
            row.action = RecordAction.ADDED;
            row.changedRound = round;
            if (!counted) {
              added++;
            }
          } else if (hash.equals(row.hash)) {
            if (row.seenRound != round) {
              row.seenRound = round;
              row.seen = true;
            }
            unchanged++;
            continue;
          } else {
            if (row.changedRound != round) {
              row.action = RecordAction.UPDATED;
              row.changedRound = round;
              updated++;
            }
          }
          row.json = json;
          row.hash = hash;
          row.prunedAt = null;
          row.seenRound = round;
          row.changed = true;
          live += wasLive ? 0 : 1;
        }
        case RecordChange.Delete d -> {
          if (row == null || row.deleted()) {
            continue;
          }
          row.deletedAt = now;
          row.action = RecordAction.DELETED;
          row.changedRound = round;
          row.changed = true;
          deleted++;
          live--;
        }
      }
    }
    write(h, connectionId, model, rows.values(), now);
    moveCount(h, connectionId, model, live);
    return new PageCounts(added, updated, deleted, unchanged);
  }

  /** At the end of a full round: every record of the model that the round did not see is DELETED. */
  public long deleteUnseen(Handle h, long connectionId, String model, long round, Instant now) {
    long n = h.createUpdate("UPDATE records SET deleted_at = :now, last_action = 'DELETED', last_modified_at = :now, changed_round = :round, "
            + "cursor_position = " + nextCursor + " WHERE connection_id = :c AND model = :m AND deleted_at IS NULL AND seen_round < :round")
        .bind("now", now).bind("round", round).bind("c", connectionId).bind("m", model).execute();
    moveCount(h, connectionId, model, -n);
    return n;
  }

  /**
   * At the end of a full round of one stream of a sync (a mail folder, a calendar): every record whose id starts with
   * {@code idPrefix} and that the round did not see is DELETED; {@code everything}: all of them (the stream is gone).
   */
  public long deleteUnseen(Handle h, long connectionId, String model, long round, String idPrefix, boolean everything, Instant now) {
    long n = h.createUpdate("UPDATE records SET deleted_at = :now, last_action = 'DELETED', last_modified_at = :now, changed_round = :round, "
            + "cursor_position = " + nextCursor + " WHERE connection_id = :c AND model = :m AND deleted_at IS NULL"
            + (everything ? "" : " AND seen_round < :round") + " AND external_id LIKE :prefix ESCAPE '!'")
        .bind("now", now).bind("round", round).bind("c", connectionId).bind("m", model).bind("prefix", likePrefix(idPrefix)).execute();
    moveCount(h, connectionId, model, -n);
    return n;
  }

  private static String likePrefix(String prefix) {
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  /** How many records {@link #prune} emptied, and whether more up to the cursor may remain. */
  public record Pruned(long count, boolean hasMore) {}

  /**
   * Empties the payload of the model's records up to and including cursor position {@code untilPosition}, at most
   * {@code limit} of them (those not pruned yet, oldest first), keeping their metadata; {@code pruned_at} says when.
   * A record that changes later holds its new state again (and is no longer pruned).
   */
  public Pruned prune(long connectionId, String model, long untilPosition, int limit, Instant now) {
    return jdbi.inTransaction(h -> {
      List<Long> ids = h.createQuery("SELECT id FROM records WHERE connection_id = :c AND model = :m AND cursor_position <= :until "
              + "AND pruned_at IS NULL ORDER BY cursor_position LIMIT :limit")
          .bind("c", connectionId).bind("m", model).bind("until", untilPosition).bind("limit", limit + 1).mapTo(Long.class).list();
      List<Long> chosen = ids.subList(0, Math.min(limit, ids.size()));
      for (int from = 0; from < chosen.size(); from += IN_CHUNK) {
        h.createUpdate("UPDATE records SET data = '{}', pruned_at = :now WHERE id IN (<ids>)").bind("now", now)
            .bindList("ids", chosen.subList(from, Math.min(chosen.size(), from + IN_CHUNK))).execute();
      }
      return new Pruned(chosen.size(), ids.size() > limit);
    });
  }

  /** Deletes every record of the model (a reset with {@code emptyCache}): the next run adds them all again. */
  public long deleteAll(Handle h, long connectionId, String model) {
    h.createUpdate("DELETE FROM record_counts WHERE connection_id = :c AND model = :m").bind("c", connectionId).bind("m", model).execute();
    return h.createUpdate("DELETE FROM records WHERE connection_id = :c AND model = :m").bind("c", connectionId).bind("m", model).execute();
  }

  /** Records of the model that are not deleted: one row of {@code record_counts}, not a count of the records. */
  public long count(long connectionId, String model) {
    return jdbi.withHandle(h -> h.createQuery("SELECT live FROM record_counts WHERE connection_id = :c AND model = :m")
        .bind("c", connectionId).bind("m", model).mapTo(Long.class).findOne().orElse(0L));
  }

  /**
   * Moves the model's live count by {@code delta}, in the transaction of the change. Runs of one sync for one
   * connection never overlap and a model belongs to one sync, so nobody else writes the row meanwhile: an update, or
   * the row's first insert.
   */
  private static void moveCount(Handle h, long connectionId, String model, long delta) {
    if (delta == 0) {
      return;
    }
    int moved = h.createUpdate("UPDATE record_counts SET live = live + :d WHERE connection_id = :c AND model = :m")
        .bind("d", delta).bind("c", connectionId).bind("m", model).execute();
    if (moved == 0) {
      h.createUpdate("INSERT INTO record_counts (connection_id, model, live) VALUES (:c, :m, :d)")
          .bind("c", connectionId).bind("m", model).bind("d", delta).execute();
    }
  }

  /**
   * A page of records. With {@code ids}, the rows are found as a page's rows are when it is stored (one lookup of its
   * {@link RecordKeyHash} per id, the ids themselves compared too), not with {@code external_id IN (...)}, which H2
   * answers by reading every record of the model.
   */
  public RecordPage find(RecordQuery q) {
    StringBuilder sql = new StringBuilder("SELECT r.external_id, r.data, r.last_action, r.first_seen_at, r.last_modified_at, r.deleted_at, r.pruned_at, "
        + "r.cursor_position " + (q.ids().isEmpty() ? "FROM records r WHERE r.connection_id = :c AND r.model = :m" : pageRows)
        + (q.ids().isEmpty() ? "" : " AND r.external_id = ANY(:ids)") + " AND r.last_action IN (<actions>)");
    q.afterPosition().ifPresent(p -> sql.append(" AND r.cursor_position > :after"));
    q.modifiedAfter().ifPresent(t -> sql.append(" AND r.last_modified_at >= :since"));
    sql.append(" ORDER BY r.cursor_position LIMIT :limit");
    List<StoredRecord> found = jdbi.withHandle(h -> {
      Query query = h.createQuery(sql.toString()).bind("c", q.connectionId()).bind("m", q.model())
          .bindList("actions", q.actions().stream().map(Enum::name).sorted().toList()).bind("limit", q.limit() + 1);
      q.afterPosition().ifPresent(p -> query.bind("after", p));
      q.modifiedAfter().ifPresent(t -> query.bind("since", t));
      if (!q.ids().isEmpty()) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(q.ids()));
        query.bindArray("ids", String.class, ids).bindArray("hashes", Long.class, keyHashes(q.connectionId(), q.model(), ids));
      }
      return query.map((rs, ctx) -> map(rs)).list();
    });
    if (found.size() <= q.limit()) {
      return new RecordPage(found, Optional.empty());
    }
    List<StoredRecord> page = found.subList(0, q.limit());
    return new RecordPage(page, Optional.of(page.get(page.size() - 1).cursor()));
  }

  private static StoredRecord map(ResultSet rs) throws SQLException {
    return new StoredRecord(rs.getString("external_id"), (ObjectNode) Json.parse(rs.getString("data")), RecordAction.valueOf(rs.getString("last_action")),
        Rows.instant(rs, "first_seen_at"), Rows.instant(rs, "last_modified_at"), Optional.ofNullable(Rows.instant(rs, "deleted_at")),
        Optional.ofNullable(Rows.instant(rs, "pruned_at")), rs.getLong("cursor_position"));
  }

  /**
   * The stored rows of a page's entities, in one statement: the ids' {@link RecordKeyHash}es come as one array, each
   * looked up in {@code records_by_key_hash} ({@link SqlDialect#fromRowsMatchingArray}); a row of another key with the
   * same hash is left out here. Not {@code external_id IN (...)}: H2 uses an index for an {@code IN} list only on an index's first column, so it read
   * every record of the model and compared each with the list, once per page, and a full sync of N users cost O(N²)
   * (a 10,000-user sync ran at about 1,000 records/s).
   */
  private Map<String, Row> existing(Handle h, long connectionId, String model, List<RecordChange> changes) {
    Set<String> ids = new LinkedHashSet<>();
    changes.forEach(c -> ids.add(c.externalId()));
    Map<String, Row> rows = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return rows;
    }
    h.createQuery("SELECT r.id, r.external_id, r.data, r.content_hash, r.last_action, r.deleted_at, r.pruned_at, r.seen_round, r.changed_round "
            + pageRows)
        .bind("c", connectionId).bind("m", model).bindArray("hashes", Long.class, keyHashes(connectionId, model, ids))
        .map((rs, ctx) -> {
          Row r = new Row();
          r.id = rs.getLong("id");
          r.externalId = rs.getString("external_id");
          r.json = rs.getString("data");
          r.hash = rs.getString("content_hash");
          r.action = RecordAction.valueOf(rs.getString("last_action"));
          r.deletedAt = Rows.instant(rs, "deleted_at");
          r.prunedAt = Rows.instant(rs, "pruned_at");
          r.seenRound = rs.getLong("seen_round");
          r.changedRound = rs.getLong("changed_round");
          return r;
        })
        .forEach(r -> {
          if (ids.contains(r.externalId)) { // not another key with the same hash
            rows.put(r.externalId, r);
          }
        });
    return rows;
  }

  /** Inserts, changes and marks seen in three JDBC batches (Jdbi's named arguments, resolved per row, cost more). */
  private void write(Handle h, long connectionId, String model, Iterable<Row> rows, Instant now) {
    List<Row> inserts = new ArrayList<>();
    List<Row> updates = new ArrayList<>();
    List<Row> seen = new ArrayList<>();
    for (Row r : rows) {
      if (r.id == null) {
        if (r.changed) {
          inserts.add(r);
        }
      } else if (r.changed) {
        updates.add(r);
      } else if (r.seen) {
        seen.add(r);
      }
    }
    OffsetDateTime at = Rows.timestamp(now);
    if (!inserts.isEmpty()) {
      Rows.batch(h, "INSERT INTO records (connection_id, model, external_id, key_hash, data, content_hash, last_action, first_seen_at, "
          + "last_modified_at, deleted_at, seen_round, changed_round, cursor_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + nextCursor + ")",
          inserts, (st, r) -> {
            st.setLong(1, connectionId);
            st.setString(2, model);
            st.setString(3, r.externalId);
            st.setLong(4, RecordKeyHash.of(connectionId, model, r.externalId));
            st.setString(5, r.json);
            st.setString(6, r.hash);
            st.setString(7, r.action.name());
            st.setObject(8, at);
            st.setObject(9, at);
            Rows.setTimestamp(st, 10, r.deletedAt);
            st.setLong(11, r.seenRound);
            st.setLong(12, r.changedRound);
          });
    }
    if (!updates.isEmpty()) {
      Rows.batch(h, "UPDATE records SET data = ?, content_hash = ?, last_action = ?, last_modified_at = ?, deleted_at = ?, pruned_at = ?, "
          + "seen_round = ?, changed_round = ?, cursor_position = " + nextCursor + " WHERE id = ?", updates, (st, r) -> {
            st.setString(1, r.json);
            st.setString(2, r.hash);
            st.setString(3, r.action.name());
            st.setObject(4, at);
            Rows.setTimestamp(st, 5, r.deletedAt);
            Rows.setTimestamp(st, 6, r.prunedAt);
            st.setLong(7, r.seenRound);
            st.setLong(8, r.changedRound);
            st.setLong(9, r.id);
          });
    }
    if (!seen.isEmpty()) {
      Rows.batch(h, "UPDATE records SET seen_round = ? WHERE id = ?", seen, (st, r) -> {
        st.setLong(1, r.seenRound);
        st.setLong(2, r.id);
      });
    }
    refreshStatisticsWhenGrown(h, inserts.size());
  }

  /**
   * On PostgreSQL, once this instance has inserted 1,000, 2,000, 4,000... records, the table's statistics are
   * refreshed (a sampled ANALYZE, in the page's transaction). Without statistics, as after a large first sync with
   * autovacuum off or not yet round, the planner takes a page's lookup for a scan of the model through
   * {@code records_by_cursor} and every page reads the whole model (benchmarks/README.md, the users sync: 660 records/s
   * at 100,000 users without this, 6,060 with it).
   */
  private void refreshStatisticsWhenGrown(Handle h, int added) {
    if (refreshStatistics.isEmpty() || added == 0) {
      return;
    }
    long total = inserted.addAndGet(added);
    long due = statisticsDueAt.get();
    if (total >= due && statisticsDueAt.compareAndSet(due, total * 2)) {
      h.execute(refreshStatistics.get());
    }
  }

  private static List<Long> keyHashes(long connectionId, String model, Iterable<String> ids) {
    List<Long> hashes = new ArrayList<>();
    ids.forEach(id -> hashes.add(RecordKeyHash.of(connectionId, model, id)));
    return hashes;
  }

  /** SHA-256 of the record's JSON: equal content, equal hash, so an entity Graph sends again unchanged is left alone. */
  static String hash(ObjectNode data) {
    return hashOf(Json.write(data));
  }

  private static String hashOf(String json) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

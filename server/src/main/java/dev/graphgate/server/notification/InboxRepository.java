package dev.graphgate.server.notification;

import dev.graphgate.server.storage.Rows;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one writer of {@code notification_inbox}: the notifications of one POST stored in one transaction before the
 * receiver answers (a redelivery, known by its dedupe key, is not stored again), claimed in batches under a lease by a
 * conditional UPDATE, marked processed on the handle that writes their effects, and removed a day after.
 */
public final class InboxRepository {
  private final Jdbi jdbi;

  public InboxRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One notification to store, attributed to its subscription (and so its connection and sync). */
  record Entry(String dedupeKey, long subscriptionRowId, long connectionId, String syncName, Optional<String> lifecycleEvent, String body) {}

  /** One stored notification. */
  record Row(long id, long subscriptionRowId, long connectionId, String syncName, Optional<String> lifecycleEvent, String body) {}

  /** What a store did: the entries written, and those already stored (redeliveries, or repeated within the POST). */
  record Stored(List<Entry> written, List<Entry> duplicates) {}

  /** Writes the entries not stored yet, all in one transaction; committed when this returns. */
  Stored store(List<Entry> entries, Instant now) {
    // A redelivery stored by another request between our look-up and our insert: look again, once.
    return Rows.orOnUniqueViolation(() -> jdbi.inTransaction(h -> store(h, entries, now)), () -> jdbi.inTransaction(h -> store(h, entries, now)));
  }

  private static Stored store(Handle h, List<Entry> entries, Instant now) {
    Map<String, Entry> unique = new LinkedHashMap<>();
    List<Entry> duplicates = new ArrayList<>();
    for (Entry e : entries) {
      if (unique.putIfAbsent(e.dedupeKey(), e) != null) {
        duplicates.add(e);
      }
    }
    Set<String> known = new HashSet<>(h.createQuery("SELECT dedupe_key FROM notification_inbox WHERE dedupe_key IN (<keys>)")
        .bindList("keys", List.copyOf(unique.keySet())).mapTo(String.class).list());
    List<Entry> written = new ArrayList<>();
    for (Entry e : unique.values()) {
      if (known.contains(e.dedupeKey())) {
        duplicates.add(e);
      } else {
        written.add(e);
      }
    }
    if (!written.isEmpty()) {
      insert(h, written, now);
    }
    return new Stored(written, duplicates);
  }

  private static void insert(Handle h, List<Entry> entries, Instant now) {
    OffsetDateTime received = Rows.timestamp(now);
    Rows.batch(h, "INSERT INTO notification_inbox (dedupe_key, subscription_row_id, connection_id, sync_name, lifecycle_event, body, "
        + "received_at) VALUES (?, ?, ?, ?, ?, ?, ?)", entries, (s, e) -> {
          s.setString(1, e.dedupeKey());
          s.setLong(2, e.subscriptionRowId());
          s.setLong(3, e.connectionId());
          s.setString(4, e.syncName());
          s.setString(5, e.lifecycleEvent().orElse(null));
          s.setString(6, e.body());
          s.setObject(7, received);
        });
  }

  /** Takes the lease on up to {@code limit} unprocessed notifications no live instance holds, the oldest first. */
  List<Row> claim(String owner, Instant now, Duration lease, int limit) {
    return jdbi.inTransaction(h -> {
      List<Long> ids = h.createQuery("SELECT id FROM notification_inbox WHERE processed_at IS NULL AND (lease_expires_at IS NULL OR lease_expires_at < :now) "
              + "ORDER BY id LIMIT :limit")
          .bind("now", now).bind("limit", limit).mapTo(Long.class).list();
      if (ids.isEmpty()) {
        return List.<Row>of();
      }
      h.createUpdate("UPDATE notification_inbox SET lease_owner = :o, lease_expires_at = :until WHERE id IN (<ids>) AND processed_at IS NULL "
              + "AND (lease_expires_at IS NULL OR lease_expires_at < :now)")
          .bind("o", owner).bind("until", now.plus(lease)).bind("now", now).bindList("ids", ids).execute();
      return h.createQuery("SELECT * FROM notification_inbox WHERE id IN (<ids>) AND lease_owner = :o AND processed_at IS NULL ORDER BY id")
          .bindList("ids", ids).bind("o", owner)
          .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getLong("subscription_row_id"), rs.getLong("connection_id"), rs.getString("sync_name"),
              Optional.ofNullable(rs.getString("lifecycle_event")), rs.getString("body")))
          .list();
    });
  }

  /** Marks them processed on {@code h} (with their effects), if this instance still holds their lease; answers how many. */
  int markProcessed(Handle h, List<Long> ids, String owner, Instant now) {
    return h.createUpdate("UPDATE notification_inbox SET processed_at = :now, lease_owner = NULL, lease_expires_at = NULL WHERE id IN (<ids>) "
            + "AND lease_owner = :o AND processed_at IS NULL")
        .bind("now", now).bind("o", owner).bindList("ids", ids).execute();
  }

  /** Removes the processed notifications received before {@code before} (their dedupe keys with them). */
  int purge(Instant before) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM notification_inbox WHERE processed_at IS NOT NULL AND received_at < :b")
        .bind("b", before).execute());
  }

  /** Notifications stored and not processed yet. */
  public long pending() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM notification_inbox WHERE processed_at IS NULL").mapTo(Long.class).one());
  }

  /** Notifications processed so far (kept a day). */
  public long processed() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM notification_inbox WHERE processed_at IS NOT NULL").mapTo(Long.class).one());
  }
}

package dev.graphgate.server.notification;

import dev.graphgate.server.storage.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one writer of {@code notification_inbox}: the notifications of one POST stored in one transaction before the
 * receiver answers (shared with the POSTs arriving meanwhile: a group commit) (a redelivery, known by its dedupe key, is not stored again), claimed in batches under a lease by a
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

  /**
   * Writes the entries not stored yet, all in one transaction; committed when this returns. Requests storing at the
   * same time share one transaction (a group commit): while one is being written the others queue, and the next
   * writes all of them at once. Each commit costs H2 a file store of every page it touched (WRITE_DELAY=0) and H2
   * stores one at a time, so ten concurrent POSTs queued behind each other's commits; grouped, they wait for at most
   * two. Each caller still returns only after the commit holding its own entries.
   */
  Stored store(List<Entry> entries, Instant now) {
    Waiter me = new Waiter(entries, now);
    boolean lead;
    lock.lock();
    try {
      waiting.add(me);
      lead = !writing;
      writing = true;
    } finally {
      lock.unlock();
    }
    if (lead) {
      me.lead.complete(null);
    }
    try {
      CompletableFuture.anyOf(me.done, me.lead).join();
    } catch (CompletionException failed) {
      // this request's own failure: thrown below
    }
    if (!me.done.isDone()) {
      writeWaiting();
    }
    try {
      return me.done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** A request's entries waiting for the transaction that stores them. */
  private static final class Waiter {
    final List<Entry> entries;
    final Instant now;
    final CompletableFuture<Stored> done = new CompletableFuture<>();
    /** Completed when this request is to write the queue (its own entries among them). */
    final CompletableFuture<Void> lead = new CompletableFuture<>();

    Waiter(List<Entry> entries, Instant now) {
      this.entries = entries;
      this.now = now;
    }
  }

  /** Entries one group commit writes at most (more requests wait for the next). */
  static final int MAX_GROUP = 2000;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Waiter> waiting = new ArrayList<>();
  private boolean writing;

  /** Writes every queued request in one transaction, then hands the writing on to the first request queued since. */
  private void writeWaiting() {
    List<Waiter> group;
    lock.lock();
    try {
      // At least the first request, and more while the group stays under MAX_GROUP entries (its IN list and batch).
      int n = 0;
      int size = 0;
      while (n < waiting.size() && (n == 0 || size + waiting.get(n).entries.size() <= MAX_GROUP)) {
        size += waiting.get(n).entries.size();
        n++;
      }
      group = List.copyOf(waiting.subList(0, n));
      waiting.subList(0, n).clear();
    } finally {
      lock.unlock();
    }
    try {
      List<Stored> stored = storeRetrying(group);
      for (int i = 0; i < group.size(); i++) {
        group.get(i).done.complete(stored.get(i));
      }
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.getFirst().done.completeExceptionally(e);
      } else {
        // One request's entries must not fail the others': each alone, so a failure reaches only its own request.
        for (Waiter w : group) {
          try {
            w.done.complete(storeRetrying(List.of(w)).getFirst());
          } catch (RuntimeException alone) {
            w.done.completeExceptionally(alone);
          }
        }
      }
    } catch (Error e) {
      group.forEach(w -> w.done.completeExceptionally(e));
      throw e;
    } finally {
      lock.lock();
      try {
        if (waiting.isEmpty()) {
          writing = false;
        } else {
          waiting.getFirst().lead.complete(null);
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private List<Stored> storeRetrying(List<Waiter> group) {
    // A redelivery stored by another instance between our look-up and our insert: look again, once.
    return Rows.orOnUniqueViolation(() -> jdbi.inTransaction(h -> store(h, group)), () -> jdbi.inTransaction(h -> store(h, group)));
  }

  /** Stores the group's entries not stored yet; answers, for each request in order, what it wrote and what was there. */
  private static List<Stored> store(Handle h, List<Waiter> group) {
    Set<String> keys = new LinkedHashSet<>();
    group.forEach(w -> w.entries.forEach(e -> keys.add(e.dedupeKey())));
    Set<String> known = new HashSet<>(h.createQuery("SELECT dedupe_key FROM notification_inbox WHERE dedupe_key IN (<keys>)")
        .bindList("keys", List.copyOf(keys)).mapTo(String.class).list());
    var batch = h.prepareBatch("INSERT INTO notification_inbox (dedupe_key, subscription_row_id, connection_id, sync_name, lifecycle_event, body, "
        + "received_at) VALUES (:k, :s, :c, :n, :l, :b, :now)");
    Set<String> taken = new HashSet<>();
    List<Stored> result = new ArrayList<>();
    boolean any = false;
    for (Waiter w : group) {
      List<Entry> written = new ArrayList<>();
      List<Entry> duplicates = new ArrayList<>();
      for (Entry e : w.entries) {
        // Already stored, or earlier in this request or in another one of the group: a duplicate.
        if (known.contains(e.dedupeKey()) || !taken.add(e.dedupeKey())) {
          duplicates.add(e);
          continue;
        }
        batch.bind("k", e.dedupeKey()).bind("s", e.subscriptionRowId()).bind("c", e.connectionId()).bind("n", e.syncName())
            .bind("l", e.lifecycleEvent().orElse(null)).bind("b", e.body()).bind("now", w.now).add();
        written.add(e);
        any = true;
      }
      result.add(new Stored(written, duplicates));
    }
    if (any) {
      batch.execute();
    }
    return result;
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

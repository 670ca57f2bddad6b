package dev.graphgate.server.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every instance's in-memory integrations and connections coherent without a database read on the hot path.
 *
 * <p>A writer calls {@link #record} in the transaction that changes a row; each instance polls {@code cache_events}
 * every {@code interval} and tells subscribers which rows changed, and they drop what they cached. Polling looks back
 * {@value #LOOKBACK_SECONDS} s behind the later of the newest event it saw and the database's clock at the previous
 * poll, because on PostgreSQL an event with a smaller id can commit after one with a larger id; events already handled
 * are remembered and skipped. So another instance's change
 * is seen within about one interval; an instance's own changes are applied immediately by its own services, and its
 * own events are not read back.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  static final long LOOKBACK_SECONDS = 30;
  private static final Duration RETENTION = Duration.ofHours(1);
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(5);

  /** What changed. */
  public enum Entity { INTEGRATION, CONNECTION }

  private final Jdbi jdbi;
  private final String origin = java.util.UUID.randomUUID().toString();
  private final Map<Entity, List<LongConsumer>> subscribers = new ConcurrentHashMap<>();
  private final Map<Long, Instant> seen = new HashMap<>();
  private final ScheduledExecutorService poller;
  private Instant newest;
  private Instant lastPrune = Instant.EPOCH;

  public ChangeFeed(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "graphgate-change-feed");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Records that a row changed; call inside the transaction that changes it. The event names this instance as its
   * origin: this instance has already updated its own cache, so only the others act on it.
   */
  public void record(Handle handle, Entity entity, long entityId) {
    handle.createUpdate("INSERT INTO cache_events (entity, entity_id, origin) VALUES (:entity, :id, :origin)")
        .bind("entity", entity.name()).bind("id", entityId).bind("origin", origin).execute();
  }

  public void subscribe(Entity entity, LongConsumer onChange) {
    subscribers.computeIfAbsent(entity, e -> new CopyOnWriteArrayList<>()).add(onChange);
  }

  public void start(Duration interval) {
    newest = jdbi.withHandle(ChangeFeed::databaseNow);
    poller.scheduleWithFixedDelay(this::pollSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // The database may be briefly unreachable; cached values stay in use and the next poll catches up.
      log.warn("could not read cache events: {}", e.getClass().getSimpleName());
    }
  }

  /** One poll; package-visible so tests can drive it without waiting. */
  synchronized void poll() {
    Instant since = newest.minusSeconds(LOOKBACK_SECONDS);
    Instant[] databaseNow = new Instant[1];
    List<Event> events = jdbi.withHandle(h -> {
      // Read before the events: an event committed after this query but stamped earlier is still inside the next
      // poll's lookback.
      databaseNow[0] = databaseNow(h);
      return h.createQuery(
              "SELECT id, entity, entity_id, created_at FROM cache_events WHERE created_at >= :since AND origin <> :origin ORDER BY id")
          .bind("since", since).bind("origin", origin)
          .map((rs, ctx) -> new Event(rs.getLong("id"), rs.getString("entity"), rs.getLong("entity_id"), Rows.instant(rs, "created_at")))
          .list();
    });
    for (Event e : events) {
      // Marked as seen only once handled: an event whose handling failed (a subscriber's reload could not reach the
      // database) is delivered again by the next poll instead of being lost.
      if (!seen.containsKey(e.id)) {
        deliver(e);
        seen.put(e.id, e.createdAt);
      }
      if (e.createdAt.isAfter(newest)) {
        newest = e.createdAt;
      }
    }
    // The window follows the database's clock too, not only other instances' events: an instance that hears from no
    // other (a single instance) would otherwise scan everything since it started on every poll, and never prune.
    if (databaseNow[0].isAfter(newest)) {
      newest = databaseNow[0];
    }
    Instant forgetBefore = newest.minusSeconds(LOOKBACK_SECONDS);
    seen.values().removeIf(t -> t.isBefore(forgetBefore));
    if (Duration.between(lastPrune, newest).compareTo(PRUNE_EVERY) > 0) {
      lastPrune = newest;
      Instant cutoff = newest.minus(RETENTION);
      jdbi.useHandle(h -> h.createUpdate("DELETE FROM cache_events WHERE created_at < :cutoff").bind("cutoff", cutoff).execute());
    }
  }

  private static Instant databaseNow(Handle h) {
    return h.createQuery("SELECT CURRENT_TIMESTAMP").mapTo(java.time.OffsetDateTime.class).one().toInstant();
  }

  /** The newest time the poll window is anchored at; for tests. */
  synchronized Instant newest() {
    return newest;
  }

  private void deliver(Event e) {
    Entity entity;
    try {
      entity = Entity.valueOf(e.entity);
    } catch (IllegalArgumentException unknown) {
      return; // written by a newer version; not ours to interpret
    }
    for (LongConsumer c : subscribers.getOrDefault(entity, List.of())) {
      c.accept(e.entityId);
    }
  }

  /** Lets a poll in progress finish: a thread inside the embedded database must not be interrupted. */
  @Override
  public void close() {
    poller.shutdown();
    try {
      if (!poller.awaitTermination(5, TimeUnit.SECONDS)) {
        poller.shutdownNow();
      }
    } catch (InterruptedException e) {
      poller.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private record Event(long id, String entity, long entityId, Instant createdAt) {}
}

package dev.graphgate.server.webhook;

import dev.graphgate.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one writer of {@code webhook_events} and {@code webhook_deliveries}: the outbox. Events go in inside the
 * producer's transaction ({@link #insert}); an instance takes a due delivery with one conditional UPDATE
 * ({@link #claim}) that only one instance can win, the same on H2 and PostgreSQL; every later write of that delivery
 * names the lease owner, so an instance whose lease passed to another cannot overwrite it, and a delivered row is never
 * claimed again.
 */
public final class DeliveryRepository {
  /** Due: pending and its time has come, or being sent by an instance whose lease ran out (it died mid-send). */
  private static final String DUE = "((status = 'pending' AND next_attempt_at <= :now) OR (status = 'sending' AND lease_expires_at < :now))";
  private static final String SELECT = """
      SELECT d.*, e.event_id, e.event_type, e.operation FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_row_id""";

  private final Jdbi jdbi;

  public DeliveryRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Writes {@code event} and one pending delivery per destination on the producer's handle; due at {@code now}. */
  void insert(Handle h, OutboxEvent event, List<String> destinations, int attemptLimit, Instant now) {
    long eventRow = h.createUpdate("""
            INSERT INTO webhook_events (event_id, event_type, operation, body, created_at, integration_key, connection_id)
            VALUES (:eventId, :type, :operation, :body, :now, :integration, :connection)""")
        .bind("eventId", event.eventId()).bind("type", event.type()).bind("operation", event.operation().orElse(null))
        .bind("integration", event.integrationKey().orElse(null)).bind("connection", event.connectionId().orElse(null))
        .bind("body", event.body()).bind("now", now)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    for (String destination : destinations) {
      h.createUpdate("""
              INSERT INTO webhook_deliveries (event_row_id, destination, status, attempts, attempt_limit, next_attempt_at, created_at)
              VALUES (:event, :destination, 'pending', 0, :limit, :now, :now)""")
          .bind("event", eventRow).bind("destination", destination).bind("limit", attemptLimit).bind("now", now).execute();
    }
  }

  /** The ids of up to {@code limit} deliveries due at {@code now}, the longest waiting first. */
  List<Long> due(Instant now, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM webhook_deliveries WHERE " + DUE + " ORDER BY next_attempt_at, id LIMIT :limit")
        .bind("now", now).bind("limit", limit).mapTo(Long.class).list());
  }

  /** A delivery this instance holds the lease of, with what it sends. */
  record Claimed(long id, String eventId, String destination, String body, int attempts, int attemptLimit) {}

  /**
   * Takes delivery {@code id} for {@code owner} until {@code leaseUntil} and counts the attempt, if it is still due:
   * empty when another instance took it first (or it is no longer due).
   */
  Optional<Claimed> claim(long id, String owner, Instant now, Instant leaseUntil) {
    return jdbi.inTransaction(h -> {
      int updated = h.createUpdate("UPDATE webhook_deliveries SET status = 'sending', lease_owner = :owner, lease_expires_at = :until,"
              + " attempts = attempts + 1 WHERE id = :id AND " + DUE)
          .bind("owner", owner).bind("until", leaseUntil).bind("id", id).bind("now", now).execute();
      if (updated > 1) {
        throw new IllegalStateException("webhook delivery claim matched " + updated + " rows for id " + id);
      }
      if (updated == 0) {
        return Optional.<Claimed>empty();
      }
      return Optional.of(h.createQuery("""
              SELECT d.id, d.destination, d.attempts, d.attempt_limit, e.event_id, e.body
              FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_row_id WHERE d.id = :id""")
          .bind("id", id)
          .map((rs, ctx) -> new Claimed(rs.getLong("id"), rs.getString("event_id"), rs.getString("destination"), rs.getString("body"),
              rs.getInt("attempts"), rs.getInt("attempt_limit")))
          .one());
    });
  }

  /** The receiver confirmed it: never sent again. False when {@code owner} no longer holds the lease. */
  boolean delivered(long id, String owner, int status, Instant now) {
    return finish(id, owner, "status = 'delivered', delivered_at = :now, last_status = :lastStatus, last_error = NULL", now,
        Optional.of(status), null, null);
  }

  /** Another attempt at {@code next}. */
  boolean retryAt(long id, String owner, Instant next, Optional<Integer> lastStatus, String error, Instant now) {
    return finish(id, owner, "status = 'pending', next_attempt_at = :next, last_status = :lastStatus, last_error = :error", now, lastStatus,
        error, next);
  }

  /** No more attempts: {@code status} is {@code failed} or {@code skipped}. */
  boolean giveUp(long id, String owner, Delivery.Status status, Optional<Integer> lastStatus, String error, Instant now) {
    return finish(id, owner, "status = '" + status.wireName() + "', last_status = :lastStatus, last_error = :error", now, lastStatus, error, null);
  }

  private boolean finish(long id, String owner, String set, Instant now, Optional<Integer> lastStatus, String error, Instant next) {
    return jdbi.withHandle(h -> {
      var update = h.createUpdate("UPDATE webhook_deliveries SET " + set + ", lease_owner = NULL, lease_expires_at = NULL"
              + " WHERE id = :id AND status = 'sending' AND lease_owner = :owner")
          .bind("id", id).bind("owner", owner).bind("now", now).bind("lastStatus", lastStatus.orElse(null));
      if (set.contains(":error")) {
        update.bind("error", error == null ? null : error.substring(0, Math.min(error.length(), 1000)));
      }
      if (next != null) {
        update.bind("next", next);
      }
      return update.execute() == 1;
    });
  }

  /** Deliveries waiting or being sent: the backlog. */
  long backlog() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE status IN ('pending', 'sending')")
        .mapTo(Long.class).one());
  }

  /**
   * The newest deliveries of events about one connection (the event's {@code integration_key} and {@code connection_id},
   * taken from its payload when it was written): for the dashboard's connection page, a page of recent ones.
   */
  public List<Delivery> listForConnection(String integrationKey, String connectionId, int limit) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE e.connection_id = :connection AND e.integration_key = :integration"
            + " ORDER BY d.id DESC LIMIT :limit")
        .bind("connection", connectionId).bind("integration", integrationKey)
        .bind("limit", limit).map((rs, ctx) -> map(rs)).list());
  }

  /** Newest first; {@code status} filters when present. */
  public List<Delivery> list(Optional<Delivery.Status> status, int limit, int page) {
    return jdbi.withHandle(h -> {
      var q = h.createQuery(SELECT + (status.isPresent() ? " WHERE d.status = :status" : "") + " ORDER BY d.id DESC LIMIT :limit OFFSET :offset")
          .bind("limit", limit).bind("offset", (long) page * limit);
      status.ifPresent(s -> q.bind("status", s.wireName()));
      return q.map((rs, ctx) -> map(rs)).list();
    });
  }

  public Optional<Delivery> find(long id) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE d.id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne());
  }

  /**
   * Sends a failed or skipped delivery again (or a pending one sooner): due at {@code now}, with {@code extraAttempts}
   * more attempts. False when it is delivered or being sent (or gone).
   */
  boolean requeue(long id, int extraAttempts, Instant now) {
    return jdbi.withHandle(h -> h.createUpdate("""
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :now, attempt_limit = attempts + :extra
             WHERE id = :id AND status IN ('failed', 'skipped', 'pending')""")
        .bind("now", now).bind("extra", extraAttempts).bind("id", id).execute() == 1);
  }

  private static Delivery map(ResultSet rs) throws SQLException {
    return new Delivery(rs.getLong("id"), rs.getString("event_id"), rs.getString("event_type"), Optional.ofNullable(rs.getString("operation")),
        rs.getString("destination"), Delivery.Status.fromWireName(rs.getString("status")).orElseThrow(), rs.getInt("attempts"),
        rs.getInt("attempt_limit"), Rows.instant(rs, "next_attempt_at"), Optional.ofNullable(Rows.integer(rs, "last_status")),
        Optional.ofNullable(rs.getString("last_error")), Optional.ofNullable(Rows.instant(rs, "delivered_at")), Rows.instant(rs, "created_at"));
  }
}

package dev.graphgate.server.notification;

import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The one writer of {@code graph_subscriptions}. Rows are created idempotently (the unique resource per connection
 * and sync), claimed by a conditional UPDATE that only one instance wins (the lease), and their outcome written only
 * while the writer still holds that lease. The clientState is sealed at rest ({@value #CLIENT_STATE_PURPOSE}).
 */
public final class SubscriptionRepository {
  public static final String CLIENT_STATE_PURPOSE = "graph-subscription-client-state";

  private final Jdbi jdbi;
  private final SecretBox box;

  public SubscriptionRepository(Jdbi jdbi, SecretBox box) {
    this.jdbi = jdbi;
    this.box = box;
  }

  /** A subscription the receiver knows by Graph's id, with what the check needs. */
  record Known(Subscription subscription, String clientState, long integrationId, String tenantId) {}

  /** The subscriptions with these Graph ids, with their unsealed clientState and their connection's integration and tenant. */
  List<Known> byGraphIds(Collection<String> graphIds) {
    if (graphIds.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT s.*, c.integration_id AS integration_id, c.tenant_id AS tenant_id FROM graph_subscriptions s "
            + "JOIN connections c ON c.id = s.connection_id WHERE s.subscription_id IN (<ids>)")
        .bindList("ids", List.copyOf(graphIds))
        .map((rs, ctx) -> new Known(map(rs), box.unseal(rs.getString("client_state_sealed"), CLIENT_STATE_PURPOSE), rs.getLong("integration_id"),
            rs.getString("tenant_id")))
        .list());
  }

  /** Adds a subscription to create at once, unless the connection's sync has one for this resource. Answers whether it added one. */
  boolean addIfMissing(long connectionId, String syncName, SubscriptionPlan.Wanted wanted, String clientState, Instant now) {
    return jdbi.withHandle(h -> {
      boolean exists = h.createQuery("SELECT COUNT(*) FROM graph_subscriptions WHERE connection_id = :c AND sync_name = :s AND resource = :r")
          .bind("c", connectionId).bind("s", syncName).bind("r", wanted.resource()).mapTo(Integer.class).one() > 0;
      if (exists) {
        return false;
      }
      return Rows.orOnUniqueViolation(() -> h.createUpdate("INSERT INTO graph_subscriptions (connection_id, sync_name, resource, change_type, "
              + "client_state_sealed, status, action, due_at, renewals, failures, created_at, updated_at) VALUES (:c, :s, :r, :t, :cs, 'pending', "
              + "'create', :now, 0, 0, :now, :now)")
          .bind("c", connectionId).bind("s", syncName).bind("r", wanted.resource()).bind("t", wanted.changeType())
          .bind("cs", box.seal(clientState, CLIENT_STATE_PURPOSE)).bind("now", now).execute() == 1, () -> false);
    });
  }

  /** The connection and sync pairs whose sync is enabled (a {@code sync_states} row) and that have no subscription yet. */
  record Unplanned(long connectionId, String syncName) {}

  List<Unplanned> unplanned(Collection<String> syncNames) {
    return jdbi.withHandle(h -> h.createQuery("SELECT st.connection_id, st.sync_name FROM sync_states st WHERE st.sync_name IN (<names>) "
            + "AND NOT EXISTS (SELECT 1 FROM graph_subscriptions g WHERE g.connection_id = st.connection_id AND g.sync_name = st.sync_name) "
            + "ORDER BY st.connection_id, st.sync_name")
        .bindList("names", List.copyOf(syncNames))
        .map((rs, ctx) -> new Unplanned(rs.getLong("connection_id"), rs.getString("sync_name"))).list());
  }

  /** Subscriptions whose sync is no longer enabled for their connection are to be deleted at Graph, at once. */
  int markOrphansForDeletion(Instant now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE graph_subscriptions SET action = 'delete', due_at = :now, updated_at = :now "
            + "WHERE action <> 'delete' AND NOT EXISTS (SELECT 1 FROM sync_states st WHERE st.connection_id = graph_subscriptions.connection_id "
            + "AND st.sync_name = graph_subscriptions.sync_name)")
        .bind("now", now).execute());
  }

  /** The ids of subscriptions due for their action and not leased by a live instance, the most overdue first. */
  List<Long> due(Instant now, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM graph_subscriptions WHERE due_at <= :now "
            + "AND (lease_expires_at IS NULL OR lease_expires_at < :now) ORDER BY due_at, id LIMIT :limit")
        .bind("now", now).bind("limit", limit).mapTo(Long.class).list());
  }

  /**
   * Takes the lease on a due subscription: one conditional UPDATE, which only one instance wins. Answers the row with
   * its clientState when this instance won.
   */
  Optional<Known> claim(long id, String owner, Instant now, Duration lease) {
    return jdbi.inTransaction(h -> {
      int won = h.createUpdate("UPDATE graph_subscriptions SET lease_owner = :o, lease_expires_at = :until WHERE id = :id AND due_at <= :now "
              + "AND (lease_expires_at IS NULL OR lease_expires_at < :now)")
          .bind("o", owner).bind("until", now.plus(lease)).bind("id", id).bind("now", now).execute();
      if (won != 1) {
        return Optional.<Known>empty();
      }
      return h.createQuery("SELECT s.*, c.integration_id AS integration_id, c.tenant_id AS tenant_id FROM graph_subscriptions s "
              + "JOIN connections c ON c.id = s.connection_id WHERE s.id = :id")
          .bind("id", id)
          .map((rs, ctx) -> new Known(map(rs), box.unseal(rs.getString("client_state_sealed"), CLIENT_STATE_PURPOSE), rs.getLong("integration_id"),
              rs.getString("tenant_id")))
          .findOne();
    });
  }

  /** Graph created or renewed it: active until {@code expiresAt}, renewed next at {@code renewAt}. Only under the lease. */
  boolean active(long id, String owner, String graphId, Instant expiresAt, Instant renewAt, boolean renewal, Instant now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE graph_subscriptions SET subscription_id = :g, status = 'active', expires_at = :exp, "
            + "action = 'renew', due_at = :renewAt, renewals = renewals + :r, failures = 0, last_error = NULL, lease_owner = NULL, "
            + "lease_expires_at = NULL, updated_at = :now WHERE id = :id AND lease_owner = :o")
        .bind("g", graphId).bind("exp", expiresAt).bind("renewAt", renewAt).bind("r", renewal ? 1 : 0).bind("now", now).bind("id", id)
        .bind("o", owner).execute() == 1);
  }

  /** The action failed: tried again at {@code retryAt}, with the error kept. Only under the lease. */
  boolean failed(long id, String owner, String error, Instant retryAt, Instant now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE graph_subscriptions SET status = CASE WHEN action = 'create' THEN 'failed' ELSE status END, "
            + "failures = failures + 1, last_error = :e, due_at = :retry, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now "
            + "WHERE id = :id AND lease_owner = :o")
        .bind("e", error.length() > 1000 ? error.substring(0, 1000) : error).bind("retry", retryAt).bind("now", now).bind("id", id)
        .bind("o", owner).execute() == 1);
  }

  /** Graph no longer has it (or it must be made anew): created again at once. Under the lease when {@code owner} is given. */
  boolean recreate(long id, Optional<String> owner, Instant now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE graph_subscriptions SET subscription_id = NULL, status = 'pending', expires_at = NULL, "
            + "action = 'create', due_at = :now, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now WHERE id = :id AND action <> 'delete'"
            + (owner.isPresent() ? " AND lease_owner = :o" : ""))
        .bind("now", now).bind("id", id).bind("o", owner.orElse("")).execute() == 1);
  }

  /** A lifecycle event asked for {@code action} (reauthorize, renew) at once, unless it is being deleted. */
  boolean actNow(long id, Subscription.Action action, Instant now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE graph_subscriptions SET action = :a, due_at = :now, updated_at = :now "
            + "WHERE id = :id AND action NOT IN ('delete', 'create')")
        .bind("a", action.wire()).bind("now", now).bind("id", id).execute() == 1);
  }

  /** Removes the row (deleted at Graph, or gone there). Under the lease when {@code owner} is given. */
  boolean remove(long id, Optional<String> owner) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM graph_subscriptions WHERE id = :id" + (owner.isPresent() ? " AND lease_owner = :o" : ""))
        .bind("id", id).bind("o", owner.orElse("")).execute() == 1);
  }

  Optional<Subscription> find(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM graph_subscriptions WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne());
  }

  public List<Subscription> forConnection(long connectionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM graph_subscriptions WHERE connection_id = :c ORDER BY sync_name, resource")
        .bind("c", connectionId).map((rs, ctx) -> map(rs)).list());
  }

  private static Subscription map(ResultSet rs) throws SQLException {
    return new Subscription(rs.getLong("id"), rs.getLong("connection_id"), rs.getString("sync_name"), rs.getString("resource"),
        rs.getString("change_type"), Optional.ofNullable(rs.getString("subscription_id")),
        Subscription.Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)), Optional.ofNullable(Rows.instant(rs, "expires_at")),
        Subscription.Action.valueOf(rs.getString("action").toUpperCase(java.util.Locale.ROOT)), Rows.instant(rs, "due_at"), rs.getInt("renewals"),
        rs.getInt("failures"), Optional.ofNullable(rs.getString("last_error")), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
  }
}

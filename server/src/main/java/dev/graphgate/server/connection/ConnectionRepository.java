package dev.graphgate.server.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.ChangeFeed;
import dev.graphgate.server.storage.Rows;
import dev.graphgate.server.storage.SqlDialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Connections in SQL, and the one writer of the {@code connections} table: its rows, their token state and the
 * refresh lease. Credentials and tokens are sealed on the way in and opened on the way out. Every write of a row
 * increments its {@code row_version} and records a change event in the same transaction, so other instances replace
 * their cached copy; every write of a status goes through {@link StatusChanges}.
 */
public final class ConnectionRepository {
  /** The size of the {@code metadata} column, in characters of JSON. */
  public static final int MAX_METADATA_CHARS = 1_000_000;
  /** The size of the {@code connection_config} column, in characters of JSON. */
  public static final int MAX_CONNECTION_CONFIG_CHARS = 100_000;
  public static final String CREDENTIALS_PURPOSE = "connections.credentials";
  public static final String TOKEN_PURPOSE = "connections.token";

  private static final String SELECT = """
      SELECT c.*, i.unique_key AS integration_key, i.provider AS provider
      FROM connections c JOIN integrations i ON i.id = c.integration_id""";

  private final Jdbi jdbi;
  private final SecretBox box;
  private final SqlDialect dialect;
  private final ChangeFeed feed;
  private final StatusChanges statusChanges;

  public ConnectionRepository(Jdbi jdbi, SecretBox box, SqlDialect dialect, ChangeFeed feed, StatusChanges statusChanges) {
    this.jdbi = jdbi;
    this.box = box;
    this.dialect = dialect;
    this.feed = feed;
    this.statusChanges = statusChanges;
  }

  public Optional<Connection> find(long integrationId, String connectionId) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE c.integration_id = :integrationId AND c.connection_id = :connectionId")
        .bind("integrationId", integrationId).bind("connectionId", connectionId)
        .map((rs, ctx) -> map(rs)).findOne());
  }

  public Optional<Connection> findById(long id) {
    return jdbi.withHandle(h -> findById(h, id));
  }

  private Optional<Connection> findById(Handle h, long id) {
    return h.createQuery(SELECT + " WHERE c.id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  /** Creates the connection or replaces the one with the same key; true in {@code created} when it is new. */
  public Upserted upsert(long integrationId, NewConnection c, ConnectionHealth health, Instant now) {
    // A concurrent import may create the same connection between our look-up and our insert: it exists then, so this
    // import replaces it, as an import of an existing connection does.
    return Rows.orOnUniqueViolation(() -> upsertOnce(integrationId, c, health, now), () -> upsertOnce(integrationId, c, health, now));
  }

  private record IdAndStatus(long id, ConnectionStatus status) {}

  private Upserted upsertOnce(long integrationId, NewConnection c, ConnectionHealth health, Instant now) {
    return jdbi.inTransaction(h -> {
      Optional<IdAndStatus> existing = h.createQuery("SELECT id, status FROM connections WHERE integration_id = :i AND connection_id = :c")
          .bind("i", integrationId).bind("c", c.connectionId())
          .map((rs, ctx) -> new IdAndStatus(rs.getLong("id"), ConnectionStatus.fromWireName(rs.getString("status")))).findOne();
      long id;
      if (existing.isPresent()) {
        id = existing.get().id();
        // The lease is cleared: a refresh still running for the old tenant or credentials must not store its token here.
        bindAll(h.createUpdate("""
                UPDATE connections SET tenant_id = :tenantId, connection_config = :config, credentials_sealed = :credentials,
                       metadata = :metadata, tags = :tags, end_user = :endUser, webhook_url_override = :webhookUrlOverride,
                       token_sealed = :token, token_obtained_at = :obtainedAt, token_expires_at = :expiresAt,
                       token_refresh_at = :refreshAt, granted_roles = :roles, status = :status, status_message = :statusMessage,
                       error_log_id = :errorLogId, last_refresh_success = :lastSuccess, last_refresh_failure = :lastFailure,
                       refresh_attempts = :attempts, refresh_exhausted = :exhausted, updated_at = :now,
                       refresh_lease_owner = NULL, refresh_lease_expires_at = NULL, row_version = row_version + 1
                WHERE id = :id"""), c, health).bind("id", id).bind("now", now).execute();
      } else {
        id = bindAll(h.createUpdate("""
                INSERT INTO connections (integration_id, connection_id, tenant_id, connection_config, credentials_sealed, metadata,
                       tags, end_user, webhook_url_override, token_sealed, token_obtained_at, token_expires_at, token_refresh_at,
                       granted_roles, status, status_message, error_log_id, last_refresh_success, last_refresh_failure,
                       refresh_attempts, refresh_exhausted, created_at, updated_at)
                VALUES (:integrationId, :connectionId, :tenantId, :config, :credentials, :metadata, :tags, :endUser,
                       :webhookUrlOverride, :token, :obtainedAt, :expiresAt, :refreshAt, :roles, :status, :statusMessage,
                       :errorLogId, :lastSuccess, :lastFailure, :attempts, :exhausted, :now, :now)"""), c, health)
            .bind("integrationId", integrationId).bind("connectionId", c.connectionId()).bind("now", now)
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      }
      feed.record(h, ChangeFeed.Entity.CONNECTION, id);
      Connection stored = findById(h, id).orElseThrow();
      statusChanges.stored(h, stored, existing.map(IdAndStatus::status));
      return new Upserted(stored, existing.isEmpty());
    });
  }

  /** Result of {@link #upsert}. */
  public record Upserted(Connection connection, boolean created) {}

  private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindAll(S s, NewConnection c, ConnectionHealth health) {
    s.bind("tenantId", c.tenantId().value())
        .bind("config", Json.write(c.connectionConfig()))
        .bind("credentials", box.seal(credentialsJson(c.credentials()), CREDENTIALS_PURPOSE))
        .bind("metadata", c.metadata().map(Json::write).orElse(null))
        .bind("tags", Json.write(c.tags()))
        .bind("endUser", c.endUser().map(e -> Json.write(e.toJson())).orElse(null))
        .bind("webhookUrlOverride", c.webhookUrlOverride().orElse(null));
    bindToken(s, c.token(), health);
    return s;
  }

  private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> void bindToken(S s, Optional<AccessToken> token, ConnectionHealth health) {
    s.bind("token", token.map(t -> box.seal(tokenJson(t), TOKEN_PURPOSE)).orElse(null))
        .bind("obtainedAt", token.map(AccessToken::obtainedAt).orElse(null))
        .bind("expiresAt", token.map(AccessToken::expiresAt).orElse(null))
        .bind("refreshAt", token.map(AccessToken::refreshAt).orElse(null))
        .bind("roles", token.flatMap(AccessToken::roles).map(Json::write).orElse(null))
        .bind("status", health.status().wireName())
        .bind("statusMessage", health.message().orElse(null))
        .bind("errorLogId", health.errorLogId().orElse(null))
        .bind("lastSuccess", health.lastRefreshSuccess().orElse(null))
        .bind("lastFailure", health.lastRefreshFailure().orElse(null))
        .bind("attempts", health.refreshAttempts().orElse(null))
        .bind("exhausted", health.refreshExhausted());
  }

  /**
   * Takes the connection's refresh lease for {@code owner} until {@code expiresAt}: the cross-instance half of "one
   * token request per connection". One conditional UPDATE that only one instance can win, the same on H2 and
   * PostgreSQL: one row updated means this owner holds it, none that another holder's lease has not expired (or the
   * connection is gone). The lease is not part of the cached connection: taking it changes no version and sends no
   * change event.
   */
  public boolean tryAcquireLease(long id, String owner, Instant now, Instant expiresAt) {
    int updated = jdbi.withHandle(h -> h.createUpdate("""
            UPDATE connections
               SET refresh_lease_owner = :owner, refresh_lease_expires_at = :expiresAt
             WHERE id = :id
               AND (refresh_lease_owner IS NULL OR refresh_lease_expires_at < :now)""")
        .bind("owner", owner).bind("expiresAt", expiresAt).bind("id", id).bind("now", now)
        .execute());
    if (updated > 1) {
      throw new IllegalStateException("refresh lease matched " + updated + " rows for connection " + id);
    }
    return updated == 1;
  }

  /** Gives the lease back, if {@code owner} still holds it. */
  public void releaseLease(long id, String owner) {
    jdbi.useHandle(h -> h.createUpdate("""
            UPDATE connections SET refresh_lease_owner = NULL, refresh_lease_expires_at = NULL
             WHERE id = :id AND refresh_lease_owner = :owner""")
        .bind("id", id).bind("owner", owner).execute());
  }

  /**
   * Stores the outcome of a token request (the new token, or the old one kept, and the health that goes with it) if
   * {@code leaseOwner} still holds the row's refresh lease, and answers the row as stored. Empty when it does not: the
   * connection was deleted or imported again (which clears the lease) while its token was being fetched, or the lease
   * passed to another instance.
   */
  public Optional<Connection> saveTokenState(long id, String leaseOwner, Optional<AccessToken> token, ConnectionHealth health) {
    return jdbi.inTransaction(h -> {
      Optional<ConnectionStatus> before = h.createQuery("SELECT status FROM connections WHERE id = :id AND refresh_lease_owner = :owner")
          .bind("id", id).bind("owner", leaseOwner).mapTo(String.class).findOne().map(ConnectionStatus::fromWireName);
      if (before.isEmpty()) {
        return Optional.<Connection>empty();
      }
      var update = h.createUpdate("""
          UPDATE connections SET token_sealed = :token, token_obtained_at = :obtainedAt, token_expires_at = :expiresAt,
                 token_refresh_at = :refreshAt, granted_roles = :roles, status = :status, status_message = :statusMessage,
                 error_log_id = :errorLogId, last_refresh_success = :lastSuccess, last_refresh_failure = :lastFailure,
                 refresh_attempts = :attempts, refresh_exhausted = :exhausted, row_version = row_version + 1
          WHERE id = :id AND refresh_lease_owner = :owner""").bind("id", id).bind("owner", leaseOwner);
      bindToken(update, token, health);
      if (update.execute() == 0) {
        return Optional.<Connection>empty();
      }
      feed.record(h, ChangeFeed.Entity.CONNECTION, id);
      Connection stored = findById(h, id).orElseThrow();
      statusChanges.refreshed(h, stored, before.get());
      return Optional.of(stored);
    });
  }

  /**
   * After an admin granted consent in a tenant: connections there that lacked it get their token refreshed on the next
   * read, without the failure backoff. Returns their ids.
   */
  public List<Long> consentGranted(String tenantId, Instant now) {
    return jdbi.inTransaction(h -> {
      List<Long> ids = h.createQuery("SELECT id FROM connections WHERE tenant_id = :tenant AND status IN ('consent_missing', 'app_not_in_tenant')")
          .bind("tenant", tenantId).mapTo(Long.class).list();
      for (long id : ids) {
        h.createUpdate("UPDATE connections SET token_refresh_at = CASE WHEN token_refresh_at IS NULL THEN NULL ELSE :now END,"
                + " last_refresh_failure = NULL, refresh_attempts = NULL, refresh_exhausted = FALSE, row_version = row_version + 1"
                + " WHERE id = :id")
            .bind("now", now).bind("id", id).execute();
        feed.record(h, ChangeFeed.Entity.CONNECTION, id);
      }
      return ids;
    });
  }

  public boolean delete(long id) {
    return jdbi.inTransaction(h -> {
      int n = h.createUpdate("DELETE FROM connections WHERE id = :id").bind("id", id).execute();
      feed.record(h, ChangeFeed.Entity.CONNECTION, id);
      return n > 0;
    });
  }

  /**
   * Replaces ({@code merge=false}) or shallow-merges the metadata of these connections, in one transaction. A merge reads
   * each row under a row lock ({@code SELECT ... FOR UPDATE}, on H2 and PostgreSQL alike), so concurrent merges of
   * different keys all land instead of the last one overwriting the others; rows are locked in id order, so two
   * merges of the same connections cannot deadlock.
   */
  public void writeMetadata(List<Long> ids, ObjectNode metadata, boolean merge, Instant now) {
    jdbi.useTransaction(h -> {
      for (long id : ids.stream().sorted().distinct().toList()) {
        ObjectNode value = metadata.deepCopy();
        if (merge) {
          List<String> current = h.createQuery("SELECT metadata FROM connections WHERE id = :id FOR UPDATE").bind("id", id)
              .map((rs, ctx) -> rs.getString("metadata")).list();
          if (current.isEmpty()) {
            continue; // deleted meanwhile
          }
          JsonNode stored = current.get(0) == null ? null : Json.parse(current.get(0));
          if (stored != null && stored.isObject()) {
            ObjectNode merged = ((ObjectNode) stored).deepCopy();
            merged.setAll(value);
            value = merged;
          }
        }
        String json = Json.write(value);
        if (json.length() > MAX_METADATA_CHARS) {
          // Thrown inside the transaction: nothing of this write is kept, for any of the connections.
          throw InvalidRequest.bodyField("metadata is at most " + MAX_METADATA_CHARS + " characters of JSON"
              + (merge ? " once merged with what is stored" : ""), "metadata");
        }
        h.createUpdate("UPDATE connections SET metadata = :metadata, updated_at = :now, row_version = row_version + 1 WHERE id = :id")
            .bind("metadata", json).bind("now", now).bind("id", id).execute();
        feed.record(h, ChangeFeed.Entity.CONNECTION, id);
      }
    });
  }

  /**
   * Sets only the columns given (present), so a concurrent patch of another field, or another instance's change not yet
   * in this instance's cache, is not overwritten with a stale copy. {@code webhookUrlOverride}: absent leaves it,
   * present-and-empty clears it.
   */
  public void patch(long id, Optional<Map<String, String>> tags, Optional<EndUser> endUser, Optional<Optional<String>> webhookUrlOverride,
      Instant now) {
    StringBuilder set = new StringBuilder("updated_at = :now, row_version = row_version + 1");
    tags.ifPresent(t -> set.append(", tags = :tags"));
    endUser.ifPresent(e -> set.append(", end_user = :endUser"));
    webhookUrlOverride.ifPresent(o -> set.append(", webhook_url_override = :override"));
    jdbi.useTransaction(h -> {
      var update = h.createUpdate("UPDATE connections SET " + set + " WHERE id = :id").bind("now", now).bind("id", id);
      tags.ifPresent(t -> update.bind("tags", Json.write(t)));
      endUser.ifPresent(e -> update.bind("endUser", Json.write(e.toJson())));
      webhookUrlOverride.ifPresent(o -> update.bind("override", o.orElse(null)));
      update.execute();
      feed.record(h, ChangeFeed.Entity.CONNECTION, id);
    });
  }

  /** Write-behind of {@code last_fetched_at}; not a change other instances need to hear about. */
  public void saveLastFetched(Map<Long, Instant> lastFetched) {
    if (lastFetched.isEmpty()) {
      return;
    }
    jdbi.useHandle(h -> {
      var batch = h.prepareBatch("UPDATE connections SET last_fetched_at = :at WHERE id = :id");
      lastFetched.forEach((id, at) -> batch.bind("at", at).bind("id", id).add());
      batch.execute();
    });
  }

  public List<ConnectionSummary> list(ConnectionQuery q) {
    StringBuilder sql = new StringBuilder("""
        SELECT c.id, c.connection_id, c.status, c.error_log_id, c.end_user, c.tags, c.metadata, c.created_at,
               i.unique_key AS integration_key, i.provider AS provider
        FROM connections c JOIN integrations i ON i.id = c.integration_id WHERE 1 = 1""");
    Map<String, Object> binds = new LinkedHashMap<>();
    q.connectionId().ifPresent(v -> {
      sql.append(" AND c.connection_id = :connectionId");
      binds.put("connectionId", v);
    });
    q.search().ifPresent(v -> {
      sql.append(" AND (").append(dialect.containsIgnoreCase("c.connection_id", "search")).append(" OR ")
          .append(dialect.containsIgnoreCase("c.end_user", "search")).append(")");
      binds.put("search", SqlDialect.likePattern(v));
    });
    if (!q.integrationKeys().isEmpty()) {
      List<String> names = new ArrayList<>();
      for (int n = 0; n < q.integrationKeys().size(); n++) {
        names.add(":key" + n);
        binds.put("key" + n, q.integrationKeys().get(n));
      }
      sql.append(" AND i.unique_key IN (").append(String.join(", ", names)).append(")");
    }
    // End-user and tag filters compare values inside JSON columns; they run here, before paging, so the SQL stays the
    // same on both databases. Without them, the database pages.
    boolean filterHere = q.endUserId().isPresent() || q.endUserOrganizationId().isPresent() || !q.tags().isEmpty();
    sql.append(" ORDER BY c.created_at DESC, c.id DESC");
    if (!filterHere) {
      sql.append(" LIMIT :limit OFFSET :offset");
      binds.put("limit", q.limit());
      binds.put("offset", (long) q.page() * q.limit());
    }
    List<ConnectionSummary> rows = jdbi.withHandle(h -> {
      Query query = h.createQuery(sql.toString());
      binds.forEach(query::bind);
      return query.map((rs, ctx) -> summary(rs)).list();
    });
    if (!filterHere) {
      return rows;
    }
    return rows.stream()
        .filter(r -> q.endUserId().isEmpty() || r.endUser().map(e -> e.path("id").asText("")).orElse("").equals(q.endUserId().get()))
        .filter(r -> q.endUserOrganizationId().isEmpty()
            || r.endUser().map(e -> e.path("organization").path("id").asText("")).orElse("").equals(q.endUserOrganizationId().get()))
        .filter(r -> q.tags().entrySet().stream().allMatch(t -> t.getValue().equals(r.tags().get(t.getKey()))))
        .skip((long) q.page() * q.limit())
        .limit(q.limit())
        .toList();
  }

  /** {@link ConnectionService#browse}: served by connections_connection_id, connections_integration or the primary key. */
  public List<ConnectionSummary> browse(Optional<String> idPrefix, Optional<String> integrationKey, Optional<Long> before, int limit) {
    StringBuilder sql = new StringBuilder("""
        SELECT c.id, c.connection_id, c.status, c.error_log_id, c.end_user, c.tags, c.metadata, c.created_at,
               i.unique_key AS integration_key, i.provider AS provider
        FROM connections c JOIN integrations i ON i.id = c.integration_id WHERE 1 = 1""");
    idPrefix.ifPresent(v -> sql.append(" AND ").append(SqlDialect.startsWith("c.connection_id", "prefix")));
    integrationKey.ifPresent(v -> sql.append(" AND c.integration_id = (SELECT id FROM integrations WHERE unique_key = :integration)"));
    // A bound on the id on the first page too, but for a prefix search: without one, the first page took 12 times as
    // long as a deep one on H2 at 10,000 connections; with one, a prefix search left the connection id's index for
    // the primary key (10 times slower). benchmarks/README.md, the dashboard.
    boolean bounded = before.isPresent() || idPrefix.isEmpty();
    sql.append(bounded ? " AND c.id < :before" : "").append(" ORDER BY c.id DESC LIMIT :limit");
    return jdbi.withHandle(h -> {
      Query query = h.createQuery(sql.toString()).bind("limit", limit);
      idPrefix.ifPresent(v -> query.bind("prefix", SqlDialect.prefixPattern(v)));
      integrationKey.ifPresent(v -> query.bind("integration", v));
      if (bounded) {
        query.bind("before", before.orElse(Long.MAX_VALUE));
      }
      return query.map((rs, ctx) -> summary(rs)).list();
    });
  }

  private ConnectionSummary summary(ResultSet rs) throws SQLException {
    return new ConnectionSummary(rs.getLong("id"), rs.getString("connection_id"), rs.getString("integration_key"),
        rs.getString("provider"), ConnectionStatus.fromWireName(rs.getString("status")),
        Optional.ofNullable(rs.getString("error_log_id")), json(rs.getString("end_user")), tags(rs.getString("tags")),
        json(rs.getString("metadata")), Rows.instant(rs, "created_at"));
  }

  private Connection map(ResultSet rs) throws SQLException {
    Optional<AccessToken> token = Optional.empty();
    String sealedToken = rs.getString("token_sealed");
    if (sealedToken != null) {
      JsonNode t = Json.parse(box.unseal(sealedToken, TOKEN_PURPOSE));
      String rolesJson = rs.getString("granted_roles");
      Optional<List<String>> roles = rolesJson == null ? Optional.empty()
          : Optional.of(Json.MAPPER.convertValue(Json.parse(rolesJson), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class)));
      token = Optional.of(new AccessToken(Secret.of(t.path("token").asText()), Secret.of(Json.write(t.path("raw"))),
          Rows.instant(rs, "token_obtained_at"), Rows.instant(rs, "token_expires_at"), Rows.instant(rs, "token_refresh_at"), roles,
          t.hasNonNull("forced_at") ? Optional.of(java.time.Instant.parse(t.path("forced_at").asText())) : Optional.empty()));
    }
    ConnectionHealth health = new ConnectionHealth(ConnectionStatus.fromWireName(rs.getString("status")),
        Optional.ofNullable(rs.getString("status_message")), Optional.ofNullable(rs.getString("error_log_id")),
        Optional.ofNullable(Rows.instant(rs, "last_refresh_success")), Optional.ofNullable(Rows.instant(rs, "last_refresh_failure")),
        Optional.ofNullable(Rows.integer(rs, "refresh_attempts")), rs.getBoolean("refresh_exhausted"));
    ObjectNode config = (ObjectNode) Json.parse(rs.getString("connection_config"));
    return new Connection(rs.getLong("id"), rs.getLong("integration_id"), rs.getString("integration_key"), rs.getString("provider"),
        rs.getString("connection_id"), TenantId.parse(rs.getString("tenant_id")), config.path("oauth_scopes").asText(""), config,
        credentials(box.unseal(rs.getString("credentials_sealed"), CREDENTIALS_PURPOSE)), json(rs.getString("metadata")),
        tags(rs.getString("tags")), json(rs.getString("end_user")), Optional.ofNullable(rs.getString("webhook_url_override")),
        token, health, Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), rs.getLong("row_version"));
  }

  private static Optional<JsonNode> json(String s) {
    return s == null ? Optional.empty() : Optional.of(Json.parse(s));
  }

  private static Map<String, String> tags(String s) {
    Map<String, String> tags = new LinkedHashMap<>();
    Json.parse(s).properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    return tags;
  }

  static String credentialsJson(ConnectionCredentials credentials) {
    ObjectNode n = Json.object();
    switch (credentials) {
      case ConnectionCredentials.ClientSecret c -> n.put("type", "OAUTH2_CC").put("client_id", c.clientId()).put("client_secret", c.clientSecret().reveal());
      case ConnectionCredentials.Certificate c -> {
        n.put("type", "TWO_STEP").put("clientId", c.clientId()).put("privateKey", c.privateKeyPem().reveal())
            .put("certificateThumbprint", c.thumbprint());
        c.certificatePem().ifPresent(p -> n.put("certificate", p));
      }
    }
    return Json.write(n);
  }

  static ConnectionCredentials credentials(String json) {
    JsonNode n = Json.parse(json);
    return switch (n.path("type").asText()) {
      case "OAUTH2_CC" -> new ConnectionCredentials.ClientSecret(n.path("client_id").asText(), Secret.of(n.path("client_secret").asText()));
      case "TWO_STEP" -> new ConnectionCredentials.Certificate(n.path("clientId").asText(), Secret.of(n.path("privateKey").asText()),
          n.path("certificateThumbprint").asText(), Optional.ofNullable(n.get("certificate")).map(JsonNode::asText));
      default -> throw new IllegalStateException("stored credentials of an unknown type");
    };
  }

  static String tokenJson(AccessToken t) {
    ObjectNode n = Json.object();
    n.put("token", t.value().reveal());
    n.set("raw", Json.parse(t.rawResponse().reveal()));
    t.forcedAt().ifPresent(at -> n.put("forced_at", at.toString()));
    return Json.write(n);
  }
}

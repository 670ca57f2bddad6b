package dev.graphgate.server.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Connect sessions in SQL, and the one writer of {@code connect_sessions}. A session is found by its token's SHA-256,
 * never by the token; its terms are stored as the JSON they were validated into and read back into the same values.
 * Every instance on the database reads the same rows, so a session created on one works on all.
 */
final class ConnectSessionRepository {
  private static final String SELECT = "SELECT * FROM connect_sessions";

  private final Jdbi jdbi;

  ConnectSessionRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  long insert(String tokenSha256, SessionTerms t, Instant createdAt, Instant expiresAt) {
    return jdbi.withHandle(h -> h.createUpdate("""
            INSERT INTO connect_sessions (token_sha256, created_at, expires_at, end_user, organization, tags, allowed_integrations,
                   integrations_config_defaults, overrides, webhook_url_override, connection_id)
            VALUES (:token, :createdAt, :expiresAt, :endUser, :organization, :tags, :allowed, :defaults, :overrides, :webhook, :connection)""")
        .bind("token", tokenSha256).bind("createdAt", createdAt).bind("expiresAt", expiresAt)
        .bind("endUser", t.endUser().map(e -> Json.write(e.toJson())).orElse(null))
        .bind("organization", t.organization().map(o -> Json.write(organization(o))).orElse(null))
        .bind("tags", t.tags().map(Json::write).orElse(null))
        .bind("allowed", t.allowedIntegrations().map(Json::write).orElse(null))
        .bind("defaults", t.defaults().isEmpty() ? null : Json.write(defaults(t.defaults())))
        .bind("overrides", t.overrides().isEmpty() ? null : Json.write(overrides(t.overrides())))
        .bind("webhook", t.webhookUrlOverride().orElse(null))
        .bind("connection", t.reconnecting().orElse(null))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  Optional<ConnectSession> findByTokenSha256(String tokenSha256) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE token_sha256 = :token").bind("token", tokenSha256)
        .map((rs, ctx) -> map(rs)).findOne());
  }

  Optional<ConnectSession> findById(long id) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne());
  }

  boolean delete(long id) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM connect_sessions WHERE id = :id").bind("id", id).execute() > 0);
  }

  int deleteExpiredBefore(Instant cutoff) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM connect_sessions WHERE expires_at < :cutoff").bind("cutoff", cutoff).execute());
  }

  private static ConnectSession map(ResultSet rs) throws SQLException {
    long connectionId = rs.getLong("connection_id");
    Optional<Long> reconnecting = rs.wasNull() ? Optional.empty() : Optional.of(connectionId);
    SessionTerms terms = new SessionTerms(
        json(rs, "end_user").map(ConnectSessionRepository::endUser),
        json(rs, "organization").map(ConnectSessionRepository::organization),
        json(rs, "tags").map(ConnectSessionRepository::strings),
        json(rs, "allowed_integrations").map(ConnectSessionRepository::list),
        json(rs, "integrations_config_defaults").map(ConnectSessionRepository::defaults).orElse(Map.of()),
        json(rs, "overrides").map(ConnectSessionRepository::overrides).orElse(Map.of()),
        Optional.ofNullable(rs.getString("webhook_url_override")),
        reconnecting);
    return new ConnectSession(rs.getLong("id"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), terms);
  }

  private static Optional<JsonNode> json(ResultSet rs, String column) throws SQLException {
    String s = rs.getString(column);
    return s == null ? Optional.empty() : Optional.of(Json.parse(s));
  }

  /** The stored form is {@link EndUser#toJson()}: every key present, null where nothing was given. */
  static EndUser endUser(JsonNode n) {
    JsonNode org = n.path("organization");
    return new EndUser(n.path("id").asText(), text(n, "email"), text(n, "display_name"), strings(n.path("tags")),
        org.isObject() ? Optional.of(organization(org)) : Optional.empty());
  }

  private static ObjectNode organization(EndUser.Organization o) {
    ObjectNode n = Json.object().put("id", o.id());
    n.put("display_name", o.displayName().orElse(null));
    return n;
  }

  private static EndUser.Organization organization(JsonNode n) {
    return new EndUser.Organization(n.path("id").asText(), text(n, "display_name"));
  }

  private static Optional<String> text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  private static List<String> list(JsonNode n) {
    List<String> l = new ArrayList<>();
    n.forEach(v -> l.add(v.asText()));
    return l;
  }

  private static ObjectNode defaults(Map<String, SessionTerms.IntegrationDefaults> defaults) {
    ObjectNode n = Json.object();
    defaults.forEach((key, d) -> {
      ObjectNode o = n.putObject(key);
      d.userScopes().ifPresent(s -> o.put("user_scopes", s));
      d.authorizationParams().ifPresent(p -> {
        ObjectNode params = o.putObject("authorization_params");
        p.forEach(params::put);
      });
      d.connectionConfig().ifPresent(c -> o.set("connection_config", c));
    });
    return n;
  }

  private static Map<String, SessionTerms.IntegrationDefaults> defaults(JsonNode n) {
    Map<String, SessionTerms.IntegrationDefaults> m = new LinkedHashMap<>();
    n.properties().forEach(e -> {
      JsonNode d = e.getValue();
      m.put(e.getKey(), new SessionTerms.IntegrationDefaults(text(d, "user_scopes"),
          d.has("authorization_params") ? Optional.of(strings(d.get("authorization_params"))) : Optional.empty(),
          d.path("connection_config").isObject() ? Optional.of((ObjectNode) d.get("connection_config")) : Optional.empty()));
    });
    return m;
  }

  private static ObjectNode overrides(Map<String, SessionTerms.IntegrationOverrides> overrides) {
    ObjectNode n = Json.object();
    overrides.forEach((key, o) -> {
      ObjectNode v = n.putObject(key);
      o.docsConnect().ifPresent(d -> v.put("docs_connect", d));
    });
    return n;
  }

  private static Map<String, SessionTerms.IntegrationOverrides> overrides(JsonNode n) {
    Map<String, SessionTerms.IntegrationOverrides> m = new LinkedHashMap<>();
    n.properties().forEach(e -> m.put(e.getKey(), new SessionTerms.IntegrationOverrides(text(e.getValue(), "docs_connect"))));
    return m;
  }
}

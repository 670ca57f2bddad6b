package dev.graphgate.server.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.entra.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection: one customer tenant reached through one integration. {@code connectionConfig} is Nango's map
 * ({@code tenantId}, {@code oauth_scopes} frozen at creation, anything else the caller stored); treat the JSON values as
 * read-only, since connections are shared between threads. {@code endUser} is the stored JSON ({@link EndUser#toJson()}
 * for every end user written since end users are validated; a row written before may hold another object).
 * {@code version} is the row's {@code row_version}: it grows with every write, so of two copies of one connection the
 * one with the higher version is the newer.
 */
public record Connection(
    long id,
    long integrationId,
    String integrationKey,
    String provider,
    String connectionId,
    TenantId tenantId,
    String scopes,
    ObjectNode connectionConfig,
    ConnectionCredentials credentials,
    Optional<JsonNode> metadata,
    Map<String, String> tags,
    Optional<JsonNode> endUser,
    Optional<String> webhookUrlOverride,
    Optional<AccessToken> token,
    ConnectionHealth health,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  public Connection {
    Objects.requireNonNull(connectionId);
    Objects.requireNonNull(tenantId);
    Objects.requireNonNull(credentials);
    Objects.requireNonNull(health);
    tags = Map.copyOf(tags);
  }

  public ConnectionKey key() {
    return new ConnectionKey(integrationKey, connectionId);
  }

  /**
   * This connection with a token and health that live only in this instance's memory (the database could not be
   * written): same version, so the next copy read from the database replaces it.
   */
  public Connection withToken(Optional<AccessToken> newToken, ConnectionHealth newHealth) {
    return new Connection(id, integrationId, integrationKey, provider, connectionId, tenantId, scopes, connectionConfig,
        credentials, metadata, tags, endUser, webhookUrlOverride, newToken, newHealth, createdAt, updatedAt, version);
  }

  /** The token, when there is one that Graph still accepts at {@code now}. */
  public Optional<AccessToken> validTokenAt(Instant now) {
    return token.filter(t -> t.isValidAt(now));
  }
}

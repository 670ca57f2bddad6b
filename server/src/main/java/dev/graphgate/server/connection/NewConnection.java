package dev.graphgate.server.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.entra.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A connection to create, or to replace when one with the same key exists (Nango's import semantics). */
public record NewConnection(
    String connectionId,
    TenantId tenantId,
    String scopes,
    ObjectNode connectionConfig,
    ConnectionCredentials credentials,
    Optional<AccessToken> token,
    Optional<JsonNode> metadata,
    Map<String, String> tags,
    Optional<EndUser> endUser,
    Optional<String> webhookUrlOverride) {

  public NewConnection {
    Objects.requireNonNull(connectionId);
    Objects.requireNonNull(tenantId);
    Objects.requireNonNull(scopes);
    Objects.requireNonNull(credentials);
    Objects.requireNonNull(endUser);
    tags = Map.copyOf(tags);
  }
}

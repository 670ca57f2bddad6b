package dev.graphgate.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.provider.AuthMode;
import dev.graphgate.server.provider.ProviderRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@code auth} payloads of nango-api.md §7.3: a connection created or overridden ({@code success: true}), a token
 * refresh that failed ({@code operation: "refresh"}), and Graphgate's own creation failure, which Nango never sends:
 * {@code operation: "creation"}, {@code success: false}, no {@code connectionId} (nothing was stored), and an
 * {@code error} whose {@code type} is the API's error code and {@code description} its message, plus the
 * {@code status} the connection would have had.
 */
public final class AuthPayloads {
  /** Nango's name of the environment; Graphgate has one. */
  public static final String ENVIRONMENT = "prod";

  private final ProviderRegistry providers;
  private final Supplier<String> ids;

  public AuthPayloads(ProviderRegistry providers) {
    this(providers, () -> UUID.randomUUID().toString());
  }

  AuthPayloads(ProviderRegistry providers, Supplier<String> ids) {
    this.providers = providers;
    this.ids = ids;
  }

  /** {@code creation} for a new connection, {@code override} when an existing one was replaced. */
  public OutboxEvent stored(Connection c, boolean created) {
    String operation = created ? "creation" : "override";
    ObjectNode n = base(operation, true, c.integrationKey(), c.provider(), c.tags());
    n.put("connectionId", c.connectionId());
    c.endUser().flatMap(AuthPayloads::endUser).ifPresent(e -> n.set("endUser", e));
    return new OutboxEvent(ids.get(), "auth", Optional.of(operation), n);
  }

  public OutboxEvent refreshFailed(Connection c) {
    ObjectNode n = base("refresh", false, c.integrationKey(), c.provider(), c.tags());
    n.put("connectionId", c.connectionId());
    n.putObject("error").put("type", errorType(c.provider()))
        .put("description", c.health().message().orElse("The token request failed (" + c.health().status().wireName() + ")."));
    return new OutboxEvent(ids.get(), "auth", Optional.of("refresh"), n);
  }

  /** A connect session's creation that Entra refused: {@code errorCode}/{@code message} as the API answered them. */
  public OutboxEvent creationFailed(CreationFailure f) {
    ObjectNode n = base("creation", false, f.integrationKey(), f.provider(), f.tags());
    f.endUser().map(e -> endUser(e.toJson())).flatMap(x -> x).ifPresent(e -> n.set("endUser", e));
    n.putObject("error").put("type", f.errorCode()).put("description", f.message()).put("status", f.status());
    return new OutboxEvent(ids.get(), "auth", Optional.of("creation"), n);
  }

  private ObjectNode base(String operation, boolean success, String integrationKey, String provider, Map<String, String> tags) {
    ObjectNode n = Json.object();
    n.put("from", "nango").put("type", "auth").put("operation", operation).put("success", success)
        .put("providerConfigKey", integrationKey).put("provider", provider).put("authMode", authMode(provider).name())
        .put("environment", ENVIRONMENT);
    ObjectNode t = n.putObject("tags");
    tags.forEach(t::put);
    return n;
  }

  private AuthMode authMode(String provider) {
    return providers.find(provider).map(p -> p.authMode()).orElse(AuthMode.OAUTH2_CC);
  }

  private String errorType(String provider) {
    return authMode(provider) == AuthMode.TWO_STEP ? "two_step_credentials_fetch_error" : "client_credentials_fetch_error";
  }

  /** Nango's {@code endUser} of a webhook, from the stored end user ({@link EndUser#toJson()}). */
  private static Optional<JsonNode> endUser(JsonNode stored) {
    if (stored == null || !stored.hasNonNull("id")) {
      return Optional.empty();
    }
    ObjectNode e = Json.object();
    e.put("endUserId", stored.path("id").asText());
    if (stored.hasNonNull("email")) {
      e.put("endUserEmail", stored.path("email").asText());
    }
    if (stored.path("organization").hasNonNull("id")) {
      e.put("organizationId", stored.path("organization").path("id").asText());
    }
    e.set("tags", stored.path("tags").isObject() ? stored.path("tags").deepCopy() : Json.object());
    return Optional.of(e);
  }
}

package dev.graphgate.server.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.connection.EndUser;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the customer's backend allowed one end user to connect, as validated from {@code POST /connect/sessions} (or
 * {@code /reconnect}): who the end user is, the tags their connections get, which integrations they may connect, the
 * values the Connect UI fills in for them, and, for a reconnect session, the one connection they may replace.
 *
 * @param endUser the end user, with the session's organization in it; empty for a tags-only session
 * @param organization the organization as sent at the top level (it names the tags {@code organization_*})
 * @param tags the tags a connection made with this session gets; empty when none were given (a reconnect session then
 *     keeps the connection's own)
 * @param allowedIntegrations the integrations the end user may connect; empty allows every one
 * @param defaults per integration key: values the Connect UI fills in and the creation merges over what the page sends
 * @param overrides per integration key: what the Connect UI shows differently
 * @param reconnecting the row id of the connection a reconnect session replaces
 */
public record SessionTerms(
    Optional<EndUser> endUser,
    Optional<EndUser.Organization> organization,
    Optional<Map<String, String>> tags,
    Optional<List<String>> allowedIntegrations,
    Map<String, IntegrationDefaults> defaults,
    Map<String, IntegrationOverrides> overrides,
    Optional<String> webhookUrlOverride,
    Optional<Long> reconnecting) {

  public SessionTerms {
    Objects.requireNonNull(endUser);
    Objects.requireNonNull(organization);
    tags = tags.map(SessionTerms::ordered);
    allowedIntegrations = allowedIntegrations.map(List::copyOf);
    defaults = ordered(defaults);
    overrides = ordered(overrides);
    Objects.requireNonNull(webhookUrlOverride);
    Objects.requireNonNull(reconnecting);
  }

  /**
   * {@code integrations_config_defaults.<key>}: {@code user_scopes} and {@code authorization_params} are kept and shown
   * as given (client credentials use neither); {@code connection_config} values are filled into the Connect UI's form
   * and win over what the page sends.
   */
  public record IntegrationDefaults(Optional<String> userScopes, Optional<Map<String, String>> authorizationParams,
      Optional<ObjectNode> connectionConfig) {
    public IntegrationDefaults {
      authorizationParams = authorizationParams.map(SessionTerms::ordered);
      connectionConfig = connectionConfig.map(ObjectNode::deepCopy);
    }

    /** The string values of {@code connection_config} (Nango keeps only those when it merges them). */
    public Map<String, String> configStrings() {
      Map<String, String> strings = new LinkedHashMap<>();
      connectionConfig.ifPresent(c -> c.properties().forEach(e -> {
        JsonNode v = e.getValue();
        if (v.isTextual()) {
          strings.put(e.getKey(), v.textValue());
        }
      }));
      return strings;
    }

    @Override
    public Optional<ObjectNode> connectionConfig() {
      return connectionConfig.map(ObjectNode::deepCopy);
    }
  }

  /** {@code overrides.<key>}: the documentation link the Connect UI shows instead of the provider's. */
  public record IntegrationOverrides(Optional<String> docsConnect) {
    public IntegrationOverrides {
      Objects.requireNonNull(docsConnect);
    }
  }

  /** An unmodifiable copy that keeps the order the caller gave (shown back as given). */
  static <V> Map<String, V> ordered(Map<String, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** Whether the end user may connect the integration {@code key}. */
  public boolean allows(String key) {
    return allowedIntegrations.map(list -> list.contains(key)).orElse(true);
  }

  /** The string values the session presets for {@code key}'s connection configuration. */
  public Map<String, String> presets(String key) {
    IntegrationDefaults d = defaults.get(key);
    return d == null ? Map.of() : d.configStrings();
  }
}

package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidScope;
import dev.graphgate.server.GraphgateException.InvalidTenantId;
import dev.graphgate.server.Json;
import dev.graphgate.server.connect.SessionTags;
import dev.graphgate.server.connect.SessionTerms;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.integration.IntegrationService;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code POST /connect/sessions} and {@code POST /connect/sessions/reconnect} into {@link SessionTerms}, by the
 * rules of Nango's code (nango-api.md §3.5): strict bodies, {@code end_user} required unless top-level {@code tags} are
 * given, Nango's tag rules, every integration named must exist. Graphgate checks more than Nango, so a mistake shows
 * when the session is created rather than when the end user connects: preset tenant ids and scopes follow the rules
 * every connection does, and {@code docs_connect} and {@code webhook_url_override} must be http(s) URLs.
 */
final class ConnectSessionReader {
  static final Set<String> CREATE_KEYS = Set.of("end_user", "organization", "tags", "allowed_integrations", "integrations_config_defaults",
      "overrides", "webhook_url_override");
  static final Set<String> RECONNECT_KEYS = Set.of("connection_id", "integration_id", "end_user", "organization", "tags",
      "integrations_config_defaults", "overrides", "webhook_url_override");
  private static final Set<String> DEFAULTS_KEYS = Set.of("user_scopes", "authorization_params", "connection_config");
  private static final Set<String> OVERRIDES_KEYS = Set.of("docs_connect");
  private static final int MAX_URL_LENGTH = 2048;
  /** Each integration's defaults, as JSON; the column holds them all for every integration there is. */
  private static final int MAX_DEFAULTS_CHARS = 10_000;
  /** More than any deployment has integrations; keeps the stored list within its column. */
  private static final int MAX_ALLOWED = 100;

  private final IntegrationService integrations;

  ConnectSessionReader(IntegrationService integrations) {
    this.integrations = integrations;
  }

  /**
   * The terms of a session. {@code reconnecting} is the row id of the connection a reconnect session replaces (its
   * integration is then the only one allowed); a new session's end user is required unless it has tags.
   */
  SessionTerms read(Fields f, Optional<Long> reconnecting, Optional<String> reconnectIntegration) {
    Optional<EndUser> endUser = EndUserReader.read(f, "end_user");
    Optional<EndUser.Organization> organization = EndUserReader.organization(f, "organization");
    Optional<Map<String, String>> tags = f.tags("tags");
    if (reconnecting.isEmpty() && !f.has("end_user") && !f.has("tags")) {
      f.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected object, received undefined (give end_user, or tags)", "end_user");
    }
    Optional<List<String>> allowed = reconnectIntegration.map(List::of).or(() -> allowedIntegrations(f));
    Map<String, SessionTerms.IntegrationDefaults> defaults = new LinkedHashMap<>();
    Optional<String> hoistedWebhook = defaults(f, defaults);
    Map<String, SessionTerms.IntegrationOverrides> overrides = overrides(f);
    Optional<String> webhook = f.has("webhook_url_override") ? url(f, "webhook_url_override", true) : hoistedWebhook;
    Optional<EndUser> merged = endUser.map(u -> organization.isEmpty() ? u
        : new EndUser(u.id(), u.email(), u.displayName(), u.tags(), organization));
    Optional<Map<String, String>> effective = SessionTags.of(merged, organization.or(() -> merged.flatMap(EndUser::organization)), tags);
    if (effective.isPresent() && effective.get().size() > EndUser.MAX_TAGS) {
      f.error(FieldError.Kind.TOO_BIG, "With the tags made from end_user and organization (end_user_id, end_user_email, ...), the session's "
          + "connections would carry " + effective.get().size() + " tags; a connection carries at most " + EndUser.MAX_TAGS, "tags");
    }
    f.done();
    return new SessionTerms(merged, organization, effective, allowed, defaults, overrides, webhook, reconnecting);
  }

  /** Nango's rule: an empty list restricts nothing. */
  private Optional<List<String>> allowedIntegrations(Fields f) {
    Optional<JsonNode> node = f.any("allowed_integrations").filter(n -> !n.isNull());
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (!node.get().isArray()) {
      f.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected array, received " + node.get().getNodeType().name().toLowerCase(Locale.ROOT),
          "allowed_integrations");
      return Optional.empty();
    }
    if (node.get().size() > MAX_ALLOWED) {
      f.error(FieldError.Kind.TOO_BIG, "Too big: expected array to have <=" + MAX_ALLOWED + " items", "allowed_integrations");
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < node.get().size(); i++) {
      JsonNode item = node.get().get(i);
      if (!item.isTextual() || !IntegrationService.KEY.matcher(item.textValue()).matches()) {
        f.error(FieldError.Kind.INVALID_STRING, "Invalid integration key", "allowed_integrations", i);
      } else if (integrations.find(item.textValue()).isEmpty()) {
        f.error(FieldError.Kind.INVALID_VALUE, "Integration does not exist", "allowed_integrations", i);
      } else if (!keys.contains(item.textValue())) {
        keys.add(item.textValue());
      }
    }
    return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
  }

  /** Reads {@code integrations_config_defaults} into {@code into}; answers the deprecated {@code connection_config.webhook_url}, hoisted. */
  private Optional<String> defaults(Fields f, Map<String, SessionTerms.IntegrationDefaults> into) {
    Optional<ObjectNode> all = f.object("integrations_config_defaults");
    if (all.isEmpty()) {
      return Optional.empty();
    }
    Fields byKey = f.nested("integrations_config_defaults", keysOf(all.get())).orElseThrow();
    Optional<String> hoisted = Optional.empty();
    for (String key : keysOf(all.get())) {
      if (!knownIntegration(byKey, key)) {
        continue;
      }
      Optional<Fields> d = byKey.nested(key, DEFAULTS_KEYS);
      if (d.isEmpty()) {
        continue;
      }
      Optional<String> userScopes = d.get().string("user_scopes", 0, 4000);
      Optional<Map<String, String>> params = stringMap(d.get(), "authorization_params");
      Optional<ObjectNode> config = d.get().object("connection_config").map(ObjectNode::deepCopy);
      if (config.isPresent()) {
        Fields c = d.get().nested("connection_config", keysOf(config.get())).orElseThrow();
        for (String name : List.of("tenantId", "oauth_scopes", "oauth_scopes_override", "webhook_url")) {
          JsonNode v = config.get().get(name);
          if (v != null && !v.isNull() && !v.isTextual()) {
            c.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string", name);
          }
        }
        text(config.get(), "tenantId").ifPresent(t -> {
          try {
            config.get().put("tenantId", TenantId.parse(t).value());
          } catch (InvalidTenantId e) {
            c.error(FieldError.Kind.INVALID_STRING, e.getMessage(), "tenantId");
          }
        });
        for (String name : List.of("oauth_scopes", "oauth_scopes_override")) {
          text(config.get(), name).filter(s -> !s.isBlank()).ifPresent(s -> {
            try {
              config.get().put(name, ScopeRules.validate(s));
            } catch (InvalidScope e) {
              c.error(FieldError.Kind.INVALID_STRING, e.getMessage(), name);
            }
          });
        }
        Optional<String> webhook = text(config.get(), "webhook_url");
        if (webhook.isPresent()) {
          // Deprecated by Nango: checked as webhook_url_override is, taken out of the configuration, and used as it
          // when the body has no webhook_url_override.
          config.get().remove("webhook_url");
          Optional<String> checked = checkedUrl(c, "webhook_url", webhook.get(), true);
          hoisted = hoisted.or(() -> checked);
        }
      }
      SessionTerms.IntegrationDefaults value = new SessionTerms.IntegrationDefaults(userScopes, params, config);
      int size = userScopes.map(String::length).orElse(0) + params.map(Json::write).map(String::length).orElse(0)
          + config.map(Json::write).map(String::length).orElse(0);
      if (size > MAX_DEFAULTS_CHARS) {
        d.get().error(FieldError.Kind.TOO_BIG, "The defaults of one integration are at most " + MAX_DEFAULTS_CHARS + " characters of JSON");
      }
      into.put(key, value);
    }
    return hoisted;
  }

  private Map<String, SessionTerms.IntegrationOverrides> overrides(Fields f) {
    Map<String, SessionTerms.IntegrationOverrides> overrides = new LinkedHashMap<>();
    Optional<ObjectNode> all = f.object("overrides");
    if (all.isEmpty()) {
      return overrides;
    }
    Fields byKey = f.nested("overrides", keysOf(all.get())).orElseThrow();
    for (String key : keysOf(all.get())) {
      if (!knownIntegration(byKey, key)) {
        continue;
      }
      byKey.nested(key, OVERRIDES_KEYS).ifPresent(o -> {
        // Nango refuses this with 403 forbidden unless the account's plan allows it; Graphgate has no plans and honours it.
        Optional<String> docs = o.has("docs_connect") ? url(o, "docs_connect", false) : Optional.empty();
        overrides.put(key, new SessionTerms.IntegrationOverrides(docs));
      });
    }
    return overrides;
  }

  private boolean knownIntegration(Fields f, String key) {
    if (!IntegrationService.KEY.matcher(key).matches()) {
      f.error(FieldError.Kind.INVALID_STRING, "Invalid integration key", RequestJson.shown(key));
      return false;
    }
    if (integrations.find(key).isEmpty()) {
      f.error(FieldError.Kind.INVALID_VALUE, "Integration does not exist", key);
      return false;
    }
    return true;
  }

  /** An http(s) URL with a host; {@code emptyIsNone}: an empty string means none (for {@code webhook_url_override}). */
  private static Optional<String> url(Fields f, String key, boolean emptyIsNone) {
    Optional<String> s = f.string(key, emptyIsNone ? 0 : 1, MAX_URL_LENGTH);
    return s.flatMap(v -> checkedUrl(f, key, v, emptyIsNone));
  }

  private static Optional<String> checkedUrl(Fields f, String key, String value, boolean emptyIsNone) {
    if (value.isEmpty() && emptyIsNone) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      if (value.length() > MAX_URL_LENGTH || !(scheme.equals("https") || scheme.equals("http")) || host.isEmpty() || uri.getRawUserInfo() != null) {
        f.error(FieldError.Kind.INVALID_STRING, "Invalid URL: use an http or https URL with a host and no user info", key);
        return Optional.empty();
      }
      if (host.equals("nango.dev") || host.endsWith(".nango.dev")) {
        f.error(FieldError.Kind.INVALID_STRING, "This URL points at Nango's own servers; use your app's URL", key);
        return Optional.empty();
      }
      return Optional.of(value);
    } catch (URISyntaxException e) {
      f.error(FieldError.Kind.INVALID_STRING, "Invalid URL: use an http or https URL with a host and no user info", key);
      return Optional.empty();
    }
  }

  private static Optional<Map<String, String>> stringMap(Fields f, String key) {
    Optional<ObjectNode> o = f.object(key);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.get().properties()) {
      if (!e.getValue().isTextual()) {
        f.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string", key, RequestJson.shown(e.getKey()));
      } else {
        m.put(e.getKey(), e.getValue().textValue());
      }
    }
    return Optional.of(m);
  }

  private static Optional<String> text(ObjectNode o, String key) {
    JsonNode v = o.get(key);
    return v != null && v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
  }

  private static Set<String> keysOf(ObjectNode o) {
    Set<String> keys = new java.util.LinkedHashSet<>();
    o.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}

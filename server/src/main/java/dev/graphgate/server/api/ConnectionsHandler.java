package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.RefreshBackoff;
import dev.graphgate.server.GraphgateException.RefreshExhausted;
import dev.graphgate.server.GraphgateException.TokenEndpointUnavailable;
import dev.graphgate.server.GraphgateException.TokenRequestFailed;
import dev.graphgate.server.Json;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.auth.TokenLifetimes;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionQuery;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.webhook.WebhookSettingsService;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The connection routes. {@code get} is the hot path: no database statement while the cached token is fresh. */
final class ConnectionsHandler {
  private static final Set<String> GET_QUERY = Set.of("provider_config_key", "force_refresh", "refresh_token", "refresh_github_app_jwt_token");
  private static final Set<String> LIST_QUERY = Set.of("connectionId", "search", "endUserId", "endUserOrganizationId", "integrationId", "limit", "page");

  private final ConnectionService connections;
  private final TokenService tokens;
  private final AdminConsentLinks consentLinks;
  private final ApiJson json;
  private final ErrorResponses errors;
  private final ConnectionImportReader importReader;
  private final InstantSource clock;
  private final WebhookSettingsService webhooks;

  ConnectionsHandler(ConnectionService connections, TokenService tokens, AdminConsentLinks consentLinks,
      ApiJson json, ErrorResponses errors, TokenLifetimes lifetimes, InstantSource clock, WebhookSettingsService webhooks) {
    this.connections = connections;
    this.tokens = tokens;
    this.consentLinks = consentLinks;
    this.json = json;
    this.errors = errors;
    this.importReader = new ConnectionImportReader(lifetimes, webhooks);
    this.webhooks = webhooks;
    this.clock = clock;
  }

  void get(Context ctx) {
    Requests.onlyQuery(ctx, GET_QUERY, Set.of());
    String key = Requests.requiredQuery(ctx, "provider_config_key");
    boolean force = Requests.stringBool(ctx, "force_refresh");
    Requests.stringBool(ctx, "refresh_token"); // no refresh tokens in client credentials; accepted for the SDK
    Requests.stringBool(ctx, "refresh_github_app_jwt_token");
    TokenAnswer answer = tokens.forConnection(key, ctx.pathParam("connectionId"), force);
    Instant now = clock.instant();
    switch (answer) {
      case TokenAnswer.Valid v -> Responses.json(ctx, 200, json.connection(v.connection(), now, false, true));
      case TokenAnswer.Refused r -> errors.write(new TokenRequestFailed(consentLinks.withLinkIfNeeded(r.message(), r.connection()),
          r.status().wireName()), ctx, payload -> payload.set("connection", json.connection(r.connection(), now, false, false)));
      case TokenAnswer.BackingOff b -> throw new RefreshBackoff(b.retryAfter(), consentLinks.withLinkIfNeeded(b.lastError(), b.connection()));
      case TokenAnswer.Exhausted x -> throw new RefreshExhausted(consentLinks.withLinkIfNeeded(x.lastError(), x.connection()));
      case TokenAnswer.Unavailable u -> throw new TokenEndpointUnavailable(u.message(), u.retryAfter());
      case TokenAnswer.Gone g -> throw new NotFound("Failed to find connection");
    }
  }

  void list(Context ctx) {
    Requests.onlyQuery(ctx, LIST_QUERY, Set.of("tags["));
    Map<String, String> tags = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> {
      if (k.startsWith("tags[") && k.endsWith("]") && !v.isEmpty()) {
        tags.put(k.substring(5, k.length() - 1).toLowerCase(java.util.Locale.ROOT), v.get(0));
      }
    });
    List<String> keys = Requests.query(ctx, "integrationId")
        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()).orElse(List.of());
    ConnectionQuery q = new ConnectionQuery(Requests.query(ctx, "connectionId"), Requests.query(ctx, "search"),
        Requests.query(ctx, "endUserId"), Requests.query(ctx, "endUserOrganizationId"), keys, tags,
        Requests.intQuery(ctx, "limit", 1, 2000, ConnectionQuery.DEFAULT_LIMIT), Requests.intQuery(ctx, "page", 0, Integer.MAX_VALUE / 2001, 0));
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("connections");
    connections.list(q).forEach(s -> list.add(json.summary(s)));
    Responses.json(ctx, 200, body);
  }

  void create(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Fields f = Fields.body(Requests.jsonObject(ctx), ConnectionImportReader.KEYS);
    String key = f.requiredString("provider_config_key", 1, 255);
    f.done();
    Connection created = connections.importConnection(key, (integration, provider) -> importReader.read(f, integration, provider, clock.instant()))
        .connection();
    Responses.json(ctx, 201, json.connection(created, null, true, true));
  }

  void patch(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("provider_config_key"), Set.of());
    String key = Requests.requiredQuery(ctx, "provider_config_key");
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("tags", "end_user", "webhook_url_override"));
    Optional<Map<String, String>> tags = f.tags("tags");
    Optional<EndUser> endUser = EndUserReader.read(f, "end_user");
    Optional<String> webhook = f.string("webhook_url_override", 0, 2048);
    f.done();
    webhook.filter(url -> !url.isEmpty()).ifPresent(url -> webhooks.requireAllowed("webhook_url_override", url));
    connections.patch(key, ctx.pathParam("connectionId"), tags, endUser, webhook);
    Responses.success(ctx);
  }

  void delete(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("provider_config_key"), Set.of());
    Requests.noBody(ctx);
    String key = Requests.requiredQuery(ctx, "provider_config_key");
    connections.delete(key, ctx.pathParam("connectionId"));
    Responses.success(ctx);
  }

  /** {@code POST} replaces the metadata (201), {@code PATCH} merges top-level keys (200); both echo the body. */
  void writeMetadata(Context ctx, boolean merge) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    ObjectNode raw = Requests.jsonObject(ctx);
    Fields f = Fields.body(raw, Set.of("connection_id", "provider_config_key", "metadata"));
    String key = f.requiredString("provider_config_key", 1, 255);
    Optional<ObjectNode> metadata = f.object("metadata");
    if (metadata.isEmpty()) {
      f.invalid("Required: an object", "metadata");
    }
    List<String> ids = new ArrayList<>();
    JsonNode cid = raw.get("connection_id");
    if (cid != null && cid.isTextual()) {
      connectionId(f, cid.asText(), "connection_id").ifPresent(ids::add);
    } else if (cid != null && cid.isArray() && !cid.isEmpty()) {
      for (int i = 0; i < cid.size(); i++) {
        JsonNode n = cid.get(i);
        if (n.isTextual()) {
          connectionId(f, n.asText(), "connection_id", i).ifPresent(ids::add);
        } else {
          f.invalid("Each connection_id must be a non-empty string", "connection_id", i);
        }
      }
    } else {
      f.invalid("Required: a connection id or a list of them", "connection_id");
    }
    f.done();
    connections.writeMetadata(key, ids, metadata.get(), merge);
    Responses.json(ctx, merge ? 200 : 201, raw);
  }

  /** Nango's connection id rule, so an id that no connection can have is refused as such, not looked up. */
  private static Optional<String> connectionId(Fields f, String id, Object... path) {
    if (id.isEmpty() || id.length() > 255 || !ConnectionImportReader.CONNECTION_ID.matcher(id).matches()) {
      f.invalid("Invalid connection_id: use 1 to 255 letters, digits or ,.;:=+~[]|@${}\"'\\/_ -", path);
      return Optional.empty();
    }
    return Optional.of(id);
  }

}

package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.GraphgateException.AuthenticationFailed;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.GraphgateException.UnsupportedContentType;
import dev.graphgate.server.Json;
import dev.graphgate.server.connect.AdminConsentCallback;
import dev.graphgate.server.connect.ConnectSession;
import dev.graphgate.server.connect.ConnectSessions;
import dev.graphgate.server.connect.ConnectTelemetry;
import dev.graphgate.server.connect.SessionTerms;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.integration.IntegrationService;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The connect session routes (nango-api.md §3.5): create and reconnect (secret key), read and delete (the session's
 * own token), the Connect UI's telemetry beacon, and Graphgate's admin consent link for a session.
 */
final class ConnectSessionsHandler {
  /** Nango refuses beacons whose time is further than this from the server's. */
  static final Duration TELEMETRY_CLOCK_SKEW = Duration.ofHours(2);
  private static final Set<String> TELEMETRY_KEYS = Set.of("token", "event", "timestamp", "dimensions");

  private final ConnectSessions sessions;
  private final ConnectSessionReader reader;
  private final ConnectionService connections;
  private final ConnectTelemetry telemetry;
  private final AdminConsentCallback adminConsent;
  private final Supplier<URI> publicUrl;
  private final InstantSource clock;

  ConnectSessionsHandler(ConnectSessions sessions, IntegrationService integrations, ConnectionService connections, ConnectTelemetry telemetry,
      AdminConsentCallback adminConsent, Supplier<URI> publicUrl, InstantSource clock) {
    this.sessions = sessions;
    this.reader = new ConnectSessionReader(integrations);
    this.connections = connections;
    this.telemetry = telemetry;
    this.adminConsent = adminConsent;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /** {@code POST /connect/sessions}. */
  void create(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Fields f = Fields.body(Requests.jsonObject(ctx), ConnectSessionReader.CREATE_KEYS);
    issued(ctx, sessions.create(reader.read(f, Optional.empty(), Optional.empty())));
  }

  /** {@code POST /connect/sessions/reconnect}: a session that may only replace the one connection named. */
  void reconnect(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Fields f = Fields.body(Requests.jsonObject(ctx), ConnectSessionReader.RECONNECT_KEYS);
    String connectionId = f.requiredString("connection_id", 1, 255);
    String integrationId = f.requiredString("integration_id", 1, 255);
    if (connectionId != null && !ConnectionImportReader.CONNECTION_ID.matcher(connectionId).matches()) {
      f.invalid("Invalid connection_id", "connection_id");
    }
    if (integrationId != null && !IntegrationService.KEY.matcher(integrationId).matches()) {
      f.invalid("Invalid integration key", "integration_id");
    }
    f.done();
    Connection c;
    try {
      c = connections.get(integrationId, connectionId);
    } catch (GraphgateException.UnknownProviderConfig | GraphgateException.NotFound e) {
      throw InvalidRequest.body("ConnectionID or IntegrationId does not exists");
    }
    issued(ctx, sessions.create(reader.read(f, Optional.of(c.id()), Optional.of(c.integrationKey()))));
  }

  private void issued(Context ctx, ConnectSessions.Issued issued) {
    String token = issued.token().reveal();
    ObjectNode body = Json.object();
    body.putObject("data")
        .put("token", token)
        .put("connect_link", publicUrl.get() + "/connect/?session_token=" + token)
        .put("expires_at", Timestamps.zulu(issued.session().expiresAt()));
    Responses.json(ctx, 201, body);
  }

  /** {@code GET /connect/session}: what the Connect UI needs to start, in Nango's shape. */
  void get(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Requests.noBody(ctx);
    ConnectSession session = SessionAuthenticator.requiredSession(ctx);
    SessionTerms t = session.terms();
    ObjectNode data = Json.object();
    if (t.endUser().isPresent()) {
      data.set("endUser", endUser(t.endUser().get()));
    } else {
      data.putNull("endUser");
    }
    ObjectNode theme = data.putObject("connectUISettings");
    ObjectNode colours = theme.putObject("theme");
    colours.putObject("light").put("primary", "#00B2E3");
    colours.putObject("dark").put("primary", "#00B2E3");
    theme.put("defaultTheme", "system").put("showWatermark", false);
    t.allowedIntegrations().ifPresent(list -> list.forEach(data.putArray("allowed_integrations")::add));
    if (!t.defaults().isEmpty()) {
      ObjectNode defaults = data.putObject("integrations_config_defaults");
      t.defaults().forEach((key, d) -> {
        ObjectNode o = defaults.putObject(key);
        d.connectionConfig().ifPresent(c -> o.set("connection_config", c));
        d.authorizationParams().ifPresent(p -> p.forEach(o.putObject("authorization_params")::put));
      });
    }
    if (!t.overrides().isEmpty()) {
      ObjectNode overrides = data.putObject("overrides");
      t.overrides().forEach((key, o) -> {
        ObjectNode v = overrides.putObject(key);
        o.docsConnect().ifPresent(d -> v.put("docs_connect", d));
      });
    }
    if (session.isReconnect()) {
      data.put("isReconnecting", true);
    }
    ObjectNode body = Json.object();
    body.set("data", data);
    Responses.json(ctx, 200, body);
  }

  /** Nango's {@code endUser}: {@code tags} null when there are none. */
  private static ObjectNode endUser(EndUser u) {
    ObjectNode n = u.toJson();
    if (u.tags().isEmpty()) {
      n.putNull("tags");
    }
    return n;
  }

  /** {@code DELETE /connect/session}: the token stops working everywhere. */
  void delete(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Requests.noBody(ctx);
    sessions.end(SessionAuthenticator.requiredSession(ctx));
    ctx.status(204);
  }

  /**
   * {@code POST /connect/telemetry}: a beacon from the Connect UI, with its session token in the body (beacons carry no
   * headers, and arrive as {@code text/plain} or {@code application/json}). Counted per event.
   */
  void telemetry(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type != null && !type.isBlank() && !Requests.isJsonContentType(type) && !type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
      throw new UnsupportedContentType();
    }
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    JsonNode node = RequestJson.read(ctx.bodyAsBytes());
    if (node == null || !node.isObject() || !node.path("token").isTextual()) {
      throw AuthenticationFailed.missingHeader();
    }
    sessions.authenticate(node.path("token").textValue());
    Fields f = Fields.body((ObjectNode) node, TELEMETRY_KEYS);
    String event = f.requiredString("event", 1, 40);
    if (event != null && !ConnectTelemetry.EVENTS.contains(event)) {
      f.error(FieldError.Kind.INVALID_ENUM_VALUE, "Invalid option: expected one of " + String.join("|", ConnectTelemetry.EVENTS), "event");
    }
    timestamp(f);
    f.nested("dimensions", Set.of("integration")).ifPresent(d -> d.string("integration", 1, 255).ifPresent(k -> {
      if (!IntegrationService.KEY.matcher(k).matches()) {
        d.invalid("Invalid integration key", "integration");
      }
    }));
    f.done();
    telemetry.count(event);
    ctx.status(204);
  }

  private void timestamp(Fields f) {
    Optional<JsonNode> raw = f.any("timestamp");
    Instant at = null;
    if (raw.isEmpty() || raw.get().isNull()) {
      f.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected date, received undefined", "timestamp");
      return;
    }
    if (raw.get().isIntegralNumber()) {
      at = Instant.ofEpochMilli(raw.get().asLong());
    } else if (raw.get().isTextual()) {
      try {
        at = OffsetDateTime.parse(raw.get().textValue()).toInstant();
      } catch (DateTimeParseException e) {
        at = null;
      }
    }
    if (at == null) {
      f.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected an ISO-8601 date-time such as 2026-01-05T10:00:00.000Z", "timestamp");
    } else if (Duration.between(at, clock.instant()).abs().compareTo(TELEMETRY_CLOCK_SKEW) > 0) {
      f.error(FieldError.Kind.INVALID_VALUE, "The timestamp is more than 2 hours from the server's time", "timestamp");
    }
  }

  /**
   * {@code POST /connect/admin-consent} (Graphgate's own): the link with which a tenant's admin grants the
   * integration's shared app access, and so creates the connection. Body {@code {"integration":"<key>","tenant":"<id
   * or domain, optional>"}}.
   */
  void adminConsent(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("integration", "tenant"));
    String integration = f.requiredString("integration", 1, 255);
    Optional<String> tenant = f.string("tenant", 0, 253).filter(s -> !s.isBlank());
    f.done();
    String url = adminConsent.onboardingLink(SessionAuthenticator.requiredSession(ctx), integration, tenant);
    ObjectNode body = Json.object();
    body.putObject("data").put("url", url);
    Responses.json(ctx, 200, body);
  }
}

package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.connect.ConnectSessions;
import dev.graphgate.server.connect.SessionTerms;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.dashboard.DashboardSessions;
import dev.graphgate.server.dashboard.DashboardUi;
import dev.graphgate.server.dashboard.DashboardViews;
import dev.graphgate.server.dashboard.Explorer;
import dev.graphgate.server.observe.ProxyLogQuery;
import dev.graphgate.server.sync.SyncService;
import dev.graphgate.server.web.HtmlResponses;
import dev.graphgate.server.webhook.Webhooks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's routes: its page and files (public, like any page: they hold nothing), and its JSON routes under
 * {@value DashboardUi#API}, each checked before it runs: a session cookie for every one but sign-in, and for every
 * write the session's CSRF token in {@code X-CSRF-Token}, so a write without both changes nothing. Each route calls
 * one service method; what the pages show is built by {@link DashboardViews}.
 */
final class DashboardHandler {
  static final String SESSION = DashboardUi.API + "session";
  private static final Pattern STATUS = Pattern.compile("([1-5])(xx|\\d\\d)", Pattern.CASE_INSENSITIVE);

  private final DashboardSessions sessions;
  private final DashboardViews views;
  private final Explorer explorer;
  private final SyncService syncs;
  private final Webhooks webhooks;
  private final ConnectSessions connectSessions;
  private final Supplier<URI> publicUrl;
  private final DashboardUi ui = new DashboardUi();

  DashboardHandler(DashboardSessions sessions, DashboardViews views, Explorer explorer, SyncService syncs, Webhooks webhooks,
      ConnectSessions connectSessions, Supplier<URI> publicUrl) {
    this.sessions = sessions;
    this.views = views;
    this.explorer = explorer;
    this.syncs = syncs;
    this.webhooks = webhooks;
    this.connectSessions = connectSessions;
    this.publicUrl = publicUrl;
  }

  static boolean isDashboard(String path) {
    return path.equals("/dashboard") || path.startsWith(DashboardUi.PATH);
  }

  void register(RoutesConfig routes) {
    // Served at /dashboard too: the server ignores a trailing slash, and the page names its files by absolute paths.
    routes.get(DashboardUi.PATH, ctx -> HtmlResponses.send(ctx, ui.page()));
    routes.get(DashboardUi.ASSETS + "{file}", ctx -> ui.assets().send(ctx, ctx.pathParam("file")));
    routes.before(DashboardUi.API + "*", this::authenticate);

    routes.get(SESSION, this::session);
    routes.post(SESSION, this::signIn);
    routes.delete(SESSION, this::signOut);
    routes.get(DashboardUi.API + "integrations", ctx -> Responses.json(ctx, 200, views.integrations()));
    routes.get(DashboardUi.API + "connections", this::connections);
    routes.get(DashboardUi.API + "connection", ctx -> Responses.json(ctx, 200,
        views.connection(Requests.requiredQuery(ctx, "provider_config_key"), Requests.requiredQuery(ctx, "connection_id"))));
    routes.post(DashboardUi.API + "syncs/trigger", this::trigger);
    routes.post(DashboardUi.API + "syncs/pause", this::pause);
    routes.post(DashboardUi.API + "webhook-deliveries/{id}/retry", this::retry);
    routes.get(DashboardUi.API + "logs", this::logs);
    routes.post(DashboardUi.API + "connect-sessions", this::connectLink);
    routes.post(DashboardUi.API + "explorer", this::explore);
    routes.get(DashboardUi.API + "explorer/permissions", ctx -> Responses.json(ctx, 200, explorer.permissions(
        Requests.requiredQuery(ctx, "provider_config_key"), Requests.requiredQuery(ctx, "connection_id"), Requests.requiredQuery(ctx, "method"),
        Requests.requiredQuery(ctx, "version"), Requests.requiredQuery(ctx, "path"))));
  }

  /** Before every JSON route: a session (but to sign in), and its CSRF token on writes. */
  private void authenticate(Context ctx) {
    boolean write = ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD && ctx.method() != HandlerType.OPTIONS;
    if (ctx.path().equals(SESSION) && ctx.method() == HandlerType.POST) {
      return;
    }
    if (write) {
      sessions.requireWrite(ctx.cookie(DashboardSessions.COOKIE), ctx.header(DashboardSessions.CSRF_HEADER));
    } else {
      sessions.require(ctx.cookie(DashboardSessions.COOKIE));
    }
    ctx.header("Cache-Control", "no-store");
  }

  private void session(Context ctx) {
    DashboardSessions.Session s = sessions.require(ctx.cookie(DashboardSessions.COOKIE));
    Responses.json(ctx, 200, Json.object().put("csrf_token", s.csrfToken()).put("expires_at", s.expiresAt().toString()));
  }

  private void signIn(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("credential"));
    String credential = f.requiredString("credential", 1, 1024);
    f.done();
    DashboardSessions.Started started = sessions.signIn(credential);
    Cookie cookie = new Cookie(DashboardSessions.COOKIE, started.cookieValue(), "/dashboard", (int) DashboardSessions.LIFETIME.toSeconds(),
        secure(ctx), true, null, SameSite.STRICT);
    ctx.cookie(cookie);
    ctx.header("Cache-Control", "no-store");
    Responses.json(ctx, 200, Json.object().put("csrf_token", started.session().csrfToken()).put("expires_at", started.session().expiresAt().toString()));
  }

  private void signOut(Context ctx) {
    ctx.cookie(new Cookie(DashboardSessions.COOKIE, "", "/dashboard", 0, secure(ctx), true, null, SameSite.STRICT));
    Responses.json(ctx, 200, Json.object().put("signed_out", true));
  }

  /** Secure when the browser reached Graphgate over HTTPS, directly or as its configured public URL says. */
  private boolean secure(Context ctx) {
    return ctx.scheme().equalsIgnoreCase("https") || "https".equalsIgnoreCase(publicUrl.get().getScheme());
  }

  private void connections(Context ctx) {
    Responses.json(ctx, 200, views.connections(Requests.query(ctx, "search").map(String::trim).filter(v -> !v.isEmpty()),
        Requests.query(ctx, "provider_config_key"), cursor(ctx)));
  }

  private void trigger(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("provider_config_key", "connection_id", "sync", "reset"));
    SyncTarget t = SyncTarget.read(f);
    boolean reset = f.bool("reset").orElse(false);
    f.done();
    syncs.trigger(t.integration(), Optional.of(t.connection()), List.of(t.sync()), reset);
    Responses.json(ctx, 200, Json.object().put("triggered", true));
  }

  private void pause(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("provider_config_key", "connection_id", "sync", "paused"));
    SyncTarget t = SyncTarget.read(f);
    Optional<Boolean> pausedField = f.bool("paused");
    if (pausedField.isEmpty()) {
      f.invalid("Expected true or false", "paused");
    }
    f.done();
    boolean paused = pausedField.orElseThrow();
    syncs.setPaused(t.integration(), Optional.of(t.connection()), List.of(t.sync()), paused);
    Responses.json(ctx, 200, Json.object().put("paused", paused));
  }

  private void retry(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw InvalidRequest.uriParams(FieldError.Kind.INVALID_STRING, "Expected a delivery id", "id");
    }
    ObjectNode out = Json.object();
    DashboardViews.delivery(out.putObject("delivery"), webhooks.retry(id));
    Responses.json(ctx, 200, out);
  }

  private void logs(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("provider_config_key", "connection_id", "status", "path", "since", "until", "cursor"), Set.of());
    Optional<Integer> from = Optional.empty();
    Optional<Integer> to = Optional.empty();
    Optional<String> status = Requests.query(ctx, "status");
    if (status.isPresent()) {
      Matcher m = STATUS.matcher(status.get().trim());
      if (!m.matches()) {
        throw InvalidRequest.query(FieldError.Kind.INVALID_STRING, "Expected an HTTP status such as 429, or a class such as 4xx", "status");
      }
      boolean isClass = m.group(2).equalsIgnoreCase("xx");
      int base = Integer.parseInt(m.group(1)) * 100;
      from = Optional.of(isClass ? base : Integer.parseInt(status.get().trim()));
      to = Optional.of(isClass ? base + 99 : from.get());
    }
    Responses.json(ctx, 200, views.logs(new ProxyLogQuery(Requests.query(ctx, "provider_config_key"), Requests.query(ctx, "connection_id"),
        Optional.empty(), from, to, instant(ctx, "since"), instant(ctx, "until"), cursor(ctx), 50, Requests.query(ctx, "path"))));
  }

  /** The {@code next_cursor} a previous page gave: a row id to continue below. */
  private static Optional<Long> cursor(Context ctx) {
    return Requests.query(ctx, "cursor").map(c -> {
      try {
        return Long.parseLong(c);
      } catch (NumberFormatException e) {
        throw InvalidRequest.query(FieldError.Kind.INVALID_STRING, "Expected the next_cursor of a previous page", "cursor");
      }
    });
  }

  private static Optional<Instant> instant(Context ctx, String key) {
    return Requests.query(ctx, key).map(v -> {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw InvalidRequest.query(FieldError.Kind.INVALID_STRING, "Expected an ISO-8601 instant such as 2026-01-05T10:00:00Z", key);
      }
    });
  }

  /** A connect session for an end user, and the link that opens the Connect UI on it. */
  private void connectLink(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("end_user_id", "email", "display_name", "organization_id", "organization_name",
        "allowed_integrations"));
    String userId = f.requiredString("end_user_id", 1, EndUser.MAX_ID_LENGTH);
    Optional<String> email = f.string("email", 0, EndUser.MAX_EMAIL_LENGTH).filter(e -> !e.isEmpty());
    Optional<String> name = f.string("display_name", 0, EndUser.MAX_DISPLAY_NAME_LENGTH).filter(e -> !e.isEmpty());
    Optional<String> orgId = f.string("organization_id", 0, EndUser.MAX_ORGANIZATION_ID_LENGTH).filter(e -> !e.isEmpty());
    Optional<String> orgName = f.string("organization_name", 0, EndUser.MAX_DISPLAY_NAME_LENGTH).filter(e -> !e.isEmpty());
    JsonNode list = f.any("allowed_integrations").orElse(Json.MAPPER.nullNode());
    f.done();
    EndUser user;
    try {
      user = new EndUser(userId, email, name, Map.of(), orgId.map(id -> new EndUser.Organization(id, orgName)));
    } catch (IllegalArgumentException e) {
      throw InvalidRequest.body(e.getMessage());
    }
    List<String> allowed = new ArrayList<>();
    if (!list.isMissingNode() && !list.isNull()) {
      if (!list.isArray()) {
        throw InvalidRequest.bodyField("Expected a list of integration keys", "allowed_integrations");
      }
      list.forEach(n -> allowed.add(n.asText()));
    }
    ConnectSessions.Issued issued = connectSessions.create(new SessionTerms(Optional.of(user), user.organization(), Optional.empty(),
        allowed.isEmpty() ? Optional.empty() : Optional.of(allowed), Map.of(), Map.of(), Optional.empty(), Optional.empty()));
    String token = issued.token().reveal();
    Responses.json(ctx, 201, Json.object().put("connect_link", publicUrl.get() + "/connect/?session_token=" + token)
        .put("expires_at", issued.session().expiresAt().toString()));
  }

  private void explore(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("provider_config_key", "connection_id", "method", "version", "path", "headers", "body"));
    String integration = f.requiredString("provider_config_key", 1, 255);
    String connection = f.requiredString("connection_id", 1, 255);
    String method = f.requiredString("method", 1, 10);
    String version = f.requiredString("version", 1, 10);
    String path = f.requiredString("path", 1, 8192);
    Map<String, String> headers = new LinkedHashMap<>();
    f.object("headers").ifPresent(h -> h.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText())));
    Optional<String> body = f.string("body", 0, 4 * 1024 * 1024).filter(b -> !b.isEmpty());
    f.done();
    Explorer.Call call = new Explorer.Call(integration, connection, method, version, path, headers, body);
    String base = publicUrl.get().toString();
    Responses.json(ctx, 200, explorer.send(call, base.endsWith("/") ? base.substring(0, base.length() - 1) : base));
  }

  /** The sync a dashboard write is about. */
  private record SyncTarget(String integration, String connection, String sync) {
    static SyncTarget read(Fields f) {
      return new SyncTarget(f.requiredString("provider_config_key", 1, 255), f.requiredString("connection_id", 1, 255), f.requiredString("sync", 1, 100));
    }
  }
}

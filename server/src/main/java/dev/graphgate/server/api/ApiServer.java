package dev.graphgate.server.api;

import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.GraphgateException.UnsupportedContentType;
import dev.graphgate.server.action.ActionService;
import dev.graphgate.server.permission.PermissionService;
import dev.graphgate.server.auth.TokenLifetimes;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.connect.AdminConsentAnswer;
import dev.graphgate.server.connect.AdminConsentCallback;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connect.ConnectUi;
import dev.graphgate.server.connect.ConnectSessions;
import dev.graphgate.server.connect.ConnectTelemetry;
import dev.graphgate.server.connect.SessionConnections;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.dashboard.DashboardSessions;
import dev.graphgate.server.dashboard.DashboardUi;
import dev.graphgate.server.dashboard.DashboardViews;
import dev.graphgate.server.dashboard.Explorer;
import dev.graphgate.server.health.Readiness;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.notification.Notifications;
import dev.graphgate.server.observe.Metrics;
import dev.graphgate.server.observe.RequestLogReader;
import dev.graphgate.server.observe.RequestLog;
import dev.graphgate.server.provider.ProviderRegistry;
import dev.graphgate.server.proxy.GraphProxy;
import dev.graphgate.server.secret.ApiKeys;
import dev.graphgate.server.sync.SyncService;
import dev.graphgate.server.web.HtmlResponses;
import dev.graphgate.server.webhook.Webhooks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Builds the HTTP API: routes, authentication, content-type and size rules, and the one error mapping. */
public final class ApiServer {
  static final String CORS_ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Origin, X-Requested-With, Nango-Activity-Log-Id, "
      + "Nango-Is-Dry-Run, Nango-Is-Sync, Provider-Config-Key, Connection-Id, Sentry-Trace, Baggage";

  private ApiServer() {}

  /** Everything the routes call. */
  public record Services(
      ProviderRegistry providers,
      IntegrationService integrations,
      ConnectionService connections,
      TokenService tokens,
      AdminConsentLinks consentLinks,
      TokenLifetimes lifetimes,
      InstantSource clock,
      GraphProxy proxy,
      RequestLogReader proxyLogs,
      Optional<URI> configuredPublicUrl,
      Metrics metrics,
      Optional<String> metricsToken,
      AdminConsentCallback adminConsent,
      Readiness readiness,
      Connect connect,
      SyncService syncs,
      Webhooks webhooks,
      ActionService actions,
      PermissionService permissions,
      DashboardSessions dashboardSessions,
      Notifications notifications) {}

  /** What the connect session routes call. */
  public record Connect(ConnectSessions sessions, SessionConnections creations, ConnectTelemetry telemetry) {}

  public static Javalin create(Services s, ApiKeys apiKeys, String environmentId, Supplier<URI> publicUrl, long maxRequestBytes,
      RequestLog requestLog, IntSupplier boundPort) {
    ApiJson json = new ApiJson(publicUrl, () -> s.notifications().publicUrl().orElseGet(publicUrl), environmentId, s.consentLinks());
    ApiKeyAuthenticator auth = new ApiKeyAuthenticator(apiKeys);
    ErrorResponses errors = new ErrorResponses(maxRequestBytes);
    ProvidersHandler providers = new ProvidersHandler(s.providers(), json);
    IntegrationsHandler integrations = new IntegrationsHandler(s.integrations(), s.providers(), json);
    ConnectionsHandler connections = new ConnectionsHandler(s.connections(), s.tokens(), s.consentLinks(), json, errors,
        s.lifetimes(), s.clock(), s.webhooks().settings());
    ProxyHandler proxy = new ProxyHandler(s.proxy(), s.configuredPublicUrl(), boundPort);
    LogsHandler logs = new LogsHandler(s.proxyLogs());
    MetricsHandler metrics = new MetricsHandler(s.metrics(), s.metricsToken(), auth);
    HealthHandler health = new HealthHandler(s.readiness());
    SessionAuthenticator sessionAuth = new SessionAuthenticator(s.connect().sessions(), auth);
    ConnectSessionsHandler connectSessions = new ConnectSessionsHandler(s.connect().sessions(), s.integrations(), s.connections(),
        s.connect().telemetry(), s.adminConsent(), publicUrl, s.clock());
    ConnectCreationHandler connectCreations = new ConnectCreationHandler(s.connect().creations());
    byte[] consentResultScript = AdminConsentCallback.resultScript();
    byte[] logo = logo();
    ConnectUi connectUi = new ConnectUi();
    SyncsHandler syncs = new SyncsHandler(s.syncs(), s.notifications());
    NotificationsHandler notifications = new NotificationsHandler(s.notifications());
    RecordsHandler records = new RecordsHandler(s.syncs(), s.clock());
    WebhooksHandler webhooks = new WebhooksHandler(s.webhooks(), s.clock());
    ActionsHandler actions = new ActionsHandler(s.actions());
    PermissionsHandler permissions = new PermissionsHandler(s.permissions());
    DashboardHandler dashboard = new DashboardHandler(s.dashboardSessions(),
        new DashboardViews(s.integrations(), s.connections(), s.syncs(), s.webhooks(), s.proxyLogs(), s.consentLinks(), s.permissions(), s.clock()),
        new Explorer(s.proxy(), s.permissions()), s.syncs(), s.webhooks(), s.connect().sessions(), publicUrl);

    return Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = maxRequestBytes;
      config.startup.showJavalinBanner = false;
      config.requestLogger.http(requestLog::handle);
      config.jetty.modifyServer(server -> {
        server.setErrorHandler(new ProtocolErrors());
        GracefulStop.install(server);
      });

      config.routes.before(ctx -> {
        String type = ctx.header("Content-Type");
        if (type != null && !type.isBlank() && !Requests.isJsonContentType(type) && isJsonRoute(ctx)) {
          throw new UnsupportedContentType();
        }
        // Proxied bodies stream through in constant memory; the limit is for the JSON API's bodies.
        if (ctx.contentLength() > maxRequestBytes && !ctx.path().startsWith(ProxyHandler.PREFIX + "/")) {
          throw new GraphgateException.PayloadTooLarge(maxRequestBytes);
        }
        // Nango's public API is open to browsers (the frontend SDK calls it from any origin, with a token); the
        // dashboard is not: its routes answer only its own page.
        if (DashboardHandler.isDashboard(ctx.path())) {
          return;
        }
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Expose-Headers", "Authorization, Etag, Content-Type, Content-Length, Retry-After");
        if (ctx.method() == io.javalin.http.HandlerType.OPTIONS) {
          ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
          ctx.header("Access-Control-Allow-Headers", CORS_ALLOWED_HEADERS);
          ctx.header("Access-Control-Max-Age", "600");
          ctx.status(204);
          ctx.skipRemainingHandlers();
        }
      });
      config.routes.beforeMatched(ctx -> {
        SessionAuthenticator.Rule rule = SessionAuthenticator.rule(ctx);
        if (rule != SessionAuthenticator.Rule.SECRET_KEY) {
          sessionAuth.authenticate(ctx, rule);
        } else if (requiresSecretKey(ctx)) {
          auth.authenticate(ctx);
        }
      });

      // First: Javalin tries a request's routes in the order they were added, one path pattern (a regex) after another,
      // and the proxy's are the ones called thousands of times a second. No other route starts with its prefix.
      for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD)) {
        config.routes.addHttpHandler(method, ProxyHandler.PREFIX + "/<path>", proxy::handle);
      }
      config.routes.get("/health", health::live);
      config.routes.get("/health/live", health::live);
      config.routes.get("/health/ready", health::ready);
      config.routes.get("/images/template-logos/{file}", ctx -> {
        if (!ctx.pathParam("file").endsWith(".svg") || s.providers().find(ctx.pathParam("file").replace(".svg", "")).isEmpty()) {
          throw new GraphgateException.NotFound("No logo " + ctx.pathParam("file"));
        }
        ctx.contentType("image/svg+xml").header("Cache-Control", "public, max-age=86400").result(logo);
      });

      config.routes.get(AdminConsentLinks.CALLBACK,
          ctx -> HtmlResponses.serve(ctx, () -> s.adminConsent().answer(AdminConsentAnswer.from(ctx::queryParam))));

      dashboard.register(config.routes);

      config.routes.get(ConnectUi.PATH, ctx -> HtmlResponses.send(ctx, connectUi.page()));
      config.routes.get(ConnectUi.ASSETS + "{file}", ctx -> connectUi.assets().send(ctx, ctx.pathParam("file")));
      config.routes.get(AdminConsentCallback.RESULT_SCRIPT, ctx -> HtmlResponses.sendScript(ctx, consentResultScript));

      config.routes.post(ConnectRoutes.SESSIONS, connectSessions::create);
      config.routes.post(ConnectRoutes.RECONNECT, connectSessions::reconnect);
      config.routes.get(ConnectRoutes.SESSION, connectSessions::get);
      config.routes.delete(ConnectRoutes.SESSION, connectSessions::delete);
      config.routes.post(ConnectRoutes.TELEMETRY, connectSessions::telemetry);
      config.routes.post(ConnectRoutes.ADMIN_CONSENT, connectSessions::adminConsent);
      config.routes.post(ConnectRoutes.OAUTH2_AUTH + "{key}", connectCreations::clientSecret);
      config.routes.post(ConnectRoutes.TWO_STEP_AUTH + "{key}", connectCreations::certificate);

      config.routes.get("/providers", providers::list);
      config.routes.get("/providers/{provider}", providers::get);

      config.routes.get("/integrations", integrations::list);
      config.routes.post("/integrations", integrations::create);
      config.routes.get("/integrations/{key}", integrations::get);
      config.routes.get("/integrations/{key}/syncs", syncs::offered);
      config.routes.put("/integrations/{key}/syncs", syncs::enable);
      config.routes.patch("/integrations/{key}", integrations::update);
      config.routes.delete("/integrations/{key}", integrations::delete);

      // The metadata routes come before /connections/{connectionId}, which would otherwise match them.
      for (String base : new String[] {"/connections", "/connection"}) {
        config.routes.post(base + "/metadata", ctx -> connections.writeMetadata(ctx, false));
        config.routes.patch(base + "/metadata", ctx -> connections.writeMetadata(ctx, true));
        config.routes.get(base, connections::list);
        config.routes.post(base, connections::create);
        config.routes.get(base + "/{connectionId}", connections::get);
        config.routes.get(base + "/{connectionId}/permissions", permissions::get);
        config.routes.patch(base + "/{connectionId}", connections::patch);
        config.routes.delete(base + "/{connectionId}", ctx -> {
          // The connection's Graph subscriptions go first, while its credentials are there to delete them; only for a
          // request the delete route will take (the same checks as it makes).
          Requests.onlyQuery(ctx, java.util.Set.of("provider_config_key"), java.util.Set.of());
          Requests.noBody(ctx);
          s.notifications().beforeDelete(Requests.requiredQuery(ctx, "provider_config_key"), ctx.pathParam("connectionId"));
          connections.delete(ctx);
        });
      }
      config.routes.get("/connections/{connectionId}/subscriptions", notifications::subscriptions);
      // Graph's change notifications: no API key (Graph has none); each notification's clientState is checked instead.
      config.routes.post(NotificationsHandler.WEBHOOK + "{environment}/{integration}", notifications::receive);

      config.routes.get("/records", records::list);
      config.routes.get("/records/", records::list);
      config.routes.patch("/records/prune", records::prune);
      config.routes.post("/sync/trigger", syncs::trigger);
      config.routes.post("/sync/start", syncs::start);
      config.routes.post("/sync/pause", syncs::pause);
      config.routes.get("/sync/status", syncs::status);
      config.routes.put("/sync/update-connection-frequency", syncs::frequency);
      config.routes.post("/action/trigger", actions::trigger);
      config.routes.get("/logs", logs::list);
      config.routes.get(WebhooksHandler.SETTINGS, webhooks::settings);
      config.routes.patch(WebhooksHandler.SETTINGS, webhooks::patch);
      config.routes.post(WebhooksHandler.ROTATE, webhooks::rotate);
      config.routes.get(WebhooksHandler.DELIVERIES, webhooks::deliveries);
      config.routes.post(WebhooksHandler.DELIVERIES + "/{id}/retry", webhooks::retry);
      // Authenticated by its handler: the metrics token or an API key.
      config.routes.get("/metrics", metrics::scrape);

      config.routes.exception(GraphgateException.class, errors::write);
      config.routes.exception(HttpResponseException.class, errors::write);
      config.routes.exception(Exception.class, errors::writeUnexpected);
    });
  }

  private static boolean requiresSecretKey(Context ctx) {
    String p = ctx.path();
    return !p.equals("/health") && !p.startsWith("/health/") && !p.startsWith("/images/") && !p.equals(AdminConsentLinks.CALLBACK)
        && !p.equals("/metrics") && !p.equals(AdminConsentCallback.RESULT_SCRIPT) && !isConnectUi(p) && !p.startsWith(NotificationsHandler.WEBHOOK)
        // The dashboard checks its own session cookie (DashboardHandler).
        && !DashboardHandler.isDashboard(p);
  }

  /** The Connect UI's page and files: public, like any web page; the API calls the page makes carry the session token. */
  private static boolean isConnectUi(String path) {
    return path.equals("/connect") || path.equals(ConnectUi.PATH) || path.startsWith(ConnectUi.ASSETS);
  }

  private static boolean isJsonRoute(Context ctx) {
    String p = ctx.path();
    return p.startsWith("/integrations") || p.startsWith("/connection") || p.startsWith("/providers") || p.startsWith("/records")
        || p.startsWith("/sync/") || p.startsWith("/action/") || p.startsWith("/webhooks/") || p.startsWith("/environment/")
        || ConnectRoutes.isJsonRoute(p) || p.startsWith(DashboardUi.API);
  }

  private static byte[] logo() {
    try (InputStream in = ApiServer.class.getResourceAsStream("microsoft.svg")) {
      if (in == null) {
        throw new IllegalStateException("microsoft.svg is missing from the server jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

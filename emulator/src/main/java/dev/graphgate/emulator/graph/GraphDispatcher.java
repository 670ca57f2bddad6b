package dev.graphgate.emulator.graph;

import dev.graphgate.emulator.graph.auth.BearerAuthenticator;
import dev.graphgate.emulator.graph.auth.Caller;
import dev.graphgate.emulator.graph.auth.Family;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.data.TenantDataRegistry;
import dev.graphgate.emulator.graph.faults.FaultInjector;
import dev.graphgate.emulator.graph.faults.FaultPolicy;
import dev.graphgate.emulator.graph.faults.FaultSettings;
import dev.graphgate.emulator.graph.faults.Sleeper;
import dev.graphgate.emulator.graph.http.GraphErrors;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.http.QueryString;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.PathParser;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.throttle.Throttler;
import dev.graphgate.emulator.http.RequestId;
import dev.graphgate.emulator.stats.EmulatorStats;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place every Graph request goes through, in this order: authentication (401), injected faults, routing
 * (400 for unknown segments), throttling (429), the route's permission (the family's 403), the handler. Every answer
 * carries {@code request-id} and {@code client-request-id}, and is counted in the emulator's stats.
 *
 * <p>Batch items and the admin API's Graph pass-through enter at {@link #serve}, after authentication and faults.
 */
public final class GraphDispatcher {

  private final Router router;
  private final BearerAuthenticator authenticator;
  private final TenantDataRegistry tenants;
  private final Throttler throttler;
  private final FaultInjector faults;
  private final Sleeper sleeper;
  private final EmulatorStats stats;
  private final InstantSource clock;
  private final ResponseCache cache = new ResponseCache();

  private static final String DIAGNOSTIC =
      "{\"ServerInfo\":{\"DataCenter\":\"Local Emulator\",\"Slice\":\"E\",\"Ring\":\"0\",\"ScaleUnit\":\"000\",\"RoleInstance\":\"graphgate-emulator\"}}";

  public GraphDispatcher(
      Router router, BearerAuthenticator authenticator, TenantDataRegistry tenants, Throttler throttler,
      FaultInjector faults, Sleeper sleeper, EmulatorStats stats, InstantSource clock) {
    this.router = router;
    this.authenticator = authenticator;
    this.tenants = tenants;
    this.throttler = throttler;
    this.faults = faults;
    this.sleeper = sleeper;
    this.stats = stats;
    this.clock = clock;
  }

  /** A request from the network, bearing its token. */
  public GraphResponse dispatch(GraphRequest request) {
    String requestId = RequestId.next();
    String clientRequestId = clientRequestId(request, requestId);
    GraphResponse response;
    try {
      Caller caller = authenticator.authenticate(request.header("Authorization"));
      Optional<FaultPolicy> fault = faults.decide(caller.tenantId());
      if (fault.isPresent()) {
        Optional<GraphResponse> injected = inject(fault.get(), requestId, clientRequestId);
        if (injected.isPresent()) {
          return finish(request, injected.get(), requestId, clientRequestId);
        }
      }
      response = serve(request, caller, requestId, clientRequestId);
    } catch (GraphException e) {
      response = GraphErrors.response(e, requestId, clientRequestId, clock.instant());
    }
    return finish(request, response, requestId, clientRequestId);
  }

  /** A request by a caller already known (a batch item, the admin API); throttled unless the caller is the admin. */
  public GraphResponse serve(GraphRequest request, Caller caller, String requestId, String clientRequestId) {
    try {
      PathParser.Parsed parsed = PathParser.parse(request.path());
      List<String> segments = parsed.segments();
      if (!parsed.functionParams().isEmpty()) {
        List<Map.Entry<String, String>> query = new ArrayList<>(request.query());
        query.addAll(parsed.functionParams());
        request = request.withQuery(query);
      }
      if (!segments.isEmpty() && segments.getFirst().equalsIgnoreCase("me")) {
        throw GraphException.badRequest("/me request is only valid with delegated authentication flow.");
      }
      Router.Match match = switch (router.match(request.method(), segments)) {
        case Router.Result.Found found -> found.match();
        case Router.Result.WrongMethod wrong -> throw new GraphException(405, "Request_BadRequest",
            "The HTTP method '" + request.method() + "' is not allowed on this resource.");
        case Router.Result.NotFound notFound -> throw GraphException.badRequest(
            "Resource not found for the segment '" + notFound.segment() + "'.");
      };
      TenantData data = tenants.find(caller.tenantId()).orElseThrow(() -> new GraphException(
          401, "InvalidAuthenticationToken", "Access token validation failure. The tenant '" + caller.tenantId() + "' does not exist."));
      Route route = match.route();
      // The permit holds the mailbox's concurrency slot until the handler is done.
      Throttler.Permit permit = admit(route, match.params(), caller, data);
      try {
        route.permission().check(caller);
        Optional<Object> key = cache.key(request, route, caller, data);
        if (key.isPresent()) {
          Optional<GraphResponse> cached = cache.get(key.get());
          if (cached.isPresent()) {
            return cached.get();
          }
        }
        GraphResponse response = route.handler().handle(new GraphCall(request, caller, data, match.params()));
        return key.isPresent() ? cache.put(key.get(), response) : response;
      } finally {
        permit.close();
      }
    } catch (GraphException e) {
      return GraphErrors.response(e, requestId, clientRequestId, clock.instant());
    }
  }

  /**
   * {@link #serve} for a request whose query string is still as sent (a batch item's url, the admin pass-through): a
   * query that is not correctly percent-encoded is this request's 400, as it is for a request from the network.
   */
  public GraphResponse serve(GraphRequest request, String rawQuery, Caller caller, String requestId, String clientRequestId) {
    List<Map.Entry<String, String>> query;
    try {
      query = QueryString.parse(rawQuery);
    } catch (GraphException e) {
      return GraphErrors.response(e, requestId, clientRequestId, clock.instant());
    }
    return serve(request.withQuery(query), caller, requestId, clientRequestId);
  }

  /** The path family a request is counted under in {@code /_emulator/stats}. */
  public static String family(GraphRequest request) {
    String path = request.path();
    int slash = path.indexOf('/');
    String first = (slash < 0 ? path : path.substring(0, slash)).toLowerCase(Locale.ROOT);
    int paren = first.indexOf('(');
    if (paren > 0) {
      first = first.substring(0, paren);
    }
    return switch (first) {
      case "users", "groups", "organization", "applications", "serviceprincipals", "drives", "sites", "subscriptions", "$batch", "me" -> first.equals("serviceprincipals") ? "servicePrincipals" : first;
      default -> "(other)";
    };
  }

  private Throttler.Permit admit(Route route, Map<String, String> params, Caller caller, TenantData data) {
    if (caller.admin() || route.family().equals("$batch")) {
      return () -> {};
    }
    // Only existing mailboxes have budgets: a request naming no user is answered 404 by its handler, and keying
    // budgets by whatever a client sends would grow the throttler's state without end.
    String mailbox = route.mailboxParam() == null ? null
        : data.users().find(params.get(route.mailboxParam())).map(Entity::id).orElse(null);
    return throttler.admit(caller.tenantId(), caller.appId(), mailbox, route.permission().family() == Family.DIRECTORY);
  }

  private Optional<GraphResponse> inject(FaultPolicy fault, String requestId, String clientRequestId) {
    FaultSettings settings = faults.settings();
    return switch (fault) {
      case INTERNAL_SERVER_ERROR -> Optional.of(GraphErrors.response(
          new GraphException(500, "generalException", "General exception while processing."), requestId, clientRequestId, clock.instant()));
      case SERVICE_UNAVAILABLE -> Optional.of(GraphErrors.response(
          new GraphException(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry after the time in the Retry-After header.",
              Map.of("Retry-After", Integer.toString(settings.retryAfterSeconds()))), requestId, clientRequestId, clock.instant()));
      case GATEWAY_TIMEOUT -> Optional.of(GraphErrors.response(
          new GraphException(504, "GatewayTimeout", "The gateway did not receive a timely response from the service."), requestId, clientRequestId, clock.instant()));
      case CONNECTION_RESET -> Optional.of(new GraphResponse(0, Map.of(), new GraphResponse.Body.Drop()));
      case SLOW_RESPONSE -> {
        try {
          sleeper.sleep(settings.slowResponse());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        yield Optional.empty();
      }
    };
  }

  private GraphResponse finish(GraphRequest request, GraphResponse response, String requestId, String clientRequestId) {
    stats.recordGraphRequest(family(request), response.status());
    if (response.body() instanceof GraphResponse.Body.Drop) {
      return response;
    }
    return decorate(response, requestId, clientRequestId);
  }

  public static GraphResponse decorate(GraphResponse response, String requestId, String clientRequestId) {
    Map<String, String> headers = new LinkedHashMap<>(response.headers());
    headers.put("request-id", requestId);
    headers.put("client-request-id", clientRequestId);
    headers.put("x-ms-ags-diagnostic", DIAGNOSTIC);
    return new GraphResponse(response.status(), headers, response.body());
  }

  public static String clientRequestId(GraphRequest request, String requestId) {
    String given = request.header("client-request-id");
    return given == null || given.isBlank() ? requestId : given;
  }

  public void recordItem(GraphRequest item, int status) {
    stats.recordGraphRequest(family(item), status);
  }
}

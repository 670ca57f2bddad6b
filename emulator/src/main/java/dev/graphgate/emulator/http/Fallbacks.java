package dev.graphgate.emulator.http;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each host answers when no route matched, or a request failed before reaching one (oversize body, unexpected
 * error): always JSON in that host's error shape, never HTML or a stack trace.
 */
public final class Fallbacks {

  private static final Logger LOG = LoggerFactory.getLogger(Fallbacks.class);

  private Fallbacks() {}

  /** The login host answers in the OAuth error shape. */
  public static void loginHost(RoutesConfig routes) {
    routes.exception(
        HttpResponseException.class,
        (e, ctx) ->
            oauthError(
                ctx,
                e.getStatus(),
                "invalid_request",
                e.getStatus() == 404 ? "The requested path " + ctx.path() + " does not exist on this host." : e.getMessage()));
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("Unexpected failure serving {} {}", ctx.method(), ctx.path(), e);
      oauthError(ctx, 500, "server_error", "The emulator failed to process the request.");
    });
  }

  /** Requests Jetty refuses before routing (bad URI escapes, oversized headers) get the login host's JSON shape too. */
  public static void loginHostProtocolErrors(JavalinConfig config) {
    config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler((status, reason) -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", "invalid_request");
      body.put("error_description", "The request could not be read: " + reason + " (HTTP " + status + ").");
      return Json.write(body);
    })));
  }

  /** Requests Jetty refuses before routing get the Graph host's OData error shape. */
  public static void graphHostProtocolErrors(JavalinConfig config) {
    config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler((status, reason) -> {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("code", "BadRequest");
      error.put("message", "The request could not be read: " + reason + ".");
      return Json.write(Map.of("error", error));
    })));
  }

  /** The Graph host answers in the OData error shape, with request ids as headers and in {@code innerError}. */
  public static void graphHost(RoutesConfig routes) {
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          if (e.getStatus() == 404) {
            graphError(ctx, 400, "BadRequest", "Resource not found for the segment '" + firstSegment(ctx.path()) + "'.");
          } else {
            graphError(ctx, e.getStatus(), "BadRequest", e.getMessage());
          }
        });
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("Unexpected failure serving {} {}", ctx.method(), ctx.path(), e);
      graphError(ctx, 500, "generalException", "An unexpected error occurred in the emulator.");
    });
  }

  static void oauthError(Context ctx, int status, String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    ctx.status(status).json(body);
  }

  public static void graphError(Context ctx, int status, String code, String message) {
    String requestId = RequestId.next();
    String clientRequestId = ctx.header("client-request-id");
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("date", LocalDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    inner.put("request-id", requestId);
    inner.put("client-request-id", clientRequestId == null ? requestId : clientRequestId);
    ctx.header("request-id", requestId);
    ctx.header("client-request-id", clientRequestId == null ? requestId : clientRequestId);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("innerError", inner);
    ctx.status(status).json(Map.of("error", error));
  }

  private static String firstSegment(String path) {
    String[] parts = path.split("/");
    for (int i = 1; i < parts.length; i++) {
      if (!parts[i].isEmpty() && !parts[i].equals("v1.0") && !parts[i].equals("beta")) {
        return parts[i];
      }
    }
    return path;
  }
}

package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.Json;
import dev.graphgate.server.storage.DatabaseFailures;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one mapping from failures to HTTP: JSON with a stable code, never HTML, never a stack trace. */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private final long maxRequestBytes;

  ErrorResponses(long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  void write(GraphgateException e, Context ctx) {
    ObjectNode error = Json.object();
    error.put("code", e.code());
    if (e.getMessage() != null) {
      error.put("message", e.getMessage());
    }
    switch (e) {
      case GraphgateException.AuthenticationFailed a -> error.putObject("payload");
      case GraphgateException.InvalidRequest r -> {
        if (!r.errors().isEmpty()) {
          ArrayNode list = error.putArray("errors");
          r.errors().forEach(f -> {
            ObjectNode item = list.addObject().put("code", f.code()).put("message", f.message());
            ArrayNode path = item.putArray("path");
            f.path().forEach(p -> {
              if (p instanceof Integer i) {
                path.add(i);
              } else {
                path.add(String.valueOf(p));
              }
            });
          });
        }
      }
      case GraphgateException.TokenRequestFailed t -> {
        ObjectNode payload = error.putObject("payload");
        payload.put("status", t.connectionStatus());
        if (t.payload() != null) {
          payload.setAll((ObjectNode) t.payload());
        }
      }
      case GraphgateException.RefreshBackoff b -> ctx.header("Retry-After", retryAfterSeconds(b.retryAfter()));
      case GraphgateException.TokenEndpointUnavailable u -> ctx.header("Retry-After", retryAfterSeconds(u.retryAfter()));
      case GraphgateException.InvalidJson x -> { }
      case GraphgateException.UnsupportedContentType x -> { }
      case GraphgateException.PayloadTooLarge x -> { }
      case GraphgateException.NotFound x -> { }
      case GraphgateException.UnknownProviderConfig x -> { }
      case GraphgateException.UnknownConnection x -> { }
      case GraphgateException.InvalidTenantId x -> { }
      case GraphgateException.InvalidScope x -> { }
      case GraphgateException.RefreshExhausted x -> { }
      case GraphgateException.BaseUrlOverrideNotAllowed x -> { }
      case GraphgateException.ProxyConnectionNotFound x -> { }
      case GraphgateException.ProxyCredentialsUnavailable p -> {
        if (p.connectionStatus() != null) {
          error.putObject("payload").put("status", p.connectionStatus());
        }
        if (p.retryAfter() != null) {
          ctx.header("Retry-After", retryAfterSeconds(p.retryAfter()));
        }
      }
      case GraphgateException.UpstreamUnreachable u -> error.put("method", u.method());
      case GraphgateException.ProxyThrottled t -> ctx.header("Retry-After", retryAfterSeconds(t.retryAfter()));
      case GraphgateException.DatabaseUnavailable d -> ctx.header("Retry-After", retryAfterSeconds(d.retryAfter()));
    }
    ObjectNode body = Json.object();
    body.set("error", error);
    ctx.status(e.status()).contentType("application/json").result(Json.write(body));
  }

  /** Whole seconds, rounded up, at least 1: a client that waits as told is not turned away again. */
  static String retryAfterSeconds(java.time.Duration d) {
    long millis = d.toMillis();
    return String.valueOf(Math.max(1, (millis + 999) / 1000));
  }

  /** Javalin's own: an unknown route, a wrong method, a body over the limit. */
  void write(HttpResponseException e, Context ctx) {
    switch (e.getStatus()) {
      case 404 -> write(new GraphgateException.NotFound("No route for " + ctx.method() + " " + ctx.path()), ctx);
      case 405 -> write(new GraphgateException.NotFound("No route for " + ctx.method() + " " + ctx.path()), ctx);
      case 413 -> write(new GraphgateException.PayloadTooLarge(maxRequestBytes), ctx);
      default -> {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", "http_" + e.getStatus()).put("message", e.getMessage());
        ctx.status(e.getStatus()).contentType("application/json").result(Json.write(body));
      }
    }
  }

  /** A bug or an outage: logged here with an id; the client gets only the id. */
  void writeUnexpected(Exception e, Context ctx) {
    Optional<GraphgateException.DatabaseUnavailable> outage = DatabaseFailures.connectionLost(e);
    if (outage.isPresent()) {
      log.warn("database connection lost on {} {}: {}", ctx.method(), ctx.path(), e.getClass().getSimpleName());
      write(outage.get(), ctx);
      return;
    }
    String id = UUID.randomUUID().toString();
    log.error("unexpected error {} on {} {}", id, ctx.method(), ctx.path(), e);
    ObjectNode body = Json.object();
    body.putObject("error")
        .put("message", "An error occurred. Please contact support with this unique id: \"" + id + "\"")
        .put("code", "generic_error_support")
        .put("payload", id);
    ctx.status(500).contentType("application/json").result(Json.write(body));
  }
}

package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.ErrorCode;
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
    write(e, ctx, payload -> { });
  }

  /**
   * As {@link #write(GraphgateException, Context)}, with {@code addToPayload} adding what the route knows to the
   * error's {@code payload} (the connection of a refused token request, as Nango sends it).
   */
  void write(GraphgateException e, Context ctx, java.util.function.Consumer<ObjectNode> addToPayload) {
    ObjectNode error = Json.object();
    error.put("code", e.code());
    if (e.getMessage() != null) {
      error.put("message", e.getMessage());
    }
    switch (e) {
      case GraphgateException.AuthenticationFailed a -> error.putObject("payload");
      case GraphgateException.InvalidRequest r -> {
        if (r.getMessage() == null && !r.errors().isEmpty()) {
          // Nango sends field errors without a message; every Graphgate error has one.
          error.put("message", summary(r));
        }
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
      case GraphgateException.TokenRequestFailed t -> addToPayload.accept(error.putObject("payload").put("status", t.connectionStatus()));
      case GraphgateException.RefreshBackoff b -> { }
      case GraphgateException.TokenEndpointUnavailable u -> { }
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
      }
      case GraphgateException.UpstreamUnreachable u -> error.put("method", u.method());
      case GraphgateException.ProxyThrottled t -> { }
      // The operator's mistake, not the caller's: said in the log too, by key id.
      case GraphgateException.EncryptionKeyUnavailable k -> log.warn("{} {}: a stored secret is sealed with encryption key '{}', which this "
          + "instance was not given (GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS; docs/running.md, key rotation)", ctx.method(), ctx.path(), k.keyId());
      case GraphgateException.DatabaseUnavailable d -> { }
      case GraphgateException.ConnectRefused x -> { }
      case GraphgateException.WebhookRefused x -> { }
      case GraphgateException.NotificationRefused x -> { }
      case GraphgateException.CredentialsRefused c -> {
        ObjectNode payload = error.putObject("payload").put("status", c.connectionStatus());
        c.adminConsentUrl().ifPresent(u -> payload.put("admin_consent_url", u));
      }
      case GraphgateException.SyncRefused r -> {
        ObjectNode payload = error.putObject("payload");
        r.adminConsentUrl().ifPresent(u -> payload.put("admin_consent_url", u));
      }
      case GraphgateException.ActionRefused r -> {
        ObjectNode payload = error.putObject("payload").put("action", r.action());
        r.adminConsentUrl().ifPresent(u -> payload.put("admin_consent_url", u));
        r.upstream().ifPresent(u -> {
          ObjectNode upstream = payload.putObject("upstream").put("status", u.status()).put("code", u.code()).put("message", u.message());
          u.requestId().ifPresent(id -> upstream.put("request_id", id));
        });
      }
    }
    e.retryAfter().ifPresent(d -> ctx.header("Retry-After", retryAfterSeconds(d)));
    ObjectNode body = Json.object();
    body.set("error", error);
    ctx.status(e.status()).contentType("application/json").result(Json.write(body));
  }

  /** The first field error, with its path, and how many more there are. */
  private static String summary(GraphgateException.InvalidRequest r) {
    GraphgateException.FieldError first = r.errors().get(0);
    String path = first.path().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("."));
    int more = r.errors().size() - 1;
    return (path.isEmpty() ? "" : RequestJson.shown(path) + ": ") + first.message()
        + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")");
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
        // Any other refusal by Javalin itself is about the request's form; its status is kept.
        ErrorCode code = e.getStatus() >= 500 ? ErrorCode.GENERIC_ERROR_SUPPORT : ErrorCode.MALFORMED_REQUEST;
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code.wire()).put("message", "The request could not be handled: " + e.getMessage());
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
        .put("code", ErrorCode.GENERIC_ERROR_SUPPORT.wire())
        .put("payload", id);
    ctx.status(ErrorCode.GENERIC_ERROR_SUPPORT.status()).contentType("application/json").result(Json.write(body));
  }
}

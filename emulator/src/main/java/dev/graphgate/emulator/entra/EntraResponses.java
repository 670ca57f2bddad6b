package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.http.Json;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the login host's JSON answers with the headers Entra sends on them. */
final class EntraResponses {

  /** What the emulator says it is in {@code x-ms-ests-server}, where Entra names its build and slice. */
  static final String ESTS_SERVER = "2.1.emulator - Graphgate";

  private EntraResponses() {}

  /** A token-endpoint style answer: never cached, with Entra's request id headers. */
  static void json(Context ctx, RequestIds ids, int status, Object body) {
    noStore(ctx, ids);
    ctx.status(status).contentType("application/json; charset=utf-8").result(Json.write(body));
  }

  static void error(Context ctx, RequestIds ids, EntraException e) {
    json(ctx, ids, e.error().status(), errorBody(ids, e, Origins.of(ctx)));
  }

  /**
   * The OAuth error body: {@code error}, {@code error_description} (the AADSTS message, then trace id, correlation id
   * and timestamp on lines of their own), {@code error_codes}, {@code timestamp}, {@code trace_id},
   * {@code correlation_id}, {@code error_uri}.
   */
  static Map<String, Object> errorBody(RequestIds ids, EntraException e, String origin) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.error().error());
    body.put("error_description", description(ids, e));
    body.put("error_codes", List.of(e.error().code()));
    body.put("timestamp", ids.formattedTimestamp());
    body.put("trace_id", ids.traceId());
    body.put("correlation_id", ids.correlationId());
    body.put("error_uri", errorUri(origin, e.error()));
    return body;
  }

  static String description(RequestIds ids, EntraException e) {
    return e.aadstsMessage()
        + "\r\nTrace ID: " + ids.traceId()
        + "\r\nCorrelation ID: " + ids.correlationId()
        + "\r\nTimestamp: " + ids.formattedTimestamp();
  }

  /** Entra links its own error lookup page; the emulator serves one at the same path. */
  static String errorUri(String origin, EntraError error) {
    return origin + "/error?code=" + error.code();
  }

  private static void noStore(Context ctx, RequestIds ids) {
    ctx.header("Cache-Control", "no-store, no-cache");
    ctx.header("Pragma", "no-cache");
    ctx.header("Expires", "-1");
    common(ctx, ids);
  }

  /** Headers every login-host answer carries. */
  static void common(Context ctx, RequestIds ids) {
    ctx.header("x-ms-request-id", ids.traceId());
    ctx.header("x-ms-ests-server", ESTS_SERVER);
    ctx.header("X-Content-Type-Options", "nosniff");
    if ("https".equals(ctx.scheme())) {
      ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    // MSAL asks for its request id back with return-client-request-id: true.
    if ("true".equalsIgnoreCase(ctx.header("return-client-request-id"))) {
      ctx.header("client-request-id", ids.correlationId());
    }
  }
}

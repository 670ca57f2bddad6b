package dev.graphgate.emulator.graph.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Graph's OData error body, with {@code innerError} carrying the date and request ids (section 7 of the reference). */
public final class GraphErrors {

  private GraphErrors() {}

  public static GraphResponse response(GraphException e, String requestId, String clientRequestId, Instant now) {
    return new GraphResponse(e.status(), e.headers(), new GraphResponse.Body.Json(body(e.status(), e.code(), e.getMessage(), requestId, clientRequestId, now)));
  }

  public static Map<String, Object> body(int status, String code, String message, String requestId, String clientRequestId, Instant now) {
    Map<String, Object> inner = new LinkedHashMap<>();
    if (status == 429) {
      inner.put("code", "429");
      inner.put("message", "Please retry after");
      inner.put("status", "429");
    }
    inner.put("date", LocalDateTime.ofInstant(now, ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    inner.put("request-id", requestId);
    inner.put("client-request-id", clientRequestId);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("innerError", inner);
    return Map.of("error", error);
  }
}

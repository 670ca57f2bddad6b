package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.observe.ProxyLogEntry;
import dev.graphgate.server.observe.ProxyLogQuery;
import dev.graphgate.server.observe.RequestLogReader;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /logs}: the request log of proxied calls, newest first, filtered by integration, connection, method,
 * status (a code such as {@code 429} or a class such as {@code 5xx}) and time, a page at a time
 * ({@code next_cursor} continues where a page ended).
 */
final class LogsHandler {
  private static final Set<String> QUERY = Set.of("provider_config_key", "connection_id", "method", "status", "since", "until", "limit", "cursor");
  private static final Pattern STATUS = Pattern.compile("([1-5])(xx|\\d\\d)", Pattern.CASE_INSENSITIVE);

  private final RequestLogReader logs;

  LogsHandler(RequestLogReader logs) {
    this.logs = logs;
  }

  void list(Context ctx) {
    Requests.onlyQuery(ctx, QUERY, Set.of());
    Optional<Integer> from = Optional.empty();
    Optional<Integer> to = Optional.empty();
    Optional<String> status = Requests.query(ctx, "status");
    if (status.isPresent()) {
      Matcher m = STATUS.matcher(status.get());
      if (!m.matches()) {
        throw invalid("status", "Expected an HTTP status such as 429, or a class such as 4xx");
      }
      if (m.group(2).equalsIgnoreCase("xx")) {
        from = Optional.of(Integer.parseInt(m.group(1)) * 100);
        to = Optional.of(Integer.parseInt(m.group(1)) * 100 + 99);
      } else {
        from = Optional.of(Integer.parseInt(status.get()));
        to = from;
      }
    }
    Optional<Long> cursor = Requests.query(ctx, "cursor").map(c -> {
      try {
        return Long.parseLong(c);
      } catch (NumberFormatException e) {
        throw invalid("cursor", "Expected the next_cursor of a previous page");
      }
    });
    ProxyLogQuery q = new ProxyLogQuery(Requests.query(ctx, "provider_config_key"), Requests.query(ctx, "connection_id"),
        Requests.query(ctx, "method").map(m -> m.toUpperCase(Locale.ROOT)), from, to, instant(ctx, "since"), instant(ctx, "until"), cursor,
        Requests.intQuery(ctx, "limit", 1, ProxyLogQuery.MAX_LIMIT, ProxyLogQuery.DEFAULT_LIMIT));
    List<ProxyLogEntry> page = logs.page(q);
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("logs");
    for (ProxyLogEntry e : page) {
      ObjectNode n = list.addObject();
      n.put("id", Long.toString(e.id()));
      n.put("created_at", Timestamps.zulu(e.createdAt()));
      n.put("provider_config_key", e.integrationKey().orElse(null));
      n.put("connection_id", e.connectionId().orElse(null));
      n.put("method", e.method());
      n.put("path", e.path());
      n.put("base_url", e.baseUrl().orElse(null));
      n.put("status", e.status());
      n.put("attempts", e.attempts());
      n.put("waited_ms", e.waitedMillis());
      n.put("duration_ms", e.durationMillis());
      n.put("request_bytes", e.requestBytes());
      n.put("response_bytes", e.responseBytes());
      n.put("upstream_request_id", e.upstreamRequestId().orElse(null));
      n.put("error", e.errorCode().orElse(null));
      n.put("permission_hint", e.permissionHint().orElse(null));
    }
    body.put("next_cursor", page.size() == q.limit() ? Long.toString(page.get(page.size() - 1).id()) : null);
    Responses.json(ctx, 200, body);
  }

  private static Optional<Instant> instant(Context ctx, String key) {
    return Requests.query(ctx, key).map(v -> {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw invalid(key, "Expected an ISO-8601 instant such as 2026-01-05T10:00:00Z");
      }
    });
  }

  private static InvalidRequest invalid(String key, String message) {
    return InvalidRequest.query(FieldError.Kind.INVALID_STRING, message, key);
  }
}

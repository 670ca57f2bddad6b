package dev.graphgate.server.observe;

import java.util.List;

/**
 * The name of every meter Graphgate registers, in one place, so that the code and {@code docs/metrics.md} list the
 * same set ({@code MetricsEndpointTest} compares the page with a live scrape). Each meter is registered once, by
 * the class where its event happens, and carries only tags whose values the code chooses from a fixed set: never a
 * connection id, a tenant, an integration key, a path or anything else a caller names.
 *
 * <p>Prometheus sees {@code graphgate.proxy.requests} as {@code graphgate_proxy_requests_seconds} (a timer),
 * {@code graphgate.proxy.log.dropped} as {@code graphgate_proxy_log_dropped_total} (a counter).
 */
public final class MeterNames {
  /** Timer: every request to the HTTP API, by method, route template and status ({@link RequestLog}). */
  public static final String HTTP_REQUESTS = "graphgate.http.requests";

  /** Timer: proxied calls, by method and outcome (status family, or Graphgate's error code) ({@link ProxyMeters}). */
  public static final String PROXY_REQUESTS = "graphgate.proxy.requests";
  /** Distribution summary: requests sent upstream per proxied call ({@link ProxyMeters}). */
  public static final String PROXY_ATTEMPTS = "graphgate.proxy.attempts";
  /** Timer: time a proxied call spent waiting (Retry-After, backoff, throttle gates) ({@link ProxyMeters}). */
  public static final String PROXY_WAITED = "graphgate.proxy.waited";
  /** Counter: request log entries dropped because the queue was full ({@link ProxyLogWriter}). */
  public static final String PROXY_LOG_DROPPED = "graphgate.proxy.log.dropped";
  /** Counter: request log entries lost to database errors ({@link ProxyLogWriter}). */
  public static final String PROXY_LOG_FAILED = "graphgate.proxy.log.failed";

  /** Counter: attempts repeated after a retryable answer or failure ({@code upstream.UpstreamClient}). */
  public static final String UPSTREAM_RETRIES = "graphgate.upstream.retries";
  /** Counter: 429 answers from Microsoft to a whole request ({@code upstream.UpstreamClient}). */
  public static final String UPSTREAM_THROTTLED = "graphgate.upstream.throttled";
  /** Counter: 401 answers followed by a replacement token and one more attempt ({@code upstream.UpstreamClient}). */
  public static final String UPSTREAM_TOKEN_REJECTED = "graphgate.upstream.token.rejected";

  /** Counter: throttle gates closed (or kept closed longer) by Microsoft's 429, by gate kind ({@code upstream.ThrottleGate}). */
  public static final String GATE_CLOSURES = "graphgate.gate.closures";
  /** Timer: callers a throttle gate held back before they could start, and for how long, by gate kind. */
  public static final String GATE_HELD = "graphgate.gate.held";
  /** Counter: callers a throttle gate refused because it would not let them start within their time budget, by gate kind. */
  public static final String GATE_REFUSED = "graphgate.gate.refused";

  /** Timer: token requests sent to Entra, by kind (graph, resource), outcome and resulting status ({@code auth.TokenMeters}). */
  public static final String TOKEN_REQUESTS = "graphgate.token.requests";
  /** Counter: token answers, by kind and how they were served (fresh, refresh_ahead, waited, held_back) ({@code auth.TokenMeters}). */
  public static final String TOKEN_ANSWERS = "graphgate.token.answers";

  /** Counter: connection lookups by name, by result (hit: from memory, miss: read from the database) ({@code connection.ConnectionService}). */
  public static final String CONNECTION_CACHE = "graphgate.connection.cache";
  /** Counter: connection status changes, by new status ({@code connection.StatusChanges}). */
  public static final String CONNECTION_STATUS_CHANGES = "graphgate.connection.status.changes";

  /** Counter: webhook deliveries finished, by outcome (delivered, failed, skipped) ({@code webhook.WebhookMeters}). */
  public static final String WEBHOOK_DELIVERIES = "graphgate.webhook.deliveries";
  /** Counter: webhook attempts sent, by result (2xx, 3xx, 4xx, 5xx, transport_error) ({@code webhook.WebhookMeters}). */
  public static final String WEBHOOK_ATTEMPTS = "graphgate.webhook.attempts";
  /** Gauge: webhook deliveries waiting or being sent, as this instance last counted them ({@code webhook.WebhookMeters}). */
  public static final String WEBHOOK_BACKLOG = "graphgate.webhook.backlog";

  /** Every name above. */
  public static final List<String> ALL = List.of(HTTP_REQUESTS, PROXY_REQUESTS, PROXY_ATTEMPTS, PROXY_WAITED, PROXY_LOG_DROPPED, PROXY_LOG_FAILED,
      UPSTREAM_RETRIES, UPSTREAM_THROTTLED, UPSTREAM_TOKEN_REJECTED, GATE_CLOSURES, GATE_HELD, GATE_REFUSED, TOKEN_REQUESTS, TOKEN_ANSWERS,
      CONNECTION_CACHE, CONNECTION_STATUS_CHANGES, WEBHOOK_DELIVERIES, WEBHOOK_ATTEMPTS, WEBHOOK_BACKLOG);

  private MeterNames() {}
}

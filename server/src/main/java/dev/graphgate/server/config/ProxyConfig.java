package dev.graphgate.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the Graph proxy behaves: retries, time limits, client-side throttling, where it may send requests, and how long
 * its request log is kept. Built once; every value is checked here with the setting's name in the message.
 *
 * @param defaultRetries additional attempts after a retryable answer when the request has no {@code Retries} header.
 *     Default {@value #DEFAULT_RETRIES}, as Microsoft's own SDKs retry (kiota's RetryHandler).
 * @param retryBudget the most a request may spend waiting (Retry-After, backoff, a closed throttle gate) over all its
 *     attempts. Default 60 seconds.
 * @param connectTimeout time to open a connection upstream. Default 5 seconds.
 * @param requestTimeout time for one attempt until upstream's response headers arrive, and the longest pause within a
 *     streamed response body. Default 60 seconds.
 * @param replayBufferBytes request bodies up to this size are kept in memory so an attempt can be repeated; larger
 *     bodies stream through once. Default 1 MiB.
 * @param tenant limits per app and tenant (every request through a connection)
 * @param mailbox limits per app and mailbox (Outlook paths: messages, mail folders, events, calendars, contacts)
 * @param extraAllowedOrigins origins ({@code scheme://host[:port]}) a {@code Base-Url-Override} may name beyond the
 *     cloud's Microsoft resource hosts; tokens for them are requested with the scope {@code <origin>/.default}
 * @param logRetention how long request log entries are kept. Default 7 days.
 * @param logQueueCapacity entries waiting to be written; beyond it new entries are dropped and counted. Default 10,000.
 */
public record ProxyConfig(
    int defaultRetries,
    Duration retryBudget,
    Duration connectTimeout,
    Duration requestTimeout,
    int replayBufferBytes,
    GateLimits tenant,
    GateLimits mailbox,
    List<URI> extraAllowedOrigins,
    Duration logRetention,
    int logQueueCapacity) {

  public static final int DEFAULT_RETRIES = 3;
  public static final int MAX_RETRIES = 10;
  public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_REPLAY_BUFFER_BYTES = 1024 * 1024;
  /** No limit per tenant but the Retry-After of a 429: Graph's per-tenant limits are budgets Graph itself enforces. */
  public static final GateLimits DEFAULT_TENANT = new GateLimits(0, 0);
  /** Outlook allows 4 concurrent requests and 10,000 per 10 minutes per mailbox; 15/s with a burst of 100 stays under. */
  public static final GateLimits DEFAULT_MAILBOX = new GateLimits(4, 15);
  public static final Duration DEFAULT_LOG_RETENTION = Duration.ofDays(7);
  public static final int DEFAULT_LOG_QUEUE_CAPACITY = 10_000;

  /**
   * Limits of one throttle gate.
   *
   * @param concurrency requests in flight at once; 0 means no limit
   * @param ratePerSecond requests started per second, with a burst of {@link #burst()}; 0 means no limit
   */
  public record GateLimits(int concurrency, double ratePerSecond) {
    public GateLimits {
      if (concurrency < 0 || concurrency > 10_000) {
        throw new IllegalArgumentException("concurrency must be between 0 (no limit) and 10000, got " + concurrency);
      }
      if (ratePerSecond < 0 || ratePerSecond > 1_000_000 || Double.isNaN(ratePerSecond)) {
        throw new IllegalArgumentException("rate must be between 0 (no limit) and 1000000 per second, got " + ratePerSecond);
      }
    }

    /** Requests that may start at once after a quiet period: about 6.7 s worth at the rate, at least 1. */
    public int burst() {
      return ratePerSecond == 0 ? 0 : (int) Math.max(1, Math.min(100, Math.round(ratePerSecond * 20 / 3)));
    }
  }

  public ProxyConfig {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(mailbox, "mailbox");
    extraAllowedOrigins = List.copyOf(extraAllowedOrigins);
    if (defaultRetries < 0 || defaultRetries > MAX_RETRIES) {
      throw new InvalidConfigException("GRAPHGATE_PROXY_RETRIES must be between 0 and " + MAX_RETRIES + ", got " + defaultRetries);
    }
    requireBetween(retryBudget, Duration.ZERO, Duration.ofMinutes(10), "GRAPHGATE_PROXY_RETRY_BUDGET");
    requireBetween(connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(5), "GRAPHGATE_PROXY_CONNECT_TIMEOUT");
    requireBetween(requestTimeout, Duration.ofMillis(1), Duration.ofMinutes(30), "GRAPHGATE_PROXY_TIMEOUT");
    if (replayBufferBytes < 0 || replayBufferBytes > 64 * 1024 * 1024) {
      throw new InvalidConfigException("GRAPHGATE_PROXY_REPLAY_BUFFER_BYTES must be between 0 and 67108864, got " + replayBufferBytes);
    }
    for (URI origin : extraAllowedOrigins) {
      requireOrigin(origin);
    }
    requireBetween(logRetention, Duration.ofMinutes(1), Duration.ofDays(3650), "GRAPHGATE_LOG_RETENTION");
    if (logQueueCapacity < 1 || logQueueCapacity > 1_000_000) {
      throw new InvalidConfigException("GRAPHGATE_LOG_QUEUE_CAPACITY must be between 1 and 1000000, got " + logQueueCapacity);
    }
  }

  public static ProxyConfig defaults() {
    return new ProxyConfig(DEFAULT_RETRIES, DEFAULT_RETRY_BUDGET, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_REPLAY_BUFFER_BYTES, DEFAULT_TENANT, DEFAULT_MAILBOX, List.of(), DEFAULT_LOG_RETENTION, DEFAULT_LOG_QUEUE_CAPACITY);
  }

  public ProxyConfig withDefaultRetries(int v) {
    return new ProxyConfig(v, retryBudget, connectTimeout, requestTimeout, replayBufferBytes, tenant, mailbox, extraAllowedOrigins, logRetention, logQueueCapacity);
  }

  public ProxyConfig withRetryBudget(Duration v) {
    return new ProxyConfig(defaultRetries, v, connectTimeout, requestTimeout, replayBufferBytes, tenant, mailbox, extraAllowedOrigins, logRetention, logQueueCapacity);
  }

  public ProxyConfig withTimeouts(Duration connect, Duration request) {
    return new ProxyConfig(defaultRetries, retryBudget, connect, request, replayBufferBytes, tenant, mailbox, extraAllowedOrigins, logRetention, logQueueCapacity);
  }

  public ProxyConfig withReplayBufferBytes(int v) {
    return new ProxyConfig(defaultRetries, retryBudget, connectTimeout, requestTimeout, v, tenant, mailbox, extraAllowedOrigins, logRetention, logQueueCapacity);
  }

  public ProxyConfig withTenant(GateLimits v) {
    return new ProxyConfig(defaultRetries, retryBudget, connectTimeout, requestTimeout, replayBufferBytes, v, mailbox, extraAllowedOrigins, logRetention, logQueueCapacity);
  }

  public ProxyConfig withMailbox(GateLimits v) {
    return new ProxyConfig(defaultRetries, retryBudget, connectTimeout, requestTimeout, replayBufferBytes, tenant, v, extraAllowedOrigins, logRetention, logQueueCapacity);
  }

  public ProxyConfig withExtraAllowedOrigins(List<URI> v) {
    return new ProxyConfig(defaultRetries, retryBudget, connectTimeout, requestTimeout, replayBufferBytes, tenant, mailbox, v, logRetention, logQueueCapacity);
  }

  public ProxyConfig withLog(Duration retention, int queueCapacity) {
    return new ProxyConfig(defaultRetries, retryBudget, connectTimeout, requestTimeout, replayBufferBytes, tenant, mailbox, extraAllowedOrigins, retention, queueCapacity);
  }

  private static void requireBetween(Duration d, Duration min, Duration max, String name) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new InvalidConfigException(name + " must be a duration from " + DurationText.of(min) + " to " + DurationText.of(max)
          + " (such as 500ms, 30s, 5m), got " + DurationText.of(d));
    }
  }

  private static void requireOrigin(URI origin) {
    String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
    boolean bare = (origin.getRawPath() == null || origin.getRawPath().isEmpty()) && origin.getRawQuery() == null
        && origin.getRawFragment() == null && origin.getRawUserInfo() == null;
    if (origin.getHost() == null || !bare || !OutboundUrls.isAllowed(origin) || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new InvalidConfigException("GRAPHGATE_PROXY_ALLOWED_ORIGINS entries must be origins such as https://host or http://127.0.0.1:8080 "
          + "(https, or plain http only to this machine; no path, query or user info), got " + origin);
    }
  }
}

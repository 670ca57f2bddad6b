package dev.graphgate.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one place that reads {@code GRAPHGATE_*} variables; each bad value is reported with the variable's name. */
final class EnvironmentConfigReader {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final Map<String, String> env;

  EnvironmentConfigReader(Map<String, String> env) {
    this.env = env;
  }

  GraphgateConfig read() {
    GraphgateConfig.Builder b = GraphgateConfig.builder();
    value("GRAPHGATE_PORT").ifPresent(v -> b.port(integer("GRAPHGATE_PORT", v)));
    value("GRAPHGATE_HOST").ifPresent(b::host);
    value("GRAPHGATE_DATA_DIR").ifPresent(v -> b.dataDir(Path.of(v)));
    value("GRAPHGATE_DATABASE_URL").ifPresent(b::databaseUrl);
    value("GRAPHGATE_DATABASE_USER").ifPresent(b::databaseUser);
    value("GRAPHGATE_DATABASE_PASSWORD").ifPresent(b::databasePassword);
    value("GRAPHGATE_DATABASE_POOL_SIZE").ifPresent(v -> b.databasePoolSize(integer("GRAPHGATE_DATABASE_POOL_SIZE", v)));
    value("GRAPHGATE_DATABASE_CONNECTION_TIMEOUT").ifPresent(v -> b.databaseConnectionTimeout(duration("GRAPHGATE_DATABASE_CONNECTION_TIMEOUT", v)));
    value("GRAPHGATE_SHUTDOWN_GRACE").ifPresent(v -> b.shutdownGrace(duration("GRAPHGATE_SHUTDOWN_GRACE", v)));
    value("GRAPHGATE_SECRET_KEY").ifPresent(b::secretKey);
    value("GRAPHGATE_PREVIOUS_SECRET_KEYS").ifPresent(v -> b.previousSecretKeys(list(v)));
    value("GRAPHGATE_ENCRYPTION_KEY").ifPresent(b::encryptionKey);
    value("GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS").ifPresent(v -> b.previousEncryptionKeys(list(v)));
    b.cloud(cloud());
    value("GRAPHGATE_SERVER_URL").ifPresent(v -> b.publicUrl(url("GRAPHGATE_SERVER_URL", v)));
    value("GRAPHGATE_TOKEN_REFRESH_MARGIN").ifPresent(v -> b.tokenRefreshMargin(duration("GRAPHGATE_TOKEN_REFRESH_MARGIN", v)));
    value("GRAPHGATE_TOKEN_REQUEST_TIMEOUT").ifPresent(v -> b.tokenRequestTimeout(duration("GRAPHGATE_TOKEN_REQUEST_TIMEOUT", v)));
    value("GRAPHGATE_CACHE_SYNC_INTERVAL").ifPresent(v -> b.cacheSyncInterval(duration("GRAPHGATE_CACHE_SYNC_INTERVAL", v)));
    value("GRAPHGATE_MAX_REQUEST_BYTES").ifPresent(v -> b.maxRequestBytes(integer("GRAPHGATE_MAX_REQUEST_BYTES", v)));
    b.proxy(proxy());
    value("GRAPHGATE_METRICS_TOKEN").ifPresent(b::metricsToken);
    value("GRAPHGATE_DASHBOARD_PASSWORD").ifPresent(b::dashboardPassword);
    value("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME").ifPresent(v -> b.adminConsentLinkLifetime(duration("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME", v)));
    value("GRAPHGATE_CONNECT_SESSION_TTL").ifPresent(v -> b.connectSessionTtl(duration("GRAPHGATE_CONNECT_SESSION_TTL", v)));
    value("GRAPHGATE_SYNC_THREADS").ifPresent(v -> b.syncThreads((int) integer("GRAPHGATE_SYNC_THREADS", v)));
    value("GRAPHGATE_PUBLIC_URL").ifPresent(v -> b.notificationUrl(url("GRAPHGATE_PUBLIC_URL", v)));
    value("GRAPHGATE_SUBSCRIPTION_POLL_INTERVAL").ifPresent(v -> b.subscriptionPollInterval(duration("GRAPHGATE_SUBSCRIPTION_POLL_INTERVAL", v)));
    value("GRAPHGATE_SYNC_POLL_INTERVAL").ifPresent(v -> b.syncPollInterval(duration("GRAPHGATE_SYNC_POLL_INTERVAL", v)));
    b.webhooks(webhooks());
    return b.build();
  }

  private WebhookConfig webhooks() {
    WebhookConfig w = WebhookConfig.defaults();
    Optional<String> primary = value("GRAPHGATE_WEBHOOK_PRIMARY_URL").map(v -> url("GRAPHGATE_WEBHOOK_PRIMARY_URL", v).toString());
    Optional<String> secondary = value("GRAPHGATE_WEBHOOK_SECONDARY_URL").map(v -> url("GRAPHGATE_WEBHOOK_SECONDARY_URL", v).toString());
    w = w.withUrls(primary, secondary);
    for (String s : WebhookConfig.SWITCHES) {
      String name = "GRAPHGATE_WEBHOOK_" + s.toUpperCase(java.util.Locale.ROOT);
      Optional<String> v = value(name);
      if (v.isPresent()) {
        w = w.withSwitch(s, bool(name, v.get()));
      }
    }
    Duration grace = value("GRAPHGATE_WEBHOOK_SIGNING_KEY_GRACE").map(v -> duration("GRAPHGATE_WEBHOOK_SIGNING_KEY_GRACE", v)).orElse(w.signingKeyGrace());
    w = w.withSigningKey(value("GRAPHGATE_WEBHOOK_SIGNING_KEY"), grace);
    if (value("GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS").isPresent()) {
      w = w.withAllowPrivateUrls(bool("GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS", value("GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS").get()));
    }
    return w.withDelivery(
        value("GRAPHGATE_WEBHOOK_TIMEOUT").map(v -> duration("GRAPHGATE_WEBHOOK_TIMEOUT", v)).orElse(w.timeout()),
        value("GRAPHGATE_WEBHOOK_MAX_ATTEMPTS").map(v -> integer("GRAPHGATE_WEBHOOK_MAX_ATTEMPTS", v)).orElse(w.maxAttempts()),
        value("GRAPHGATE_WEBHOOK_RETRY_INITIAL").map(v -> duration("GRAPHGATE_WEBHOOK_RETRY_INITIAL", v)).orElse(w.retryInitial()),
        value("GRAPHGATE_WEBHOOK_RETRY_MAX").map(v -> duration("GRAPHGATE_WEBHOOK_RETRY_MAX", v)).orElse(w.retryMax()),
        value("GRAPHGATE_WEBHOOK_POLL_INTERVAL").map(v -> duration("GRAPHGATE_WEBHOOK_POLL_INTERVAL", v)).orElse(w.pollInterval()));
  }

  private static boolean bool(String name, String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new InvalidConfigException(name + " must be true or false, got '" + v + "'");
    };
  }

  private ProxyConfig proxy() {
    ProxyConfig p = ProxyConfig.defaults();
    if (value("GRAPHGATE_PROXY_RETRIES").isPresent()) {
      p = p.withDefaultRetries(integer("GRAPHGATE_PROXY_RETRIES", value("GRAPHGATE_PROXY_RETRIES").get()));
    }
    if (value("GRAPHGATE_PROXY_RETRY_BUDGET").isPresent()) {
      p = p.withRetryBudget(duration("GRAPHGATE_PROXY_RETRY_BUDGET", value("GRAPHGATE_PROXY_RETRY_BUDGET").get()));
    }
    Duration connect = value("GRAPHGATE_PROXY_CONNECT_TIMEOUT").map(v -> duration("GRAPHGATE_PROXY_CONNECT_TIMEOUT", v)).orElse(p.connectTimeout());
    Duration request = value("GRAPHGATE_PROXY_TIMEOUT").map(v -> duration("GRAPHGATE_PROXY_TIMEOUT", v)).orElse(p.requestTimeout());
    p = p.withTimeouts(connect, request);
    if (value("GRAPHGATE_PROXY_REPLAY_BUFFER_BYTES").isPresent()) {
      p = p.withReplayBufferBytes(integer("GRAPHGATE_PROXY_REPLAY_BUFFER_BYTES", value("GRAPHGATE_PROXY_REPLAY_BUFFER_BYTES").get()));
    }
    p = p.withTenant(gate("GRAPHGATE_PROXY_TENANT_CONCURRENCY", "GRAPHGATE_PROXY_TENANT_RATE", p.tenant()));
    p = p.withMailbox(gate("GRAPHGATE_PROXY_MAILBOX_CONCURRENCY", "GRAPHGATE_PROXY_MAILBOX_RATE", p.mailbox()));
    if (value("GRAPHGATE_PROXY_ALLOWED_ORIGINS").isPresent()) {
      p = p.withExtraAllowedOrigins(Arrays.stream(value("GRAPHGATE_PROXY_ALLOWED_ORIGINS").get().split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).map(s -> url("GRAPHGATE_PROXY_ALLOWED_ORIGINS", s)).toList());
    }
    Duration retention = value("GRAPHGATE_LOG_RETENTION").map(v -> duration("GRAPHGATE_LOG_RETENTION", v)).orElse(p.logRetention());
    int queue = value("GRAPHGATE_LOG_QUEUE_CAPACITY").map(v -> integer("GRAPHGATE_LOG_QUEUE_CAPACITY", v)).orElse(p.logQueueCapacity());
    return p.withLog(retention, queue);
  }

  private ProxyConfig.GateLimits gate(String concurrencyName, String rateName, ProxyConfig.GateLimits defaults) {
    int concurrency = value(concurrencyName).map(v -> integer(concurrencyName, v)).orElse(defaults.concurrency());
    double rate = value(rateName).map(v -> decimal(rateName, v)).orElse(defaults.ratePerSecond());
    try {
      return new ProxyConfig.GateLimits(concurrency, rate);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(concurrencyName + " / " + rateName + ": " + e.getMessage());
    }
  }

  private static double decimal(String name, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(name + " must be a number such as 15 or 2.5, got '" + v + "'");
    }
  }

  private CloudConfig cloud() {
    String name = value("GRAPHGATE_CLOUD").orElse("global");
    Optional<String> login = value("GRAPHGATE_LOGIN_URL");
    Optional<String> graph = value("GRAPHGATE_GRAPH_URL");
    if (name.equalsIgnoreCase("custom")) {
      if (login.isEmpty() || graph.isEmpty()) {
        throw new InvalidConfigException("GRAPHGATE_CLOUD=custom needs both GRAPHGATE_LOGIN_URL and GRAPHGATE_GRAPH_URL");
      }
      return CloudConfig.custom(url("GRAPHGATE_LOGIN_URL", login.get()), url("GRAPHGATE_GRAPH_URL", graph.get()));
    }
    CloudConfig cloud = CloudConfig.named(name);
    if (cloud == null) {
      throw new InvalidConfigException("GRAPHGATE_CLOUD must be one of global, usgov, usgov-dod, china, custom; got '" + name + "'");
    }
    if (login.isPresent() || graph.isPresent()) {
      throw new InvalidConfigException("GRAPHGATE_LOGIN_URL and GRAPHGATE_GRAPH_URL are only read with GRAPHGATE_CLOUD=custom");
    }
    return cloud;
  }

  /** A comma-separated list; blanks around and between the commas are ignored. */
  private static java.util.List<String> list(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private Optional<String> value(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static int integer(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(name + " must be a whole number, got '" + v + "'");
    }
  }

  private static URI url(String name, String v) {
    try {
      URI uri = new URI(v);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new InvalidConfigException(name + " must be an absolute URL such as https://host, got '" + v + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InvalidConfigException(name + " must be an absolute URL such as https://host, got '" + v + "'");
    }
  }

  /** Accepts {@code 250ms}, {@code 10s}, {@code 15m}, {@code 1h}, {@code 7d} or ISO-8601 such as {@code PT15M}. */
  static Duration duration(String name, String v) {
    Matcher m = SIMPLE_DURATION.matcher(v.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidConfigException(name + " must be a duration such as 500ms, 10s, 15m, 1h or PT15M, got '" + v + "'");
    }
  }

}

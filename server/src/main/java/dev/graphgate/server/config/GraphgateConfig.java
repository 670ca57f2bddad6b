package dev.graphgate.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every setting of a Graphgate instance, validated once. Built from {@code GRAPHGATE_*} environment variables by
 * {@link #fromEnvironment(Map)}; tests build it with {@link #builder()}. Defaults run the embedded mode with nothing
 * installed.
 *
 * @param port HTTP port; 0 picks a free one. Default {@value #DEFAULT_PORT}.
 * @param host interface to bind. Default {@value #DEFAULT_HOST}.
 * @param dataDir where the embedded database and generated key file live. Default {@value #DEFAULT_DATA_DIR}.
 * @param databaseUrl JDBC URL; default an H2 file in the data dir.
 * @param secretKey the API secret key (UUID v4); empty means "use the stored one, or generate one on first start".
 * @param previousSecretKeys older API secret keys (UUID v4s), still accepted while clients move to the current one.
 * @param encryptionKey base64 of 32 bytes sealing secrets at rest; empty means "use the key file in the data dir"
 *     (embedded mode only).
 * @param previousEncryptionKeys older keys, still accepted for reading until {@code rotate-key} re-sealed everything.
 * @param publicUrl the URL users reach this server at, used in links; empty means {@code http://localhost:<port>}.
 * @param tokenRefreshMargin a token is refreshed when it expires within this margin. Default 15 minutes.
 * @param tokenRequestTimeout timeout of one token request to Entra. Default 10 seconds.
 * @param cacheSyncInterval how often an instance picks up other instances' changes. Default 1 second.
 * @param maxRequestBytes largest request body accepted by the JSON API (proxied bodies stream and are not limited by
 *     it). Default 1 MiB.
 * @param proxy the Graph proxy's retries, timeouts, throttling, allowed origins and request log.
 * @param dashboardPassword a password that signs in to the dashboard ({@code /dashboard/}) besides the API secret keys,
 *     for operators who should not hold an API key; at least {@value #MIN_DASHBOARD_PASSWORD_LENGTH} characters
 * @param metricsToken a token that reads {@code GET /metrics} (besides the API secret keys), for a scraper that
 *     should not hold an API key: at least {@value #MIN_METRICS_TOKEN_LENGTH} characters of {@code A-Z a-z 0-9 - . _ ~ + /};
 *     empty means only the API secret keys read it.
 * @param adminConsentLinkLifetime how long an admin consent link works after Graphgate shows it (it works once). Default 7 days.
 * @param databaseConnectionTimeout how long a request waits for a database connection before it is answered
 *     {@code 503 database_unavailable}. Default 5 seconds.
 * @param shutdownGrace how long a stopping instance lets requests in flight finish. Default 20 seconds.
 * @param connectSessionTtl how long a connect session token works after it is created, from 1 minute to 24 hours.
 *     Default 30 minutes (Nango's).
 * @param syncThreads how many sync runs this instance runs at once, from 1 to 64. Default 2.
 * @param syncPollInterval how often this instance looks in the database for syncs that are due (a run asked for
 *     through the API on this instance starts at once), from 100 ms to 10 minutes. Default 10 seconds.
 * @param webhooks outgoing webhooks: destinations, switches and signing key from the environment, and the delivery schedule.
 * @param notificationUrl the public base URL Microsoft Graph delivers change notifications to
 *     ({@code GRAPHGATE_PUBLIC_URL}); empty means Graphgate creates no Graph subscriptions (syncs run on their schedule only).
 * @param subscriptionPollInterval how often this instance looks for subscriptions to create, renew or delete, and
 *     for stored notifications left unprocessed, from 100 ms to 10 minutes. Default 30 seconds.
 */
public record GraphgateConfig(
    int port,
    String host,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    int databasePoolSize,
    Optional<String> secretKey,
    List<String> previousSecretKeys,
    Optional<String> encryptionKey,
    List<String> previousEncryptionKeys,
    CloudConfig cloud,
    Optional<URI> publicUrl,
    Duration tokenRefreshMargin,
    Duration tokenRequestTimeout,
    Duration cacheSyncInterval,
    long maxRequestBytes,
    ProxyConfig proxy,
    Optional<String> metricsToken,
    Duration adminConsentLinkLifetime,
    Duration databaseConnectionTimeout,
    Duration shutdownGrace,
    Duration connectSessionTtl,
    int syncThreads,
    Duration syncPollInterval,
    WebhookConfig webhooks,
    Optional<String> dashboardPassword,
    Optional<URI> notificationUrl,
    Duration subscriptionPollInterval) {

  /** The shortest dashboard password accepted: a password is guessed over the network, so it must be long. */
  public static final int MIN_DASHBOARD_PASSWORD_LENGTH = 16;
  public static final int DEFAULT_SYNC_THREADS = 2;
  public static final Duration DEFAULT_SUBSCRIPTION_POLL_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_SYNC_POLL_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_PORT = 3003;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final String DEFAULT_DATA_DIR = "./data";
  public static final int DEFAULT_DATABASE_POOL_SIZE = 10;
  public static final Duration DEFAULT_TOKEN_REFRESH_MARGIN = Duration.ofMinutes(15);
  public static final Duration DEFAULT_TOKEN_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CACHE_SYNC_INTERVAL = Duration.ofSeconds(1);
  public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
  public static final int MIN_METRICS_TOKEN_LENGTH = 32;
  /** RFC 6750's token characters, so the token fits an {@code Authorization: Bearer} header as it is. */
  private static final Pattern METRICS_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
  /** Long enough for a link sent to a customer's admin by e-mail to be opened after a weekend. */
  public static final Duration DEFAULT_ADMIN_CONSENT_LINK_LIFETIME = Duration.ofDays(7);
  public static final Duration DEFAULT_DATABASE_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
  /** Nango's lifetime of a connect session token. */
  public static final Duration DEFAULT_CONNECT_SESSION_TTL = Duration.ofMinutes(30);

  public GraphgateConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(webhooks, "webhooks");
    previousSecretKeys = List.copyOf(previousSecretKeys);
    previousEncryptionKeys = List.copyOf(previousEncryptionKeys);
    if (port < 0 || port > 65535) {
      throw new InvalidConfigException("GRAPHGATE_PORT must be between 0 and 65535, got " + port);
    }
    if (databasePoolSize < 1 || databasePoolSize > 200) {
      throw new InvalidConfigException("GRAPHGATE_DATABASE_POOL_SIZE must be between 1 and 200, got " + databasePoolSize);
    }
    if (!databaseUrl.startsWith("jdbc:h2:") && !databaseUrl.startsWith("jdbc:postgresql:")) {
      throw new InvalidConfigException(
          "GRAPHGATE_DATABASE_URL must be a jdbc:h2: or jdbc:postgresql: URL, got one starting with '"
              + databaseUrl.substring(0, Math.min(databaseUrl.length(), 16)) + "'");
    }
    if (databaseUrl.startsWith("jdbc:h2:")) {
      databaseUrl = H2Durability.apply(databaseUrl);
    }
    if (!OutboundUrls.isAllowed(cloud.loginUrl())) {
      throw new InvalidConfigException("GRAPHGATE_LOGIN_URL must be an https URL (plain http only to localhost or 127.0.0.1), got " + cloud.loginUrl());
    }
    if (!OutboundUrls.isAllowed(cloud.graphUrl())) {
      throw new InvalidConfigException("GRAPHGATE_GRAPH_URL must be an https URL (plain http only to localhost or 127.0.0.1), got " + cloud.graphUrl());
    }
    requirePositive(tokenRefreshMargin, "GRAPHGATE_TOKEN_REFRESH_MARGIN");
    if (tokenRefreshMargin.compareTo(Duration.ofMinutes(50)) > 0) {
      throw new InvalidConfigException("GRAPHGATE_TOKEN_REFRESH_MARGIN must be at most 50m (Entra tokens live about an hour), got " + DurationText.of(tokenRefreshMargin));
    }
    requirePositive(tokenRequestTimeout, "GRAPHGATE_TOKEN_REQUEST_TIMEOUT");
    requirePositive(cacheSyncInterval, "GRAPHGATE_CACHE_SYNC_INTERVAL");
    requirePositive(adminConsentLinkLifetime, "GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME");
    if (adminConsentLinkLifetime.compareTo(Duration.ofMinutes(5)) < 0 || adminConsentLinkLifetime.compareTo(Duration.ofDays(90)) > 0) {
      throw new InvalidConfigException("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME must be between 5m and 90d, got " + DurationText.of(adminConsentLinkLifetime));
    }
    Objects.requireNonNull(connectSessionTtl, "connectSessionTtl");
    if (connectSessionTtl.compareTo(Duration.ofMinutes(1)) < 0 || connectSessionTtl.compareTo(Duration.ofHours(24)) > 0) {
      throw new InvalidConfigException("GRAPHGATE_CONNECT_SESSION_TTL must be between 1m and 24h, got " + DurationText.of(connectSessionTtl));
    }
    if (syncThreads < 1 || syncThreads > 64) {
      throw new InvalidConfigException("GRAPHGATE_SYNC_THREADS must be between 1 and 64, got " + syncThreads);
    }
    Objects.requireNonNull(syncPollInterval, "syncPollInterval");
    if (syncPollInterval.compareTo(Duration.ofMillis(100)) < 0 || syncPollInterval.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new InvalidConfigException("GRAPHGATE_SYNC_POLL_INTERVAL must be between 100ms and 10m, got " + DurationText.of(syncPollInterval));
    }
    Objects.requireNonNull(notificationUrl, "notificationUrl");
    Objects.requireNonNull(subscriptionPollInterval, "subscriptionPollInterval");
    if (subscriptionPollInterval.compareTo(Duration.ofMillis(100)) < 0 || subscriptionPollInterval.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new InvalidConfigException("GRAPHGATE_SUBSCRIPTION_POLL_INTERVAL must be between 100ms and 10m, got " + DurationText.of(subscriptionPollInterval));
    }
    if (maxRequestBytes < 1024) {
      throw new InvalidConfigException("GRAPHGATE_MAX_REQUEST_BYTES must be at least 1024, got " + maxRequestBytes);
    }
    secretKey.ifPresent(GraphgateConfig::requireUuidV4SecretKey);
    Objects.requireNonNull(metricsToken, "metricsToken");
    Objects.requireNonNull(dashboardPassword, "dashboardPassword");
    if (dashboardPassword.isPresent() && dashboardPassword.get().length() < MIN_DASHBOARD_PASSWORD_LENGTH) {
      throw new InvalidConfigException("GRAPHGATE_DASHBOARD_PASSWORD must be at least " + MIN_DASHBOARD_PASSWORD_LENGTH
          + " characters; it has " + dashboardPassword.get().length());
    }
    if (metricsToken.isPresent() && (metricsToken.get().length() < MIN_METRICS_TOKEN_LENGTH || !METRICS_TOKEN.matcher(metricsToken.get()).matches())) {
      // Its length and the rule, never its value.
      throw new InvalidConfigException("GRAPHGATE_METRICS_TOKEN must be at least " + MIN_METRICS_TOKEN_LENGTH
          + " characters of A-Z a-z 0-9 - . _ ~ + / (for example the output of `openssl rand -hex 32`); the one given has "
          + metricsToken.get().length() + " characters" + (METRICS_TOKEN.matcher(metricsToken.get()).matches() ? "" : ", some of them not allowed"));
    }
    for (int i = 0; i < previousSecretKeys.size(); i++) {
      if (!isUuidV4(previousSecretKeys.get(i))) {
        // The entry's position, never its value: it may be a key with a typo.
        throw new InvalidConfigException("GRAPHGATE_PREVIOUS_SECRET_KEYS must be a comma-separated list of UUID v4s; entry " + (i + 1)
            + " of " + previousSecretKeys.size() + " is not one");
      }
    }
    if (databaseConnectionTimeout == null || databaseConnectionTimeout.compareTo(Duration.ofMillis(250)) < 0
        || databaseConnectionTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new InvalidConfigException("GRAPHGATE_DATABASE_CONNECTION_TIMEOUT must be between 250ms and 1m, got " + DurationText.of(databaseConnectionTimeout));
    }
    if (shutdownGrace == null || shutdownGrace.isNegative() || shutdownGrace.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new InvalidConfigException("GRAPHGATE_SHUTDOWN_GRACE must be between 0s and 10m, got " + DurationText.of(shutdownGrace));
    }
  }

  /** The directory of the embedded database file, when this instance uses one (an {@code jdbc:h2:file:} URL). */
  public Optional<Path> embeddedDatabaseDirectory() {
    if (!databaseUrl.startsWith("jdbc:h2:file:")) {
      return Optional.empty();
    }
    String file = databaseUrl.substring("jdbc:h2:file:".length()).split(";", 2)[0];
    Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
    return Optional.ofNullable(parent);
  }

  public boolean embeddedDatabase() {
    return databaseUrl.startsWith("jdbc:h2:");
  }

  /** The base of links Graphgate hands out; the configured public URL, else localhost on the bound port. */
  public URI publicUrlFor(int boundPort) {
    return publicUrl.orElse(URI.create("http://localhost:" + boundPort));
  }

  public static GraphgateConfig fromEnvironment(Map<String, String> env) {
    return new EnvironmentConfigReader(env).read();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A password given inside the JDBC URL ({@code password=...} in its parameters) is never printed. */
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

  @Override
  public String toString() {
    return "GraphgateConfig[port=" + port + ", host=" + host + ", dataDir=" + dataDir + ", databaseUrl=" + PASSWORD_IN_URL.matcher(databaseUrl).replaceAll("$1(hidden)")
        + ", cloud=" + cloud.name() + ", secretKey=" + (secretKey.isPresent() ? "(set)" : "(unset)")
        + ", previousSecretKeys=" + previousSecretKeys.size()
        + ", encryptionKey=" + (encryptionKey.isPresent() ? "(set)" : "(unset)")
        + ", metricsToken=" + (metricsToken.isPresent() ? "(set)" : "(unset)")
        + ", dashboardPassword=" + (dashboardPassword.isPresent() ? "(set)" : "(unset)") + "]";
  }

  static void requireUuidV4SecretKey(String key) {
    if (!isUuidV4(key)) {
      throw new InvalidConfigException("GRAPHGATE_SECRET_KEY must be a UUID v4 (for example the output of `uuidgen -r`)");
    }
  }

  private static boolean isUuidV4(String key) {
    return key.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new InvalidConfigException(name + " must be a positive duration such as 500ms, 10s, 15m or 1h, got " + DurationText.of(d));
    }
  }

  /** For tests and the demo: start from the defaults and change what matters. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private String host = DEFAULT_HOST;
    private Path dataDir = Path.of(DEFAULT_DATA_DIR);
    private String databaseUrl;
    private String databaseUser = "";
    private String databasePassword = "";
    private int databasePoolSize = DEFAULT_DATABASE_POOL_SIZE;
    private Optional<String> secretKey = Optional.empty();
    private List<String> previousSecretKeys = List.of();
    private Optional<String> encryptionKey = Optional.empty();
    private List<String> previousEncryptionKeys = List.of();
    private CloudConfig cloud = CloudConfig.GLOBAL;
    private Optional<URI> publicUrl = Optional.empty();
    private Duration tokenRefreshMargin = DEFAULT_TOKEN_REFRESH_MARGIN;
    private Duration tokenRequestTimeout = DEFAULT_TOKEN_REQUEST_TIMEOUT;
    private Duration cacheSyncInterval = DEFAULT_CACHE_SYNC_INTERVAL;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private ProxyConfig proxy = ProxyConfig.defaults();
    private Optional<String> metricsToken = Optional.empty();
    private Optional<String> dashboardPassword = Optional.empty();
    private Duration adminConsentLinkLifetime = DEFAULT_ADMIN_CONSENT_LINK_LIFETIME;
    private Duration databaseConnectionTimeout = DEFAULT_DATABASE_CONNECTION_TIMEOUT;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Duration connectSessionTtl = DEFAULT_CONNECT_SESSION_TTL;
    private int syncThreads = DEFAULT_SYNC_THREADS;
    private Duration syncPollInterval = DEFAULT_SYNC_POLL_INTERVAL;
    private WebhookConfig webhooks = WebhookConfig.defaults();
    private Optional<URI> notificationUrl = Optional.empty();
    private Duration subscriptionPollInterval = DEFAULT_SUBSCRIPTION_POLL_INTERVAL;

    private Builder() {}

    private Builder(GraphgateConfig c) {
      port = c.port; host = c.host; dataDir = c.dataDir; databaseUrl = c.databaseUrl; databaseUser = c.databaseUser;
      databasePassword = c.databasePassword; databasePoolSize = c.databasePoolSize; secretKey = c.secretKey;
      previousSecretKeys = c.previousSecretKeys;
      encryptionKey = c.encryptionKey; previousEncryptionKeys = c.previousEncryptionKeys; cloud = c.cloud;
      publicUrl = c.publicUrl; tokenRefreshMargin = c.tokenRefreshMargin; tokenRequestTimeout = c.tokenRequestTimeout;
      cacheSyncInterval = c.cacheSyncInterval; maxRequestBytes = c.maxRequestBytes; proxy = c.proxy;
      metricsToken = c.metricsToken;
      dashboardPassword = c.dashboardPassword;
      adminConsentLinkLifetime = c.adminConsentLinkLifetime;
      databaseConnectionTimeout = c.databaseConnectionTimeout; shutdownGrace = c.shutdownGrace;
      connectSessionTtl = c.connectSessionTtl;
      syncThreads = c.syncThreads; syncPollInterval = c.syncPollInterval;
      webhooks = c.webhooks;
      notificationUrl = c.notificationUrl; subscriptionPollInterval = c.subscriptionPollInterval;
    }

    public Builder port(int v) { port = v; return this; }
    public Builder host(String v) { host = v; return this; }
    public Builder dataDir(Path v) { dataDir = v; return this; }
    public Builder databaseUrl(String v) { databaseUrl = v; return this; }
    public Builder databaseUser(String v) { databaseUser = v; return this; }
    public Builder databasePassword(String v) { databasePassword = v; return this; }
    public Builder databasePoolSize(int v) { databasePoolSize = v; return this; }
    public Builder secretKey(String v) { secretKey = Optional.ofNullable(v); return this; }
    public Builder previousSecretKeys(List<String> v) { previousSecretKeys = v; return this; }
    public Builder encryptionKey(String v) { encryptionKey = Optional.ofNullable(v); return this; }
    public Builder previousEncryptionKeys(List<String> v) { previousEncryptionKeys = v; return this; }
    public Builder cloud(CloudConfig v) { cloud = v; return this; }
    public Builder publicUrl(URI v) { publicUrl = Optional.ofNullable(v); return this; }
    public Builder tokenRefreshMargin(Duration v) { tokenRefreshMargin = v; return this; }
    public Builder tokenRequestTimeout(Duration v) { tokenRequestTimeout = v; return this; }
    public Builder cacheSyncInterval(Duration v) { cacheSyncInterval = v; return this; }
    public Builder maxRequestBytes(long v) { maxRequestBytes = v; return this; }
    public Builder proxy(ProxyConfig v) { proxy = v; return this; }
    public Builder metricsToken(String v) { metricsToken = Optional.ofNullable(v); return this; }
    public Builder dashboardPassword(String v) { dashboardPassword = Optional.ofNullable(v); return this; }
    public Builder adminConsentLinkLifetime(Duration v) { adminConsentLinkLifetime = v; return this; }
    public Builder databaseConnectionTimeout(Duration v) { databaseConnectionTimeout = v; return this; }
    public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
    public Builder connectSessionTtl(Duration v) { connectSessionTtl = v; return this; }
    public Builder syncThreads(int v) { syncThreads = v; return this; }
    public Builder syncPollInterval(Duration v) { syncPollInterval = v; return this; }
    public Builder webhooks(WebhookConfig v) { webhooks = v; return this; }
    public Builder notificationUrl(URI v) { notificationUrl = Optional.ofNullable(v); return this; }
    public Builder subscriptionPollInterval(Duration v) { subscriptionPollInterval = v; return this; }

    public GraphgateConfig build() {
      String url = databaseUrl != null ? databaseUrl : defaultH2Url(dataDir);
      return new GraphgateConfig(port, host, dataDir, url, databaseUser, databasePassword, databasePoolSize, secretKey,
          previousSecretKeys, encryptionKey, previousEncryptionKeys, cloud, publicUrl, tokenRefreshMargin, tokenRequestTimeout,
          cacheSyncInterval, maxRequestBytes, proxy, metricsToken, adminConsentLinkLifetime,
          databaseConnectionTimeout, shutdownGrace, connectSessionTtl, syncThreads, syncPollInterval, webhooks, dashboardPassword,
          notificationUrl, subscriptionPollInterval);
    }
  }

  static String defaultH2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("graphgate") + ";AUTO_SERVER=FALSE";
  }
}

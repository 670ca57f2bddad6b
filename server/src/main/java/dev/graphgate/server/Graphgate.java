package dev.graphgate.server;

import dev.graphgate.server.action.ActionCatalog;
import dev.graphgate.server.action.ActionService;
import dev.graphgate.server.api.ApiServer;
import dev.graphgate.server.auth.ClientAssertionFactory;
import dev.graphgate.server.auth.EntraTokenClient;
import dev.graphgate.server.auth.ResourceTokens;
import dev.graphgate.server.auth.TokenEndpoint;
import dev.graphgate.server.auth.TokenFetcher;
import dev.graphgate.server.auth.TokenLifetimes;
import dev.graphgate.server.auth.TokenMeters;
import dev.graphgate.server.auth.TokenRequestFactory;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.connect.AdminConsentCallback;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connect.ConnectSessions;
import dev.graphgate.server.connect.ConnectTelemetry;
import dev.graphgate.server.connect.SessionConnections;
import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.LastFetchedRecorder;
import dev.graphgate.server.connection.StatusChanges;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.dashboard.DashboardSessions;
import dev.graphgate.server.graph.PermissionTable;
import dev.graphgate.server.health.LoginHostCheck;
import dev.graphgate.server.health.Readiness;
import dev.graphgate.server.health.ReadinessCheck;
import dev.graphgate.server.integration.IntegrationRepository;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.lifecycle.Housekeeping;
import dev.graphgate.server.notification.Notifications;
import dev.graphgate.server.lifecycle.ShutdownSequence;
import dev.graphgate.server.observe.Metrics;
import dev.graphgate.server.observe.ProxyLogRepository;
import dev.graphgate.server.observe.ProxyLogWriter;
import dev.graphgate.server.observe.ProxyMeters;
import dev.graphgate.server.observe.RequestLogReader;
import dev.graphgate.server.observe.RequestLog;
import dev.graphgate.server.permission.PermissionService;
import dev.graphgate.server.provider.ProviderRegistry;
import dev.graphgate.server.proxy.GraphProxy;
import dev.graphgate.server.records.RecordRepository;
import dev.graphgate.server.secret.ApiKeys;
import dev.graphgate.server.secret.KeyRing;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.ChangeFeed;
import dev.graphgate.server.storage.Database;
import dev.graphgate.server.storage.SettingsRepository;
import dev.graphgate.server.sync.SyncCatalog;
import dev.graphgate.server.sync.SyncRunListener;
import dev.graphgate.server.sync.SyncRunner;
import dev.graphgate.server.sync.SyncScheduler;
import dev.graphgate.server.sync.SyncService;
import dev.graphgate.server.sync.SyncSettings;
import dev.graphgate.server.sync.SyncStateRepository;
import dev.graphgate.server.sync.SyncStreamRepository;
import dev.graphgate.server.sync.SyncWebhooks;
import dev.graphgate.server.upstream.Backoff;
import dev.graphgate.server.upstream.OutboundPolicy;
import dev.graphgate.server.upstream.Retrier;
import dev.graphgate.server.upstream.RetryPolicy;
import dev.graphgate.server.upstream.Sleeper;
import dev.graphgate.server.upstream.ThrottleGates;
import dev.graphgate.server.upstream.UpstreamCall;
import dev.graphgate.server.upstream.UpstreamClient;
import dev.graphgate.server.webhook.Webhooks;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the database, services and HTTP server of one Graphgate instance, by constructor, in
 * one place. {@link #start} returns the running instance; {@link #close()} stops it. Tests start the same wiring on
 * port 0.
 */
public final class Graphgate implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Graphgate.class);
  static final Duration LAST_FETCHED_FLUSH = Duration.ofSeconds(5);
  static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
  private static final String ENVIRONMENT_ID = "environment_id";

  /**
   * What tests replace: time, waiting, randomness, and (only where no emulator can answer) the token endpoint;
   * {@code tokenEndpoint} null means the real Entra client.
   */
  public record Options(InstantSource clock, Sleeper sleeper, SecureRandom random, TokenEndpoint tokenEndpoint, SyncRunListener syncRunListener) {
    public static Options defaults() {
      return new Options(Clock.systemUTC(), Sleeper.SYSTEM, new SecureRandom(), null, SyncRunListener.NONE);
    }

    public Options withClock(InstantSource c) {
      return new Options(c, sleeper, random, tokenEndpoint, syncRunListener);
    }

    public Options withSleeper(Sleeper s) {
      return new Options(clock, s, random, tokenEndpoint, syncRunListener);
    }

    public Options withTokenEndpoint(TokenEndpoint e) {
      return new Options(clock, sleeper, random, e, syncRunListener);
    }

    /** Also told of every sync run's end, in its transaction, after the {@code sync} webhook is written (for tests). */
    public Options withSyncRunListener(SyncRunListener l) {
      return new Options(clock, sleeper, random, tokenEndpoint, l);
    }
  }

  private final GraphgateConfig config;
  private final ShutdownSequence shutdown;
  private final Javalin http;
  private final Optional<String> generatedSecretKey;
  private final TokenService tokens;
  private final ConnectionService connections;
  private final MeterRegistry meters;
  private final LastFetchedRecorder lastFetched;
  private final Database database;
  private final ProxyLogWriter proxyLog;
  private final GraphClient graph;

  private Graphgate(GraphgateConfig config, ShutdownSequence shutdown, Javalin http, Optional<String> generatedSecretKey,
      TokenService tokens, ConnectionService connections, MeterRegistry meters, LastFetchedRecorder lastFetched, Database database,
      ProxyLogWriter proxyLog, GraphClient graph) {
    this.graph = graph;
    this.database = database;
    this.proxyLog = proxyLog;
    this.config = config;
    this.shutdown = shutdown;
    this.http = http;
    this.generatedSecretKey = generatedSecretKey;
    this.tokens = tokens;
    this.connections = connections;
    this.meters = meters;
    this.lastFetched = lastFetched;
  }

  public static Graphgate start(GraphgateConfig config) {
    return start(config, Options.defaults());
  }

  public static Graphgate start(GraphgateConfig config, Options options) {
    ShutdownSequence shutdown = new ShutdownSequence(config.shutdownGrace());
    try {
      KeyRing keys = KeyRing.resolve(config, options.random());
      SecretBox box = keys.box(options.random());
      Database db = Database.open(config);
      shutdown.storage(db);
      SettingsRepository settings = new SettingsRepository(db.jdbi());
      KeyRotation.verifyKeys(db.jdbi(), settings, box);
      ApiKeys apiKeys = ApiKeys.resolve(config, settings);
      String environmentId = settings.putIfAbsent(ENVIRONMENT_ID, UUID.randomUUID().toString());

      InstantSource clock = options.clock();
      ProviderRegistry providers = ProviderRegistry.load(config.cloud());
      ChangeFeed feed = new ChangeFeed(db.jdbi());
      shutdown.changeFeed(feed);
      Metrics metrics = new Metrics();
      shutdown.metrics(metrics);
      MeterRegistry meters = metrics.registry();
      TokenMeters tokenMeters = new TokenMeters(meters);
      IntegrationService integrations = new IntegrationService(new IntegrationRepository(db.jdbi(), box, feed), providers, clock, feed);
      Webhooks webhooks = Webhooks.create(config.webhooks(), db.jdbi(), box, providers, clock, options.random(), meters,
          "instance-" + UUID.randomUUID(), version());
      shutdown.webhooks(webhooks);
      webhooks.start();
      ConnectionRepository connectionRepository = new ConnectionRepository(db.jdbi(), box, db.dialect(), feed,
          new StatusChanges(meters, webhooks.outbox()));
      ConnectionService connections = new ConnectionService(connectionRepository, integrations, clock, feed, meters);
      LastFetchedRecorder lastFetched = new LastFetchedRecorder(connectionRepository);
      shutdown.lastFetched(lastFetched);
      AtomicInteger boundPort = new AtomicInteger(config.port());
      TokenRequestFactory tokenRequests = new TokenRequestFactory(config.cloud(), new ClientAssertionFactory(), clock);
      AdminConsentLinks consentLinks = AdminConsentLinks.create(config.cloud(), () -> config.publicUrlFor(boundPort.get()), settings, box,
          options.random(), clock, config.adminConsentLinkLifetime());
      TokenLifetimes lifetimes = new TokenLifetimes(config.tokenRefreshMargin());
      TokenEndpoint tokenEndpoint = options.tokenEndpoint() != null ? options.tokenEndpoint()
          : new EntraTokenClient(EntraTokenClient.defaultHttpClient(Duration.ofSeconds(5)), config.tokenRequestTimeout(), clock);
      Retrier retrier = new Retrier(clock, options.sleeper());
      TokenFetcher fetcher = new TokenFetcher(tokenEndpoint, tokenRequests, retrier, TokenFetcher.defaultPolicy(options.random()), lifetimes, clock,
          tokenMeters);
      TokenService tokens = new TokenService(connections, connectionRepository, lastFetched, fetcher, clock, options.sleeper(),
          config.tokenRequestTimeout(), tokenMeters);
      shutdown.tokenRefreshes(tokens);
      ConnectSessions connectSessions = new ConnectSessions(db.jdbi(), clock, options.random(), config.connectSessionTtl(), webhooks.settings());
      SessionConnections sessionConnections = new SessionConnections(integrations, connections, fetcher, consentLinks, webhooks.outbox());
      AdminConsentCallback adminConsent = AdminConsentCallback.create(consentLinks, db.jdbi(), connections, tokens, connectSessions,
          sessionConnections, config.cloud(), config.tokenRequestTimeout(), clock);
      ResourceTokens resourceTokens = new ResourceTokens(fetcher, clock, tokenMeters);
      shutdown.tokenRefreshes(resourceTokens);

      ProxyConfig proxyConfig = config.proxy();
      ProxyLogRepository proxyLogs = new ProxyLogRepository(db.jdbi(), db.dialect());
      ProxyLogWriter proxyLog = new ProxyLogWriter(proxyLogs, proxyConfig.logQueueCapacity(), proxyConfig.logRetention(), clock, meters);
      shutdown.requestLog(proxyLog);
      ThrottleGates gates = new ThrottleGates(proxyConfig.tenant(), proxyConfig.mailbox(), clock, options.sleeper(), meters);
      OutboundPolicy outbound = new OutboundPolicy(config.cloud(), proxyConfig.extraAllowedOrigins());
      UpstreamClient upstream = new UpstreamClient(outbound,
          new UpstreamCall(UpstreamCall.newHttpClient(proxyConfig.connectTimeout()), proxyConfig.requestTimeout()), retrier, clock, meters);
      GraphProxy proxy = new GraphProxy(connections, tokens, resourceTokens, consentLinks, lastFetched, outbound, gates, upstream, retrier,
          new RetryPolicy(proxyConfig.defaultRetries(), proxyConfig.retryBudget(),
              Backoff.exponentialWithJitter(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, options.random())),
          proxyConfig, proxyLog, new ProxyMeters(meters), clock);

      GraphClient graph = new GraphClient(upstream, retrier, outbound, gates, tokens, new RetryPolicy(GraphClient.RETRIES, GraphClient.RETRY_BUDGET,
          Backoff.exponentialWithJitter(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, options.random())), config.cloud().graphUrl(), clock);
      SyncCatalog catalog = SyncCatalog.standard();
      SyncStateRepository syncStates = new SyncStateRepository(db.jdbi());
      RecordRepository records = new RecordRepository(db.jdbi(), db.dialect());
      SyncRunner syncRunner = new SyncRunner(db.jdbi(), catalog, syncStates, new SyncStreamRepository(), records, connections, graph, consentLinks,
          SyncWebhooks.through(webhooks.outbox(), options.syncRunListener()),
          clock);
      SyncScheduler syncScheduler = new SyncScheduler(db.dataSource(), syncRunner, syncStates, config.syncThreads(), config.syncPollInterval(), clock);
      shutdown.syncs(syncScheduler);
      SyncService syncs = new SyncService(integrations, connections, catalog, new SyncSettings(db.jdbi()), syncStates, syncScheduler, records, graph,
          syncRunner, consentLinks, clock);
      ActionCatalog actionCatalog = ActionCatalog.standard();
      ActionService actions = new ActionService(actionCatalog, connections, tokens, graph, consentLinks);
      PermissionService permissions = new PermissionService(tokens, syncs, actionCatalog, consentLinks, PermissionTable.shipped());
      Notifications notifications = Notifications.create(db.jdbi(), box, environmentId, config.notificationUrl(), config.subscriptionPollInterval(),
          integrations, connections, graph, syncScheduler, webhooks.outbox(), clock, options.random(), "instance-" + UUID.randomUUID());
      shutdown.notifications(notifications);

      Readiness readiness = new Readiness(List.of(ReadinessCheck.of("database", () -> db.ping(Readiness.DEFAULT_TIMEOUT)),
          new LoginHostCheck(config.cloud().loginUrl(), Readiness.DEFAULT_TIMEOUT)), Readiness.DEFAULT_TIMEOUT, Readiness.DEFAULT_CACHE_FOR, clock);
      shutdown.readiness(readiness);
      Javalin http = ApiServer.create(
          new ApiServer.Services(providers, integrations, connections, tokens, consentLinks, lifetimes, clock, proxy, new RequestLogReader(proxyLogs),
              config.publicUrl(), metrics, config.metricsToken(), adminConsent, readiness,
              new ApiServer.Connect(connectSessions, sessionConnections, new ConnectTelemetry(db.jdbi())), syncs, webhooks, actions, permissions,
              new DashboardSessions(apiKeys, config.dashboardPassword(), box, clock, options.random()), notifications),
          apiKeys, environmentId, () -> config.publicUrlFor(boundPort.get()),
          config.maxRequestBytes(), new RequestLog(meters), boundPort::get);
      http.start(config.host(), config.port());
      shutdown.http(http);
      boundPort.set(http.port());

      feed.start(config.cacheSyncInterval());
      syncScheduler.start();
      notifications.start();
      shutdown.housekeeping(Housekeeping.start(List.of(
          new Housekeeping.Task("write last-fetched times", LAST_FETCHED_FLUSH, lastFetched::flush),
          new Housekeeping.Task("prune throttle gates and token caches", PRUNE_EVERY, () -> {
            gates.prune();
            resourceTokens.prune();
            tokens.prune();
          }))));
      log.info("Graphgate listening on {}:{} (database: {}, cloud: {})", config.host(), http.port(), db.dialect().name().toLowerCase(),
          config.cloud().name());
      return new Graphgate(config, shutdown, http, apiKeys.generatedKey(), tokens, connections, meters, lastFetched, db, proxyLog, graph);
    } catch (RuntimeException e) {
      shutdown.run();
      throw e;
    }
  }

  /** The version in the jar's manifest; {@code dev} when run from classes. */
  static String version() {
    String v = Graphgate.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The port the server listens on (the real one when configured with 0). */
  public int port() {
    return http.port();
  }

  /** Where this instance is reached on this machine. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  public GraphgateConfig config() {
    return config;
  }

  /** The secret key generated on this start, if this start generated one; shown once, never stored in clear. */
  public Optional<String> generatedSecretKey() {
    return generatedSecretKey;
  }

  /** The Graph client the server's own work (syncs, actions) calls Graph through. */
  public GraphClient graph() {
    return graph;
  }

  public TokenService tokens() {
    return tokens;
  }

  public ConnectionService connections() {
    return connections;
  }

  /** Statements this instance has sent to its database since start. */
  public long databaseStatements() {
    return database.statementCount();
  }

  public MeterRegistry meters() {
    return meters;
  }

  public LastFetchedRecorder lastFetched() {
    return lastFetched;
  }

  /** The proxy's request log writer (tests wait on it with {@link ProxyLogWriter#awaitWritten}). */
  public ProxyLogWriter proxyLog() {
    return proxyLog;
  }

  /** Stops the instance as {@link ShutdownSequence} orders it: drains requests, flushes, closes storage. */
  @Override
  public void close() {
    shutdown.run();
  }
}

package dev.graphgate.server.auth;

import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.RefreshBackoff;
import dev.graphgate.server.GraphgateException.RefreshExhausted;
import dev.graphgate.server.GraphgateException.TokenEndpointUnavailable;
import dev.graphgate.server.GraphgateException.TokenRequestFailed;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionHealth;
import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.ConnectionStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out a valid token for a connection, requesting one from Entra exactly once however many callers ask at once.
 *
 * <ol>
 *   <li>Fresh token in memory: returned, no I/O at all (the hot path).
 *   <li>Otherwise one refresh per connection runs in this process ({@link SingleFlight}); every caller shares it.
 *   <li>That refresh takes the connection's row lease ({@link RefreshLeases}); an instance that loses waits, re-reading
 *       the row until the winner's token appears. After taking the lease the row is read again, since another instance
 *       may have refreshed meanwhile.
 *   <li>The outcome is stored (token sealed, health with Nango's bookkeeping) and replaces the cached connection.
 * </ol>
 */
public final class TokenService {
  private static final Logger log = LoggerFactory.getLogger(TokenService.class);

  public static final Duration BACKOFF_AFTER_FAILURE = Duration.ofSeconds(30);
  /** After Graph refuses a token (401), at most one forced refresh per connection in this interval. */
  public static final Duration REJECTION_REFRESH_INTERVAL = Duration.ofSeconds(30);
  static final Duration LEASE_POLL = Duration.ofMillis(50);

  private final ConnectionService connections;
  private final ConnectionRepository repository;
  private final RefreshLeases leases;
  private final TokenEndpoint endpoint;
  private final TokenRequestFactory requests;
  private final TransientRetry retry;
  private final TokenLifetimes lifetimes;
  private final AadstsClassifier classifier = new AadstsClassifier();
  private final InstantSource clock;
  private final Sleeper sleeper;
  private final Duration leaseDuration;
  private final String instanceId = UUID.randomUUID().toString();
  private final SingleFlight<Long, Connection> refreshes = new SingleFlight<>();
  private final OncePerInterval<Long> rejectionRefreshes = new OncePerInterval<>(REJECTION_REFRESH_INTERVAL);

  public TokenService(ConnectionService connections, ConnectionRepository repository, RefreshLeases leases, TokenEndpoint endpoint,
      TokenRequestFactory requests, TransientRetry retry, TokenLifetimes lifetimes, InstantSource clock, Sleeper sleeper,
      Duration tokenRequestTimeout) {
    this.connections = connections;
    this.repository = repository;
    this.leases = leases;
    this.endpoint = endpoint;
    this.requests = requests;
    this.retry = retry;
    this.lifetimes = lifetimes;
    this.clock = clock;
    this.sleeper = sleeper;
    // The lease must outlive the slowest refresh (every attempt timing out, plus the waits between them), or a
    // second instance could take it over while the first is still asking Entra.
    this.leaseDuration = tokenRequestTimeout.multipliedBy(retry.maxAttempts())
        .plus(retry.maxWait().multipliedBy(retry.maxAttempts() - 1)).plusSeconds(5);
  }

  /**
   * The connection with a token that is not due for refresh. {@code force} requests a new token whatever the cached
   * one's age (still once for all concurrent callers) and bypasses the failure backoff.
   */
  public Connection withFreshToken(Connection c, boolean force) {
    Instant now = clock.instant();
    if (!force) {
      if (c.token().isPresent() && c.token().get().isFreshAt(now)) {
        return c;
      }
      refuseDuringBackoff(c, now);
    }
    return refreshOnce(c, force, now);
  }

  /**
   * Graph answered 401 to {@code rejected}, a token not yet due for refresh (revoked, or signed by a key Graph no longer
   * trusts): the connection with a replacement. If another caller already replaced it, that token is returned without
   * a request; otherwise one forced refresh runs (shared by concurrent callers), at most once per connection per
   * {@link #REJECTION_REFRESH_INTERVAL}, so a token Graph keeps refusing does not turn every call into a token
   * request. Empty: no new token now; the caller passes Graph's 401 on.
   */
  public Optional<Connection> afterRejection(Connection c, AccessToken rejected) {
    Connection current = connections.cached(c.key()).orElse(c);
    Instant now = clock.instant();
    if (current.token().isPresent() && !current.token().get().value().equals(rejected.value()) && current.token().get().isValidAt(now)) {
      return Optional.of(current);
    }
    if (!rejectionRefreshes.tryClaim(c.id(), now)) {
      return Optional.empty();
    }
    return Optional.of(withFreshToken(current, true));
  }

  /** Forgets forced refreshes older than {@link #REJECTION_REFRESH_INTERVAL}, which no longer hold anything back. */
  public void prune() {
    rejectionRefreshes.prune(clock.instant());
  }

  private Connection refreshOnce(Connection c, boolean force, Instant requestedAt) {
    return refreshes.run(c.id(), () -> refreshAcrossInstances(c, force, requestedAt));
  }

  private Connection refreshAcrossInstances(Connection c, boolean force, Instant requestedAt) {
    // Another caller may have finished a refresh between our freshness check and now.
    Optional<Connection> cached = connections.cached(c.key());
    if (cached.isPresent() && satisfies(cached.get(), force, requestedAt)) {
      return cached.get();
    }
    String owner = instanceId + "/" + UUID.randomUUID();
    Instant giveUpAt = clock.instant().plus(leaseDuration);
    while (!leases.tryAcquire(c.id(), owner, clock.instant(), clock.instant().plus(leaseDuration))) {
      Connection current = reread(c);
      if (satisfies(current, force, requestedAt)) {
        return current;
      }
      if (!force) {
        refuseDuringBackoff(current, clock.instant());
      }
      if (clock.instant().isAfter(giveUpAt)) {
        throw new TokenEndpointUnavailable("Another Graphgate instance is refreshing this connection's token and has not finished; try again shortly.",
            Duration.ofSeconds(1));
      }
      pause(LEASE_POLL);
    }
    try {
      Connection current = reread(c);
      if (satisfies(current, force, requestedAt)) {
        return current;
      }
      if (!force) {
        refuseDuringBackoff(current, clock.instant());
      }
      return requestAndStore(current, owner);
    } finally {
      leases.release(c.id(), owner);
    }
  }

  private Connection requestAndStore(Connection c, String owner) {
    TokenOutcome outcome = retry.run(() -> endpoint.requestToken(requests.build(c)));
    Instant now = clock.instant();
    return switch (outcome) {
      case TokenOutcome.Issued issued -> {
        AccessToken token = lifetimes.issued(issued, now);
        boolean noRoles = token.roles().map(java.util.List::isEmpty).orElse(false);
        ConnectionHealth health = noRoles
            ? ConnectionHealth.succeeded(ConnectionStatus.CONSENT_MISSING, Optional.of(consentMessage(c)), now)
            : ConnectionHealth.succeeded(ConnectionStatus.OK, Optional.empty(), now);
        yield store(c, owner, Optional.of(token), health);
      }
      case TokenOutcome.Rejected rejected -> {
        AadstsClassifier.Classification cl = classifier.classify(rejected);
        if (cl.transientFailure()) {
          yield unavailable(c, owner, cl.message(), Optional.empty());
        }
        String message = cl.status() == ConnectionStatus.APP_NOT_IN_TENANT || cl.status() == ConnectionStatus.CONSENT_MISSING
            ? cl.message() + " Admin consent: " + requests.adminConsentUrl(c.tenantId(), c.credentials().clientId(), c.scopes())
            : cl.message();
        ConnectionHealth health = c.health().failed(cl.status(), message, now, UUID.randomUUID().toString());
        store(c, owner, c.token(), health);
        log.info("token request for connection {} of {} refused: {}", c.connectionId(), c.integrationKey(), cl.status().wireName());
        throw new TokenRequestFailed(message, cl.status().wireName(), null);
      }
      case TokenOutcome.Unavailable u -> unavailable(c, owner, "Microsoft Entra is unavailable: " + u.reason() + ".", u.retryAfter());
    };
  }

  /** Entra could not answer: keep a still-valid token, never mark a healthy connection failed. */
  private Connection unavailable(Connection c, String owner, String message, Optional<Duration> retryAfter) {
    ConnectionHealth health = c.health().unreachable(message);
    Connection current = health.equals(c.health()) ? c : store(c, owner, c.token(), health);
    log.warn("token endpoint unavailable for connection {} of {}: {}", c.connectionId(), c.integrationKey(), message);
    if (current.token().isPresent() && current.token().get().isValidAt(clock.instant())) {
      return current;
    }
    throw new TokenEndpointUnavailable(message + " No valid token is cached; try again shortly.", retryAfter.orElse(Duration.ofSeconds(5)));
  }

  /**
   * Stores the outcome, if this refresh still holds the row's lease. It does not when the connection was deleted (no
   * row), imported again (an import clears the lease: its tenant or credentials may differ, and a token of the old ones
   * must never be stored on it), or the lease expired and another instance took over.
   */
  private Connection store(Connection c, String owner, Optional<AccessToken> token, ConnectionHealth health) {
    long generation = connections.generation();
    if (!repository.saveTokenState(c.id(), owner, token, health)) {
      // Caching the connection now would bring back a deleted one, or the old tenant of a replaced one.
      connections.evict(c.id());
      if (connections.reload(c.id()).isEmpty()) {
        throw new NotFound("Failed to find connection");
      }
      throw new TokenEndpointUnavailable("The connection was imported again while its token was being fetched; try again.",
          Duration.ofSeconds(1));
    }
    Connection updated = c.withToken(token, health);
    connections.rememberUnlessEvictedSince(updated, generation);
    return updated;
  }


  private void refuseDuringBackoff(Connection c, Instant now) {
    ConnectionHealth h = c.health();
    String last = h.message().orElse("unknown");
    if (h.refreshExhausted()) {
      throw new RefreshExhausted(last);
    }
    if (h.lastRefreshFailure().isPresent()) {
      Instant until = h.lastRefreshFailure().get().plus(BACKOFF_AFTER_FAILURE);
      if (now.isBefore(until)) {
        throw new RefreshBackoff(Duration.between(now, until), last);
      }
    }
  }

  private boolean satisfies(Connection c, boolean force, Instant requestedAt) {
    Instant now = clock.instant();
    return c.token().isPresent() && c.token().get().isFreshAt(now) && (!force || c.token().get().obtainedAt().isAfter(requestedAt));
  }

  private Connection reread(Connection c) {
    return connections.reload(c.id()).orElseThrow(() -> new NotFound("Failed to find connection"));
  }

  private String consentMessage(Connection c) {
    return "Tokens carry no app permissions: an admin of the tenant has not granted the app's permissions. Admin consent: "
        + requests.adminConsentUrl(c.tenantId(), c.credentials().clientId(), c.scopes());
  }

  private void pause(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenEndpointUnavailable("Interrupted while waiting for another instance's token refresh.", Duration.ofSeconds(1));
    }
  }

}

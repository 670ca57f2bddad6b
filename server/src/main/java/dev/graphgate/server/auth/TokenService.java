package dev.graphgate.server.auth;

import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionHealth;
import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.LastFetchedRecorder;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.upstream.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out a connection's Graph token, requesting one from Entra exactly once however many callers ask at once.
 *
 * <ol>
 *   <li>Token not yet due for refresh: returned from memory, no I/O at all (the hot path).
 *   <li>Due for refresh but still valid: returned from memory too, and one refresh starts in the background. A caller
 *       holding a valid token never waits for Entra, a lease or the database.
 *   <li>Expired, missing, or a forced refresh: the caller waits for the one refresh of this connection in this process
 *       ({@link SingleFlight}), which every concurrent caller shares.
 *   <li>That refresh takes the connection's row lease ({@link ConnectionRepository#tryAcquireLease}); an instance that
 *       loses waits, re-reading the row until the winner's token appears. After taking the lease the row is read
 *       again, since another instance may have refreshed meanwhile. When the database cannot be reached at all, the
 *       token is fetched anyway and kept in this instance's memory, so an outage of the database does not become an
 *       outage of the connection.
 *   <li>One {@link TokenFetcher} request; its outcome is stored with the health that goes with it (sealed token,
 *       Nango's bookkeeping) and replaces the cached connection. The answer carries the connection as stored.
 * </ol>
 */
public final class TokenService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenService.class);

  public static final Duration BACKOFF_AFTER_FAILURE = Duration.ofSeconds(30);
  /** After Graph refuses a token (401), at most one forced refresh per connection in this interval. */
  public static final Duration REJECTION_REFRESH_INTERVAL = Duration.ofSeconds(30);
  /**
   * A forced refresh is answered with a token obtained after the call arrived, or with the token of another forced
   * refresh that started at most this long before it: a burst of forced refreshes of one connection shares one token
   * request. Across instances the lease does the same: a forced call waiting for another instance's refresh gets its
   * token.
   */
  public static final Duration FORCED_REFRESH_SHARING = Duration.ofSeconds(2);
  /** After a background refresh found Entra unavailable, the next one waits this long at least (or Entra's Retry-After). */
  static final Duration BACKGROUND_RETRY = Duration.ofSeconds(5);
  static final Duration LEASE_POLL = Duration.ofMillis(50);

  private final ConnectionService connections;
  private final ConnectionRepository repository;
  private final LastFetchedRecorder lastFetched;
  private final TokenFetcher fetcher;
  private final InstantSource clock;
  private final Sleeper sleeper;
  private final Duration leaseDuration;
  private final TokenMeters.Answers answers;
  private final String instanceId = UUID.randomUUID().toString();
  private final SingleFlight<Long, TokenAnswer> refreshes = new SingleFlight<>();
  private final OncePerInterval<Long> rejectionRefreshes = new OncePerInterval<>(REJECTION_REFRESH_INTERVAL);
  private final ConcurrentMap<Long, Instant> backgroundNotBefore = new ConcurrentHashMap<>();
  private final BackgroundRefreshes background = new BackgroundRefreshes("token-refresh");

  public TokenService(ConnectionService connections, ConnectionRepository repository, LastFetchedRecorder lastFetched, TokenFetcher fetcher,
      InstantSource clock, Sleeper sleeper, Duration tokenRequestTimeout, TokenMeters meters) {
    this.connections = connections;
    this.repository = repository;
    this.lastFetched = lastFetched;
    this.fetcher = fetcher;
    this.clock = clock;
    this.sleeper = sleeper;
    this.leaseDuration = fetcher.longestFetch(tokenRequestTimeout).plusSeconds(5);
    this.answers = meters.answers(TokenMeters.Kind.GRAPH);
  }

  /**
   * The named connection with a token for it, as {@code GET /connections/{id}} answers; a valid answer counts as a
   * fetch of the connection ({@code last_fetched_at}). Throws Nango's errors for an unknown integration or connection.
   */
  public TokenAnswer forConnection(String integrationKey, String connectionId, boolean force) {
    TokenAnswer answer = token(connections.get(integrationKey, connectionId), force);
    if (answer instanceof TokenAnswer.Valid v) {
      lastFetched.touch(v.connection().id(), clock.instant());
    }
    return answer;
  }

  /**
   * A token for {@code c}. {@code force} asks for a new one whatever the cached one's age (shared by every forced
   * call within {@link #FORCED_REFRESH_SHARING}) and bypasses the failure backoff.
   */
  public TokenAnswer token(Connection c, boolean force) {
    Instant now = clock.instant();
    if (!force) {
      Optional<AccessToken> t = c.token();
      if (t.isPresent() && t.get().isFreshAt(now)) {
        answers.fresh();
        return new TokenAnswer.Valid(c, t.get());
      }
      if (t.isPresent() && t.get().isValidAt(now)) {
        refreshAhead(c, now);
        answers.refreshAhead();
        return new TokenAnswer.Valid(c, t.get());
      }
      Optional<TokenAnswer> held = heldBack(c, now);
      if (held.isPresent()) {
        answers.heldBack();
        return held.get();
      }
    }
    answers.waited();
    SingleFlight.Flight<TokenAnswer> flight = refreshes.runOrJoin(c.id(), () -> refreshAcrossInstances(c, force, now));
    if (force && flight.joined() && !(flight.value() instanceof TokenAnswer.Valid v && newEnough(v.token(), now))) {
      // Joined a refresh that started before this call and did not bring a new token: this call asks for its own.
      return refreshes.run(c.id(), () -> refreshAcrossInstances(c, true, now));
    }
    if (flight.joined() && flight.value() instanceof TokenAnswer.Valid v && !v.token().isValidAt(clock.instant())) {
      // Joined a refresh ahead that started while the token was valid and kept it (Entra unreachable): by now it has
      // expired, and an expired token is never an answer. This caller runs its own refresh.
      Instant later = clock.instant();
      return refreshes.run(c.id(), () -> refreshAcrossInstances(c, false, later));
    }
    return flight.value();
  }

  /**
   * Graph answered 401 to {@code rejected}, a token not yet due for refresh (revoked, or signed by a key Graph no longer
   * trusts). If another caller already replaced it, that token is the answer without a request; otherwise one forced
   * refresh runs (shared by concurrent callers), at most once per connection per {@link #REJECTION_REFRESH_INTERVAL},
   * so a token Graph keeps refusing does not turn every call into a token request. Empty: no new token now; the caller
   * passes Graph's 401 on.
   */
  public Optional<TokenAnswer> afterRejection(Connection c, Secret rejected) {
    Connection current = connections.cached(c.key()).orElse(c);
    Instant now = clock.instant();
    Optional<AccessToken> t = current.validTokenAt(now);
    if (t.isPresent() && !t.get().value().equals(rejected)) {
      return Optional.of(new TokenAnswer.Valid(current, t.get()));
    }
    if (!rejectionRefreshes.tryClaim(c.id(), now)) {
      return Optional.empty();
    }
    return Optional.of(token(current, true));
  }

  /** Forgets forced refreshes and background waits that no longer hold anything back. */
  public void prune() {
    Instant now = clock.instant();
    rejectionRefreshes.prune(now);
    backgroundNotBefore.values().removeIf(at -> !now.isBefore(at));
  }

  /** Lets background refreshes in progress finish (a few seconds at most), then stops them. */
  @Override
  public void close() {
    background.close();
  }


  /** Starts one background refresh of a token that is due but still valid, unless one runs or a recent one failed. */
  private void refreshAhead(Connection c, Instant now) {
    if (refreshes.isRunning(c.id()) || heldBack(c, now).isPresent()) {
      return;
    }
    Instant notBefore = backgroundNotBefore.get(c.id());
    if (notBefore != null && now.isBefore(notBefore)) {
      return;
    }
    refreshes.runInBackground(c.id(), () -> {
      TokenAnswer a = refreshAcrossInstances(c, false, now);
      if (a instanceof TokenAnswer.Unavailable u) {
        Duration wait = u.retryAfter().compareTo(BACKGROUND_RETRY) > 0 ? u.retryAfter() : BACKGROUND_RETRY;
        backgroundNotBefore.put(c.id(), clock.instant().plus(wait));
      } else {
        backgroundNotBefore.remove(c.id());
      }
      return a;
    }, background);
  }

  private TokenAnswer refreshAcrossInstances(Connection c, boolean force, Instant requestedAt) {
    // Another caller may have finished a refresh between our check and now.
    Connection cached = connections.cached(c.key()).orElse(c);
    if (satisfies(cached, force, requestedAt)) {
      return new TokenAnswer.Valid(cached, cached.token().get());
    }
    String owner = instanceId + "/" + UUID.randomUUID();
    Instant giveUpAt = clock.instant().plus(leaseDuration);
    while (true) {
      boolean acquired;
      Optional<Connection> current;
      try {
        acquired = repository.tryAcquireLease(c.id(), owner, clock.instant(), clock.instant().plus(leaseDuration));
        current = connections.reload(c.id());
      } catch (RuntimeException databaseUnavailable) {
        return fetchInMemory(cached, databaseUnavailable);
      }
      if (current.isEmpty()) {
        return new TokenAnswer.Gone(cached);
      }
      Connection row = current.get();
      if (acquired) {
        try {
          if (satisfies(row, force, requestedAt)) {
            return new TokenAnswer.Valid(row, row.token().get());
          }
          Optional<TokenAnswer> held = force ? Optional.empty() : heldBack(row, clock.instant());
          return held.isPresent() ? held.get() : fetchAndStore(row, owner, force ? Optional.of(clock.instant()) : Optional.empty());
        } finally {
          release(c.id(), owner);
        }
      }
      // Another instance holds the lease: its token will appear in the row.
      if (satisfies(row, force, requestedAt)) {
        return new TokenAnswer.Valid(row, row.token().get());
      }
      Optional<TokenAnswer> held = force ? Optional.empty() : heldBack(row, clock.instant());
      if (held.isPresent()) {
        return held.get();
      }
      if (clock.instant().isAfter(giveUpAt) || !sleeper.pause(LEASE_POLL)) {
        return validOr(row, "Another Graphgate instance is refreshing this connection's token and has not finished; try again shortly.",
            Duration.ofSeconds(1));
      }
    }
  }

  /** {@code forcedAt}: when the forced refresh asking for this token started, so forced calls shortly after share it. */
  private TokenAnswer fetchAndStore(Connection c, String owner, Optional<Instant> forcedAt) {
    TokenFetcher.Fetched fetched = fetcher.fetch(TokenMeters.Kind.GRAPH, c, c.scopes());
    Instant now = clock.instant();
    return switch (fetched) {
      case TokenFetcher.Fetched.Issued issued -> {
        AccessToken token = forcedAt.map(issued.token()::forcedAt).orElse(issued.token());
        Optional<Connection> stored = store(c, owner, Optional.of(token), ConnectionHealth.afterToken(token, now));
        yield stored.<TokenAnswer>map(s -> new TokenAnswer.Valid(s, s.token().orElse(token))).orElseGet(() -> leaseLost(c));
      }
      case TokenFetcher.Fetched.Refused refused -> {
        ConnectionHealth health = c.health().failed(refused.status(), refused.message(), now, UUID.randomUUID().toString());
        log.info("token request for connection {} of {} refused: {}", c.connectionId(), c.integrationKey(), refused.status().wireName());
        Optional<Connection> stored = store(c, owner, c.token(), health);
        yield stored.<TokenAnswer>map(s -> new TokenAnswer.Refused(s, refused.status(), refused.message())).orElseGet(() -> leaseLost(c));
      }
      case TokenFetcher.Fetched.Unavailable u -> {
        // Entra could not answer: keep a still-valid token, and never mark a healthy connection failed.
        log.warn("token endpoint unavailable for connection {} of {}: {}", c.connectionId(), c.integrationKey(), u.message());
        ConnectionHealth health = c.health().unreachable(u.message());
        Optional<Connection> stored = health.equals(c.health()) ? Optional.of(c) : store(c, owner, c.token(), health);
        yield stored.map(s -> validOr(s, u.message() + " No valid token is cached; try again shortly.", u.retryAfter().orElse(Duration.ofSeconds(5))))
            .orElseGet(() -> leaseLost(c));
      }
    };
  }

  /**
   * The database could not be reached to take the lease or read the row: fetch the token all the same and keep it,
   * with its health, in this instance's memory. Several instances may each fetch one during an outage; none of their
   * callers waits on the database.
   */
  private TokenAnswer fetchInMemory(Connection c, RuntimeException cause) {
    log.warn("database unavailable while refreshing connection {} of {} ({}); the token is kept in memory until it can be stored",
        c.connectionId(), c.integrationKey(), cause.getClass().getSimpleName());
    long generation = connections.generation();
    TokenFetcher.Fetched fetched = fetcher.fetch(TokenMeters.Kind.GRAPH, c, c.scopes());
    Instant now = clock.instant();
    return switch (fetched) {
      case TokenFetcher.Fetched.Issued issued -> {
        Connection kept = connections.remember(c.withToken(Optional.of(issued.token()), ConnectionHealth.afterToken(issued.token(), now)), generation);
        yield new TokenAnswer.Valid(kept, issued.token());
      }
      case TokenFetcher.Fetched.Refused refused -> {
        Connection kept = connections.remember(
            c.withToken(c.token(), c.health().failed(refused.status(), refused.message(), now, UUID.randomUUID().toString())), generation);
        yield new TokenAnswer.Refused(kept, refused.status(), refused.message());
      }
      case TokenFetcher.Fetched.Unavailable u ->
          validOr(c, u.message() + " No valid token is cached; try again shortly.", u.retryAfter().orElse(Duration.ofSeconds(5)));
    };
  }

  /**
   * Stores the outcome, if this refresh still holds the row's lease, and caches the row as stored. Empty when it does
   * not: the connection was deleted (no row), imported again (an import clears the lease: its tenant or credentials
   * may differ, and a token of the old ones must never be stored on it), or the lease expired and another instance
   * took over. When the database fails here, the outcome is kept in memory.
   */
  private Optional<Connection> store(Connection c, String owner, Optional<AccessToken> token, ConnectionHealth health) {
    long generation = connections.generation();
    Optional<Connection> stored;
    try {
      stored = repository.saveTokenState(c.id(), owner, token, health);
    } catch (RuntimeException databaseUnavailable) {
      log.warn("could not store the token state of connection {} of {} ({}); kept in memory", c.connectionId(), c.integrationKey(),
          databaseUnavailable.getClass().getSimpleName());
      return Optional.of(connections.remember(c.withToken(token, health), generation));
    }
    return stored.map(s -> connections.remember(s, generation));
  }

  /** The refresh's lease was gone when it came to store: tell the caller what became of the connection. */
  private TokenAnswer leaseLost(Connection c) {
    // Caching anything now could bring back a deleted connection, or the old tenant of a replaced one.
    connections.evict(c.id());
    Optional<Connection> now;
    try {
      now = connections.reload(c.id());
    } catch (RuntimeException databaseUnavailable) {
      return new TokenAnswer.Unavailable(c, "The connection changed while its token was being fetched; try again.", Duration.ofSeconds(1));
    }
    return now.<TokenAnswer>map(n -> new TokenAnswer.Unavailable(n, "The connection was imported again while its token was being fetched; try again.",
        Duration.ofSeconds(1))).orElseGet(() -> new TokenAnswer.Gone(c));
  }

  private void release(long id, String owner) {
    try {
      repository.releaseLease(id, owner);
    } catch (RuntimeException e) {
      // The lease expires by itself; another instance takes it over then.
      log.warn("could not release the refresh lease of connection {}: {}", id, e.getClass().getSimpleName());
    }
  }

  /** The still-valid token of {@code c}, or Unavailable with {@code message}. */
  private TokenAnswer validOr(Connection c, String message, Duration retryAfter) {
    Optional<AccessToken> t = c.validTokenAt(clock.instant());
    return t.<TokenAnswer>map(token -> new TokenAnswer.Valid(c, token)).orElseGet(() -> new TokenAnswer.Unavailable(c, message, retryAfter));
  }

  /** Nango's rules after failed refreshes: none for 30 s after a failure, none at all once exhausted (until forced). */
  private Optional<TokenAnswer> heldBack(Connection c, Instant now) {
    ConnectionHealth h = c.health();
    String last = h.message().orElse("unknown");
    if (h.refreshExhausted()) {
      return Optional.of(new TokenAnswer.Exhausted(c, last));
    }
    if (h.lastRefreshFailure().isPresent()) {
      Instant until = h.lastRefreshFailure().get().plus(BACKOFF_AFTER_FAILURE);
      if (now.isBefore(until)) {
        return Optional.of(new TokenAnswer.BackingOff(c, Duration.between(now, until), last));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code c}'s token answers a call made at {@code requestedAt}: fresh, and for a forced call, new enough. */
  private boolean satisfies(Connection c, boolean force, Instant requestedAt) {
    return c.token().isPresent() && c.token().get().isFreshAt(clock.instant()) && (!force || newEnough(c.token().get(), requestedAt));
  }

  /**
   * For a forced call made at {@code calledAt}: a token obtained since, or one that another forced refresh, started
   * at most {@link #FORCED_REFRESH_SHARING} before, brought (on this instance or another: it is stored with the token).
   */
  private static boolean newEnough(AccessToken token, Instant calledAt) {
    return token.obtainedAt().isAfter(calledAt)
        || token.forcedAt().map(f -> !f.isBefore(calledAt.minus(FORCED_REFRESH_SHARING))).orElse(false);
  }
}

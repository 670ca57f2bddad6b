package dev.graphgate.server.auth;

import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.GraphgateException.RefreshBackoff;
import dev.graphgate.server.GraphgateException.TokenEndpointUnavailable;
import dev.graphgate.server.GraphgateException.TokenRequestFailed;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionCredentials;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens of a connection for Microsoft resources other than Graph (SharePoint Online, Exchange Online, Azure Resource
 * Manager), requested with the same credentials for the resource's {@code /.default} scope, through the same parts as
 * Graph tokens: {@link TokenRequestFactory}, {@link TransientRetry}, {@link TokenLifetimes} (same refresh margin),
 * {@link AadstsClassifier}, and one request per connection and scope at a time ({@link SingleFlight}).
 *
 * <p>They live in this instance's memory only: each instance asks for one per token lifetime, which Entra handles
 * easily, and nothing about them needs to survive a restart. A refusal does not change the connection's status (that
 * describes its Graph access); it is remembered for {@link TokenService#BACKOFF_AFTER_FAILURE} so callers meanwhile get
 * the same answer without a new request. A new secret or certificate on the connection starts over.
 */
public final class ResourceTokens {
  private static final Logger log = LoggerFactory.getLogger(ResourceTokens.class);

  private record Key(long connectionId, String scope) {}

  /**
   * Whom a token was issued to: a connection imported again keeps its row id, but may name another tenant or other
   * credentials, and then nothing remembered for it applies any more.
   */
  private record Source(TenantId tenant, ConnectionCredentials credentials) {
    static Source of(Connection c) {
      return new Source(c.tenantId(), c.credentials());
    }
  }

  private record Entry(Source source, Optional<AccessToken> token, Optional<Instant> failedAt,
      Optional<TokenRequestFailed> failure) {}

  private final TokenEndpoint endpoint;
  private final TokenRequestFactory requests;
  private final TransientRetry retry;
  private final TokenLifetimes lifetimes;
  private final AadstsClassifier classifier = new AadstsClassifier();
  private final InstantSource clock;
  private final ConcurrentMap<Key, Entry> cache = new ConcurrentHashMap<>();
  private final OncePerInterval<Key> rejectionRefreshes = new OncePerInterval<>(TokenService.REJECTION_REFRESH_INTERVAL);
  private final SingleFlight<Key, AccessToken> flights = new SingleFlight<>();

  public ResourceTokens(TokenEndpoint endpoint, TokenRequestFactory requests, TransientRetry retry, TokenLifetimes lifetimes, InstantSource clock) {
    this.endpoint = endpoint;
    this.requests = requests;
    this.retry = retry;
    this.lifetimes = lifetimes;
    this.clock = clock;
  }

  /**
   * A token of {@code c}'s tenant for {@code scope}, from memory when one is not due for refresh. {@code force} asks
   * for a new one whatever the cached one's age (still once for concurrent callers).
   */
  public AccessToken token(Connection c, String scope, boolean force) {
    Key key = new Key(c.id(), ScopeRules.validate(scope));
    Instant requestedAt = clock.instant();
    if (!force) {
      Optional<AccessToken> fresh = usable(key, c, requestedAt);
      if (fresh.isPresent()) {
        return fresh.get();
      }
    }
    return flights.run(key, () -> {
      if (!force) {
        Optional<AccessToken> fresh = usable(key, c, clock.instant());
        if (fresh.isPresent()) {
          return fresh.get();
        }
      }
      return request(key, c);
    });
  }

  /**
   * The resource refused {@code rejected} with 401: a replacement, unless another caller already has one (returned as
   * it is) or one was forced for this connection and scope less than {@link TokenService#REJECTION_REFRESH_INTERVAL}
   * ago (empty: pass the 401 on).
   */
  public Optional<AccessToken> afterRejection(Connection c, String scope, AccessToken rejected) {
    Key key = new Key(c.id(), ScopeRules.validate(scope));
    Instant now = clock.instant();
    Entry e = current(key, c);
    if (e != null && e.token().isPresent() && !e.token().get().value().equals(rejected.value()) && e.token().get().isValidAt(now)) {
      return e.token();
    }
    return rejectionRefreshes.tryClaim(key, now) ? Optional.of(token(c, scope, true)) : Optional.empty();
  }

  /**
   * Forgets what is no longer of use: tokens that have expired (with no refusal still being remembered) and forced
   * refreshes older than {@link TokenService#REJECTION_REFRESH_INTERVAL}. Without it, every connection and resource
   * ever used (deleted connections included) would keep an entry, and its token, for the life of the process.
   */
  public void prune() {
    Instant now = clock.instant();
    cache.entrySet().removeIf(e -> e.getValue().token().map(t -> !t.isValidAt(now)).orElse(true)
        && e.getValue().failedAt().map(f -> !now.isBefore(f.plus(TokenService.BACKOFF_AFTER_FAILURE))).orElse(true));
    rejectionRefreshes.prune(now);
  }

  /** Cached tokens or refusals, and remembered forced refreshes: what {@link #prune()} bounds. */
  int entries() {
    return cache.size() + rejectionRefreshes.size();
  }

  /** What is remembered for this key, if it was obtained for the connection as it is now (same tenant, same credentials). */
  private Entry current(Key key, Connection c) {
    Entry e = cache.get(key);
    return e != null && e.source().equals(Source.of(c)) ? e : null;
  }

  /** A cached token not due for refresh, or the remembered refusal (thrown) while it is recent. */
  private Optional<AccessToken> usable(Key key, Connection c, Instant now) {
    Entry e = current(key, c);
    if (e == null) {
      return Optional.empty();
    }
    if (e.token().isPresent() && e.token().get().isFreshAt(now)) {
      return e.token();
    }
    if (e.failedAt().isPresent() && now.isBefore(e.failedAt().get().plus(TokenService.BACKOFF_AFTER_FAILURE))) {
      throw new RefreshBackoff(Duration.between(now, e.failedAt().get().plus(TokenService.BACKOFF_AFTER_FAILURE)),
          e.failure().map(Throwable::getMessage).orElse("unknown"));
    }
    return Optional.empty();
  }

  private AccessToken request(Key key, Connection c) {
    TokenOutcome outcome = retry.run(() -> endpoint.requestToken(requests.build(c, key.scope())));
    Instant now = clock.instant();
    return switch (outcome) {
      case TokenOutcome.Issued issued -> {
        AccessToken token = lifetimes.issued(issued, now);
        cache.put(key, new Entry(Source.of(c), Optional.of(token), Optional.empty(), Optional.empty()));
        yield token;
      }
      case TokenOutcome.Rejected rejected -> {
        AadstsClassifier.Classification cl = classifier.classify(rejected);
        String message = "Entra refused a token for " + key.scope() + ": " + cl.message();
        TokenRequestFailed failure = new TokenRequestFailed(message, cl.status().wireName(), null);
        Entry previous = current(key, c);
        Optional<AccessToken> keep = previous == null ? Optional.empty() : previous.token().filter(t -> t.isValidAt(now));
        if (!cl.transientFailure()) {
          cache.put(key, new Entry(Source.of(c), keep, Optional.of(now), Optional.of(failure)));
        }
        log.info("token request for {} of connection {} of {} refused: {}", key.scope(), c.connectionId(), c.integrationKey(), cl.status().wireName());
        if (keep.isPresent()) {
          yield keep.get();
        }
        if (cl.transientFailure()) {
          throw new TokenEndpointUnavailable(message + " Try again shortly.", Duration.ofSeconds(5));
        }
        throw failure;
      }
      case TokenOutcome.Unavailable u -> {
        Entry previous = current(key, c);
        if (previous != null && previous.token().isPresent() && previous.token().get().isValidAt(now)) {
          yield previous.token().get();
        }
        throw new TokenEndpointUnavailable("Microsoft Entra is unavailable: " + u.reason() + ". No valid token for " + key.scope()
            + " is cached; try again shortly.", u.retryAfter().orElse(Duration.ofSeconds(5)));
      }
    };
  }
}

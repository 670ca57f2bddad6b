package dev.graphgate.server.auth;

import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.connection.ConnectionStatus;
import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.secret.Secret;
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
 * Manager), requested with the same credentials for the resource's {@code /.default} scope through the same flow as
 * Graph tokens ({@link TokenFetcher}) and served the same way: from memory while valid, refreshed once in the
 * background when due, waited for only when expired or missing (one request per connection and scope at a time).
 *
 * <p>They live in this instance's memory only: each instance asks for one per token lifetime, which Entra handles
 * easily, and nothing about them needs to survive a restart. A refusal does not change the connection's status (that
 * describes its Graph access); it is remembered for {@link TokenService#BACKOFF_AFTER_FAILURE} so callers meanwhile get
 * the same answer without a new request. A new secret or certificate on the connection starts over.
 */
public final class ResourceTokens implements AutoCloseable {
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

  /** What is remembered for a key: the last token, and the last refusal while it is recent. */
  private record Entry(Source source, Optional<AccessToken> token, Optional<Instant> failedAt, Optional<TokenFetcher.Fetched.Refused> refusal) {}

  private final TokenFetcher fetcher;
  private final InstantSource clock;
  private final TokenMeters.Answers answers;
  private final ConcurrentMap<Key, Entry> cache = new ConcurrentHashMap<>();
  private final OncePerInterval<Key> rejectionRefreshes = new OncePerInterval<>(TokenService.REJECTION_REFRESH_INTERVAL);
  private final SingleFlight<Key, TokenAnswer> flights = new SingleFlight<>();
  private final BackgroundRefreshes background = new BackgroundRefreshes("resource-token");

  public ResourceTokens(TokenFetcher fetcher, InstantSource clock, TokenMeters meters) {
    this.fetcher = fetcher;
    this.clock = clock;
    this.answers = meters.answers(TokenMeters.Kind.RESOURCE);
  }

  /**
   * A token of {@code c}'s tenant for {@code scope}. {@code force} asks for a new one whatever the cached one's age
   * (still once for concurrent callers).
   */
  public TokenAnswer token(Connection c, String scope, boolean force) {
    Key key;
    try {
      key = new Key(c.id(), ScopeRules.validate(scope));
    } catch (dev.graphgate.server.GraphgateException.InvalidScope e) {
      return new TokenAnswer.Refused(c, ConnectionStatus.INVALID_SCOPE, e.getMessage());
    }
    Instant now = clock.instant();
    if (!force) {
      Entry e = current(key, c);
      if (e != null && e.token().isPresent() && e.token().get().isFreshAt(now)) {
        answers.fresh();
        return new TokenAnswer.Valid(c, e.token().get());
      }
      if (e != null && e.token().isPresent() && e.token().get().isValidAt(now)) {
        if (!recentlyRefused(e, now)) {
          flights.runInBackground(key, () -> request(key, c), background);
        }
        answers.refreshAhead();
        return new TokenAnswer.Valid(c, e.token().get());
      }
      if (e != null && recentlyRefused(e, now)) {
        answers.heldBack();
        Instant until = e.failedAt().get().plus(TokenService.BACKOFF_AFTER_FAILURE);
        return new TokenAnswer.BackingOff(c, Duration.between(now, until), e.refusal().map(TokenFetcher.Fetched.Refused::message).orElse("unknown"));
      }
    }
    answers.waited();
    return flights.run(key, () -> {
      Entry e = current(key, c);
      if (!force && e != null && e.token().isPresent() && e.token().get().isFreshAt(clock.instant())) {
        return new TokenAnswer.Valid(c, e.token().get());
      }
      return request(key, c);
    });
  }

  /**
   * The resource refused {@code rejected} with 401: a replacement, unless another caller already has one (returned as
   * it is) or one was forced for this connection and scope less than {@link TokenService#REJECTION_REFRESH_INTERVAL}
   * ago (empty: pass the 401 on).
   */
  public Optional<TokenAnswer> afterRejection(Connection c, String scope, Secret rejected) {
    Key key = new Key(c.id(), ScopeRules.validate(scope));
    Instant now = clock.instant();
    Entry e = current(key, c);
    if (e != null && e.token().isPresent() && !e.token().get().value().equals(rejected) && e.token().get().isValidAt(now)) {
      return Optional.of(new TokenAnswer.Valid(c, e.token().get()));
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
    cache.entrySet().removeIf(e -> e.getValue().token().map(t -> !t.isValidAt(now)).orElse(true) && !recentlyRefused(e.getValue(), now));
    rejectionRefreshes.prune(now);
  }

  @Override
  public void close() {
    background.close();
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

  private static boolean recentlyRefused(Entry e, Instant now) {
    return e.failedAt().isPresent() && now.isBefore(e.failedAt().get().plus(TokenService.BACKOFF_AFTER_FAILURE));
  }

  private TokenAnswer request(Key key, Connection c) {
    TokenFetcher.Fetched fetched = fetcher.fetch(TokenMeters.Kind.RESOURCE, c, key.scope());
    Instant now = clock.instant();
    Entry previous = current(key, c);
    Optional<AccessToken> keep = previous == null ? Optional.empty() : previous.token().filter(t -> t.isValidAt(now));
    return switch (fetched) {
      case TokenFetcher.Fetched.Issued issued -> {
        cache.put(key, new Entry(Source.of(c), Optional.of(issued.token()), Optional.empty(), Optional.empty()));
        yield new TokenAnswer.Valid(c, issued.token());
      }
      case TokenFetcher.Fetched.Refused refused -> {
        String message = "Entra refused a token for " + key.scope() + ": " + refused.message();
        TokenFetcher.Fetched.Refused named = new TokenFetcher.Fetched.Refused(refused.status(), message);
        cache.put(key, new Entry(Source.of(c), keep, Optional.of(now), Optional.of(named)));
        log.info("token request for {} of connection {} of {} refused: {}", key.scope(), c.connectionId(), c.integrationKey(),
            refused.status().wireName());
        yield keep.<TokenAnswer>map(t -> new TokenAnswer.Valid(c, t)).orElseGet(() -> new TokenAnswer.Refused(c, refused.status(), message));
      }
      case TokenFetcher.Fetched.Unavailable u -> keep.<TokenAnswer>map(t -> new TokenAnswer.Valid(c, t))
          .orElseGet(() -> new TokenAnswer.Unavailable(c, u.message() + " No valid token for " + key.scope() + " is cached; try again shortly.",
              u.retryAfter().orElse(Duration.ofSeconds(5))));
    };
  }
}

package dev.graphgate.server.auth;

import dev.graphgate.server.GraphgateException.InvalidScope;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.connection.ConnectionStatus;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.upstream.Backoff;
import dev.graphgate.server.upstream.CallProgress;
import dev.graphgate.server.upstream.Retrier;
import dev.graphgate.server.upstream.RetryPolicy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The one flow of a token request, for Graph tokens and for tokens of other Microsoft resources alike: build the
 * client-credentials request of the connection for the scope, send it, try again while Entra is unavailable (the
 * server's one {@link Retrier}, under the token policy), and classify the answer ({@link AadstsClassifier}). It stores
 * nothing: {@link TokenService} keeps Graph tokens on the connection, {@link ResourceTokens} keeps the others in memory.
 */
public final class TokenFetcher {
  /** Retries after Entra was unavailable: 2 (3 attempts, as MSAL makes), 250 ms then about 500 ms apart, 5 s of waiting at most. */
  public static final int DEFAULT_RETRIES = 2;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
  public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(5);

  /** The token requests' retry policy; a Retry-After longer than the budget is not waited for (the caller answers 503 with it). */
  public static RetryPolicy defaultPolicy(RandomGenerator random) {
    return new RetryPolicy(DEFAULT_RETRIES, DEFAULT_RETRY_BUDGET, Backoff.exponentialWithJitter(DEFAULT_INITIAL_BACKOFF, DEFAULT_RETRY_BUDGET, random));
  }

  private final TokenEndpoint endpoint;
  private final TokenRequestFactory requests;
  private final Retrier retrier;
  private final RetryPolicy policy;
  private final TokenLifetimes lifetimes;
  private final InstantSource clock;
  private final TokenMeters meters;
  private final AadstsClassifier classifier = new AadstsClassifier();

  public TokenFetcher(TokenEndpoint endpoint, TokenRequestFactory requests, Retrier retrier, RetryPolicy policy, TokenLifetimes lifetimes,
      InstantSource clock, TokenMeters meters) {
    this.endpoint = endpoint;
    this.requests = requests;
    this.retrier = retrier;
    this.policy = policy;
    this.lifetimes = lifetimes;
    this.clock = clock;
    this.meters = meters;
  }

  /** What a token request came to, classified. */
  public sealed interface Fetched {
    /** Entra issued {@code token}. */
    record Issued(AccessToken token) implements Fetched {}

    /** Entra refused: someone must act ({@code message} says who and what) before a retry can succeed. */
    record Refused(ConnectionStatus status, String message) implements Fetched {}

    /** Entra could not answer, or asked us to slow down, even after the retries; worth trying again later. */
    record Unavailable(String message, Optional<Duration> retryAfter) implements Fetched {}
  }

  /**
   * One token of {@code c}'s tenant for {@code scopes}, retried while Entra is unavailable, and counted under
   * {@code kind} (a scope refused before anything is sent is not a token request, and is not counted).
   */
  public Fetched fetch(TokenMeters.Kind kind, Connection c, String scopes) {
    return fetch(kind, c.tenantId(), c.credentials(), scopes);
  }

  /**
   * The same flow for credentials that are not a stored connection yet: a connection being created proves them with one
   * token request before anything is stored. Nothing here stores either.
   */
  public Fetched fetch(TokenMeters.Kind kind, TenantId tenant, ConnectionCredentials credentials, String scopes) {
    TokenRequest request;
    try {
      request = requests.build(tenant, credentials, scopes);
    } catch (InvalidScope e) {
      return new Fetched.Refused(ConnectionStatus.INVALID_SCOPE, e.getMessage());
    }
    long start = System.nanoTime();
    Fetched fetched = send(request);
    meters.requested(kind, fetched, System.nanoTime() - start);
    return fetched;
  }

  private Fetched send(TokenRequest request) {
    Retrier.Result<TokenOutcome> result = retrier.run(policy, new CallProgress(), retrier.deadline(policy), () -> {
      TokenOutcome outcome = endpoint.requestToken(request);
      return outcome instanceof TokenOutcome.Unavailable u
          ? new Retrier.Attempt.Retryable<>(outcome, u.retryAfter(), () -> { })
          : new Retrier.Attempt.Final<>(outcome);
    });
    return switch (result.value()) {
      case TokenOutcome.Issued issued -> new Fetched.Issued(lifetimes.issued(issued, clock.instant()));
      case TokenOutcome.Rejected rejected -> {
        AadstsClassifier.Classification cl = classifier.classify(rejected);
        yield cl.transientFailure() ? new Fetched.Unavailable(cl.message(), Optional.empty()) : new Fetched.Refused(cl.status(), cl.message());
      }
      case TokenOutcome.Unavailable u -> new Fetched.Unavailable("Microsoft Entra is unavailable: " + u.reason() + ".", u.retryAfter());
    };
  }

  /**
   * How long one fetch can take at most: every attempt timing out, plus the waits between them. A refresh lease must
   * outlive it, or a second instance could take the lease over while the first is still asking Entra.
   */
  public Duration longestFetch(Duration requestTimeout) {
    return requestTimeout.multipliedBy(policy.maxRetries() + 1L).plus(policy.budget());
  }
}

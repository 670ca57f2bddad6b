package dev.graphgate.server.connect;

import dev.graphgate.server.GraphgateException.AuthenticationFailed;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.webhook.WebhookSettingsService;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect sessions: created by the customer's backend with the secret key, then presented by the Connect UI as its
 * bearer token until they expire ({@code GRAPHGATE_CONNECT_SESSION_TTL}, 30 minutes by default) or are deleted. A
 * session is not used up by a connection: it can create several until it expires, as Nango's can. Sessions live in the
 * database only, so every instance knows every session at once and a deleted one stops working everywhere.
 */
public final class ConnectSessions {
  private static final Logger log = LoggerFactory.getLogger(ConnectSessions.class);
  /** Expired rows are deleted this long after they expired (a session never works again once expired). */
  static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(1);

  private final ConnectSessionRepository repository;
  private final InstantSource clock;
  private final SecureRandom random;
  private final Duration ttl;
  private final WebhookSettingsService webhooks;

  public ConnectSessions(Jdbi jdbi, InstantSource clock, SecureRandom random, Duration ttl, WebhookSettingsService webhooks) {
    this.repository = new ConnectSessionRepository(jdbi);
    this.clock = clock;
    this.random = random;
    this.ttl = Objects.requireNonNull(ttl);
    this.webhooks = Objects.requireNonNull(webhooks);
  }

  /** A session just created, and its token: the only time the token exists outside the caller's hands. */
  public record Issued(Secret token, ConnectSession session) {}

  /** Refuses, with {@code webhook_url_not_allowed}, a {@code webhook_url_override} the outbound URL policy refuses. */
  public Issued create(SessionTerms terms) {
    terms.webhookUrlOverride().ifPresent(url -> webhooks.requireAllowed("webhook_url_override", url));
    // Stored timestamps keep milliseconds (H2 and PostgreSQL agree on those): what is answered is what is stored.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant expiresAt = now.plus(ttl);
    Secret token = SessionTokens.generate(random);
    long id = repository.insert(SessionTokens.sha256(token.reveal()), terms, now, expiresAt);
    prune(now);
    return new Issued(token, new ConnectSession(id, now, expiresAt, terms));
  }

  /**
   * The session {@code token} names, as Nango checks it: not of the session token form is
   * {@code invalid_connect_session_token_format}; unknown, deleted or expired is {@code unknown_connect_session_token}.
   */
  public ConnectSession authenticate(String token) {
    if (!SessionTokens.isWellFormed(token)) {
      throw AuthenticationFailed.invalidConnectSessionTokenFormat();
    }
    return repository.findByTokenSha256(SessionTokens.sha256(token))
        .filter(s -> !s.isExpiredAt(clock.instant()))
        .orElseThrow(AuthenticationFailed::unknownConnectSessionToken);
  }

  /** The session with row id {@code id}, while it has not expired or been deleted. */
  public Optional<ConnectSession> find(long id) {
    return repository.findById(id).filter(s -> !s.isExpiredAt(clock.instant()));
  }

  /** {@code DELETE /connect/session}: the token stops working on every instance. */
  public void end(ConnectSession session) {
    repository.delete(session.id());
  }

  private void prune(Instant now) {
    try {
      repository.deleteExpiredBefore(now.minus(KEPT_AFTER_EXPIRY));
    } catch (RuntimeException e) {
      // The session is stored; old rows go with the next one.
      log.warn("could not delete expired connect sessions: {}", e.getClass().getSimpleName());
    }
  }
}

package dev.graphgate.server.auth;

import com.nimbusds.jwt.JWTParser;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.secret.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * When a token expires and when to replace it. Refresh at Entra's {@code refresh_in} when sent, else
 * {@code margin} before expiry; never earlier than half the token's life, so short-lived tokens are not refreshed on
 * every read. A token without app permissions is re-requested after {@link #CONSENT_RECHECK}, so an admin's consent
 * shows up within a minute rather than at the next hourly refresh.
 */
public final class TokenLifetimes {
  public static final Duration CONSENT_RECHECK = Duration.ofMinutes(1);
  /** Nango's assumption for an imported token whose expiry is unknown. */
  public static final Duration IMPORTED_DEFAULT_LIFETIME = Duration.ofMinutes(55);

  private final Duration margin;

  public TokenLifetimes(Duration margin) {
    this.margin = margin;
  }

  public AccessToken issued(TokenOutcome.Issued issued, Instant at) {
    // Stored timestamps keep microseconds at most (and H2 rounds): keep the in-memory copy equal to the stored one.
    Instant now = at.truncatedTo(ChronoUnit.MILLIS);
    Instant expiresAt = now.plusSeconds(issued.expiresInSeconds());
    Optional<List<String>> roles = GrantedRoles.of(issued.accessToken().reveal());
    // Entra's refresh_in wins when it is earlier; a hint of zero or less, or one later than the margin allows, would
    // refresh on every read or serve a token about to expire, so the margin rule stands then.
    Instant byMargin = refreshAt(now, expiresAt);
    Instant refreshAt = issued.refreshInSeconds().filter(s -> s > 0).map(now::plusSeconds).filter(byMargin::isAfter).orElse(byMargin);
    if (roles.isPresent() && roles.get().isEmpty()) {
      refreshAt = min(refreshAt, now.plus(CONSENT_RECHECK));
    }
    return new AccessToken(issued.accessToken(), issued.rawResponse(), now, expiresAt, refreshAt, roles);
  }

  /**
   * An imported token: its given expiry, else the JWT's {@code exp}, else {@link #IMPORTED_DEFAULT_LIFETIME}; it is
   * refreshed like any other (Nango never refreshes one without {@code expires_at}).
   */
  public AccessToken imported(Secret token, Secret raw, Optional<Instant> expiresAt, Instant at) {
    Instant now = at.truncatedTo(ChronoUnit.MILLIS);
    Instant expiry = expiresAt.or(() -> jwtExpiry(token.reveal())).orElse(now.plus(IMPORTED_DEFAULT_LIFETIME));
    return new AccessToken(token, raw, now, expiry, refreshAt(now, expiry), GrantedRoles.of(token.reveal()));
  }

  private Instant refreshAt(Instant obtained, Instant expiresAt) {
    Instant byMargin = expiresAt.minus(margin);
    Instant halfLife = obtained.plus(Duration.between(obtained, expiresAt).dividedBy(2));
    return byMargin.isAfter(halfLife) ? byMargin : (halfLife.isAfter(expiresAt) ? expiresAt : halfLife);
  }

  private static Optional<Instant> jwtExpiry(String token) {
    try {
      Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
      return Optional.ofNullable(exp).map(Date::toInstant);
    } catch (java.text.ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}

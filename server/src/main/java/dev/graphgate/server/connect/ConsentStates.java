package dev.graphgate.server.connect;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.entra.TenantId;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Issues and verifies the {@code state} of admin consent links: a JWS (HS256) signed with the
 * {@link ConsentStateKey}, self-contained so that rendering a link writes nothing (links are rendered on reads).
 * Two kinds, each for its own audience, so that neither verifies as the other:
 *
 * <pre>
 *   header  {"alg":"HS256"}
 *   a connection's link:
 *   claims  {"aud":"graphgate:admin-consent", "jti":"&lt;22 chars: 128 random bits, base64url&gt;",
 *            "iat":&lt;seconds&gt;, "exp":&lt;iat + lifetime&gt;,
 *            "tenant":"&lt;the connection's tenant id, GUID or domain&gt;", "connection":&lt;the connection row's id&gt;,
 *            "client_id":"&lt;the connection's app&gt;"}
 *   a connect session's link:
 *   claims  {"aud":"graphgate:connect-session-consent", "jti":…, "iat":…, "exp":&lt;the session's expiry&gt;,
 *            "session":&lt;the session row's id&gt;, "integration":"&lt;key&gt;", "client_id":"&lt;the app&gt;",
 *            "tenant":"&lt;GUID or domain, when the link names one&gt;", "purpose":"onboard" | "consent"}
 * </pre>
 *
 * The claims are not secret (the link names the tenant and the app anyway); the signature makes them unforgeable.
 * Single use is not decided here: {@link ConsumedConsentStates} records each id the callback accepts.
 */
final class ConsentStates {
  static final String AUDIENCE = "graphgate:admin-consent";
  static final String SESSION_AUDIENCE = "graphgate:connect-session-consent";
  /** A state is a few hundred characters; anything much longer was not made here and is not parsed. */
  private static final int MAX_LENGTH = 2048;

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final InstantSource clock;
  private final SecureRandom random;
  private final Duration lifetime;

  ConsentStates(byte[] key, InstantSource clock, SecureRandom random, Duration lifetime) {
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the admin consent state key must be at least 256 bits", e);
    }
    this.clock = clock;
    this.random = random;
    this.lifetime = lifetime;
  }

  Duration lifetime() {
    return lifetime;
  }

  /** A new state for a link to {@code c}'s admin consent, valid for the configured lifetime from now. */
  String issue(Connection c) {
    Instant now = clock.instant();
    return sign(claims(AUDIENCE, now, now.plus(lifetime))
        .claim("tenant", c.tenantId().value())
        .claim("connection", c.id())
        .claim("client_id", c.credentials().clientId())
        .build());
  }

  /**
   * A new state for a link made through {@code session}: it expires with the session (the session's tags and end user
   * are what a grant is turned into), and names the integration, the app and, when known, the tenant.
   */
  String issue(ConnectSession session, String integration, String clientId, Optional<TenantId> tenant, ConsentState.Purpose purpose) {
    JWTClaimsSet.Builder claims = claims(SESSION_AUDIENCE, clock.instant(), session.expiresAt())
        .claim("session", session.id())
        .claim("integration", integration)
        .claim("client_id", clientId)
        .claim("purpose", purpose.claim());
    tenant.ifPresent(t -> claims.claim("tenant", t.value()));
    return sign(claims.build());
  }

  private JWTClaimsSet.Builder claims(String audience, Instant now, Instant expiresAt) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return new JWTClaimsSet.Builder()
        .audience(audience)
        .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(expiresAt));
  }

  private String sign(JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 signing failed", e);
    }
    return jwt.serialize();
  }

  /** What checking a state came to: a state this Graphgate issued and that has not expired, or why not. */
  sealed interface Check {
    record Valid(ConsentState state) implements Check {}

    record Invalid(Refusal reason) implements Check {}
  }

  /** Checks signature, audience, claims and expiry; says nothing about whether the state was used already. */
  Check verify(String state) {
    if (state.length() > MAX_LENGTH) {
      return new Check.Invalid(Refusal.NOT_ISSUED_HERE);
    }
    Optional<ConsentState> parsed = parseSigned(state);
    if (parsed.isEmpty()) {
      return new Check.Invalid(Refusal.NOT_ISSUED_HERE);
    }
    if (!clock.instant().isBefore(parsed.get().expiresAt())) {
      return new Check.Invalid(parsed.get() instanceof ConsentState.ForSession ? Refusal.SESSION_EXPIRED : Refusal.EXPIRED);
    }
    return new Check.Valid(parsed.get());
  }

  private Optional<ConsentState> parseSigned(String state) {
    try {
      SignedJWT jwt = SignedJWT.parse(state);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || jwt.getHeader().getCriticalParams() != null || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      String id = claims.getJWTID();
      Date expires = claims.getExpirationTime();
      if (id == null || id.isBlank() || id.length() > 64 || expires == null) {
        return Optional.empty();
      }
      if (List.of(AUDIENCE).equals(claims.getAudience())) {
        return forConnection(claims, id, expires.toInstant());
      }
      if (List.of(SESSION_AUDIENCE).equals(claims.getAudience())) {
        return forSession(claims, id, expires.toInstant());
      }
      return Optional.empty();
    } catch (ParseException | JOSEException | RuntimeException e) {
      // Not a JWS, not ours, or claims of the wrong type: all the same to the admin holding the link.
      return Optional.empty();
    }
  }

  private static Optional<ConsentState> forConnection(JWTClaimsSet claims, String id, Instant expires) throws ParseException {
    String tenant = claims.getStringClaim("tenant");
    Long connection = claims.getLongClaim("connection");
    String clientId = claims.getStringClaim("client_id");
    if (tenant == null || connection == null || clientId == null) {
      return Optional.empty();
    }
    return Optional.of(new ConsentState.ForConnection(id, TenantId.parse(tenant), connection, clientId, expires));
  }

  private static Optional<ConsentState> forSession(JWTClaimsSet claims, String id, Instant expires) throws ParseException {
    Long session = claims.getLongClaim("session");
    String integration = claims.getStringClaim("integration");
    String clientId = claims.getStringClaim("client_id");
    String tenant = claims.getStringClaim("tenant");
    Optional<ConsentState.Purpose> purpose = Optional.ofNullable(claims.getStringClaim("purpose")).flatMap(ConsentState.Purpose::fromClaim);
    if (session == null || integration == null || clientId == null || purpose.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ConsentState.ForSession(id, session, integration, clientId, Optional.ofNullable(tenant).map(TenantId::parse),
        purpose.get(), expires));
  }
}

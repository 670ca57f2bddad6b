package dev.graphgate.emulator.graph.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.keys.SigningKey;
import dev.graphgate.emulator.token.AccessTokenIssuer;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a bearer token as Graph does: RS256 signature by the emulator's key, {@code nbf}/{@code exp} (five minutes of
 * skew, as Entra-protected APIs allow), audience Graph, issuer matching {@code tid}, and a tenant that exists. A token
 * that passed is cached until it expires, so the signature is verified once per token rather than once per request.
 */
public final class BearerAuthenticator {

  /** Clock skew tolerated on {@code nbf} and {@code exp}. */
  public static final Duration SKEW = Duration.ofMinutes(5);
  private static final int CACHE_LIMIT = 10_000;
  private static final Set<String> AUDIENCES = Set.of(GraphPermissions.GRAPH_RESOURCE, GraphPermissions.GRAPH_RESOURCE + "/", GraphPermissions.GRAPH_APP_ID);

  private final RSASSAVerifier verifier;
  private final InstantSource clock;
  private final Directory directory;
  private final Map<String, Caller> verified = new ConcurrentHashMap<>();

  public BearerAuthenticator(SigningKey key, InstantSource clock, Directory directory) {
    try {
      this.verifier = new RSASSAVerifier(key.publicJwk());
    } catch (JOSEException e) {
      throw new IllegalStateException("the emulator's own RSA key", e);
    }
    this.clock = clock;
    this.directory = directory;
  }

  /** The caller a request's {@code Authorization} header proves, or a 401 in Graph's words. */
  public Caller authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw unauthorized("Access token is empty.");
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("Access token validation failure. The Authorization header must be 'Bearer <token>'.");
    }
    String token = authorization.substring(7).trim();
    if (token.isEmpty()) {
      throw unauthorized("Access token is empty.");
    }
    Instant now = clock.instant();
    Caller cached = verified.get(token);
    if (cached == null) {
      cached = verify(token);
      if (verified.size() >= CACHE_LIMIT) {
        verified.clear();
      }
      verified.put(token, cached);
    }
    if (now.isAfter(cached.expiresAt().plus(SKEW))) {
      throw unauthorized("Access token has expired or is not yet valid.");
    }
    if (directory.findTenant(cached.tenantId()).isEmpty()) {
      throw unauthorized("Access token validation failure. The tenant '" + cached.tenantId() + "' does not exist.");
    }
    return cached;
  }

  private Caller verify(String token) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw unauthorized("CompactToken parsing failed with error code: 80049217");
    }
    try {
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        throw unauthorized("Access token validation failure. Invalid signature.");
      }
    } catch (JOSEException e) {
      throw unauthorized("Access token validation failure. Invalid signature.");
    }
    Instant now = clock.instant();
    Date nbf = claims.getNotBeforeTime();
    Date exp = claims.getExpirationTime();
    if (exp == null || (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) || now.isAfter(exp.toInstant().plus(SKEW))) {
      throw unauthorized("Access token has expired or is not yet valid.");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || audience.stream().noneMatch(AUDIENCES::contains)) {
      throw unauthorized("Access token validation failure. Invalid audience.");
    }
    String tenantId;
    String appId;
    String objectId;
    List<String> roles;
    try {
      tenantId = claims.getStringClaim("tid");
      appId = claims.getStringClaim("appid");
      objectId = claims.getStringClaim("oid");
      roles = claims.getStringListClaim("roles");
    } catch (ParseException e) {
      throw unauthorized("Access token validation failure.");
    }
    if (tenantId == null || !AccessTokenIssuer.issuer(tenantId).equals(claims.getIssuer())) {
      throw unauthorized("Access token validation failure. Invalid issuer.");
    }
    if (objectId == null) {
      throw new GraphException(401, "Authorization_IdentityNotFound", "The identity of the calling application could not be established.", wwwAuthenticate());
    }
    Set<String> granted = roles == null ? Set.of() : new HashSet<>(roles);
    return new Caller(tenantId, appId == null ? "" : appId, objectId, granted, exp.toInstant(), false);
  }

  private static GraphException unauthorized(String message) {
    return new GraphException(401, "InvalidAuthenticationToken", message, wwwAuthenticate());
  }

  private static Map<String, String> wwwAuthenticate() {
    return Map.of(
        "WWW-Authenticate",
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\""
            + GraphPermissions.GRAPH_APP_ID + "\"");
  }
}

package dev.graphgate.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.AuthenticationFailed;
import dev.graphgate.server.Json;
import dev.graphgate.server.secret.ApiKeys;
import dev.graphgate.server.secret.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;

/**
 * Dashboard sign-in and sessions. A session is a cookie whose value is sealed with the server's encryption key
 * ({@link SecretBox}, AES-GCM, its own purpose): it holds the expiry and the session's CSRF token, never the secret
 * key or password that signed in. Sealing makes it unforgeable and unreadable without the key, and every instance
 * sharing the key accepts it, so nothing is stored per session. The CSRF token goes to the page through
 * {@code GET /dashboard/api/session} (readable only by a page of Graphgate's origin) and must come back in
 * {@code X-CSRF-Token} on every write; a page elsewhere can send the cookie (in browsers that ignore SameSite) but
 * never knows the token.
 */
public final class DashboardSessions {
  public static final String COOKIE = "graphgate_dashboard";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  public static final Duration LIFETIME = Duration.ofHours(12);
  private static final String PURPOSE = "dashboard-session";

  private final ApiKeys keys;
  private final Optional<String> password;
  private final SecretBox box;
  private final InstantSource clock;
  private final SecureRandom random;

  /** A signed-in session: when it ends, and the token its writes must carry. */
  public record Session(Instant expiresAt, String csrfToken) {}

  /** A new session and the cookie value that carries it. */
  public record Started(Session session, String cookieValue) {}

  public DashboardSessions(ApiKeys keys, Optional<String> password, SecretBox box, InstantSource clock, SecureRandom random) {
    this.keys = keys;
    this.password = password;
    this.box = box;
    this.clock = clock;
    this.random = random;
  }

  /** Signs in with {@code credential}: an accepted secret key or the dashboard password; refused otherwise. */
  public Started signIn(String credential) {
    boolean byPassword = password.isPresent() && MessageDigest.isEqual(password.get().getBytes(StandardCharsets.UTF_8),
        credential.getBytes(StandardCharsets.UTF_8));
    if (!byPassword && !keys.accepts(credential)) {
      throw AuthenticationFailed.dashboardSignInRefused();
    }
    byte[] csrf = new byte[32];
    random.nextBytes(csrf);
    Session session = new Session(clock.instant().plus(LIFETIME), Base64.getUrlEncoder().withoutPadding().encodeToString(csrf));
    ObjectNode payload = Json.object().put("exp", session.expiresAt().getEpochSecond()).put("csrf", session.csrfToken());
    // The sealed form is Base64 and dots: a valid cookie value as it is.
    return new Started(session, box.seal(Json.write(payload), PURPOSE));
  }

  /** The session the cookie value carries, if it is one this server sealed and it has not expired. */
  public Optional<Session> open(String cookieValue) {
    if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 1024) {
      return Optional.empty();
    }
    try {
      JsonNode payload = Json.parse(box.unseal(cookieValue, PURPOSE));
      Instant expires = Instant.ofEpochSecond(payload.path("exp").asLong());
      String csrf = payload.path("csrf").asText("");
      if (csrf.isEmpty() || !clock.instant().isBefore(expires)) {
        return Optional.empty();
      }
      return Optional.of(new Session(expires, csrf));
    } catch (RuntimeException e) {
      // Tampered, sealed with a key this instance lacks, or not ours at all: no session.
      return Optional.empty();
    }
  }

  /** The session of a read: signed in, or {@code dashboard_sign_in_required}. */
  public Session require(String cookieValue) {
    return open(cookieValue).orElseThrow(AuthenticationFailed::dashboardSignInRequired);
  }

  /** The session of a write: signed in, and {@code presentedCsrf} is its token (compared in constant time). */
  public Session requireWrite(String cookieValue, String presentedCsrf) {
    Session s = require(cookieValue);
    if (presentedCsrf == null || !MessageDigest.isEqual(s.csrfToken().getBytes(StandardCharsets.UTF_8), presentedCsrf.getBytes(StandardCharsets.UTF_8))) {
      throw AuthenticationFailed.invalidCsrfToken();
    }
    return s;
  }
}

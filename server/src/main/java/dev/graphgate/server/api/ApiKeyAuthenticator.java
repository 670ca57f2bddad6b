package dev.graphgate.server.api;

import dev.graphgate.server.GraphgateException.AuthenticationFailed;
import dev.graphgate.server.connect.SessionTokens;
import dev.graphgate.server.secret.ApiKeys;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * {@code Authorization: Bearer <secret key>}, checked as Nango checks it, with Nango's error codes. A bearer of the
 * connect session form is never tried as a secret key ({@link SessionAuthenticator} decides where one is accepted).
 */
final class ApiKeyAuthenticator {
  private static final Pattern UUID_V4 = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final String SCHEME = "Bearer ";

  private final ApiKeys keys;

  ApiKeyAuthenticator(ApiKeys keys) {
    this.keys = keys;
  }

  void authenticate(Context ctx) {
    String key = bearer(ctx);
    if (SessionTokens.looksLikeSessionToken(key)) {
      throw AuthenticationFailed.connectSessionToken();
    }
    authenticateKey(key);
  }

  /** {@code key}, the value of a bearer that is not a session token, must be an accepted secret key. */
  void authenticateKey(String key) {
    if (!UUID_V4.matcher(key).matches()) {
      throw AuthenticationFailed.invalidKeyFormat();
    }
    if (!keys.accepts(key)) {
      throw AuthenticationFailed.unknownAccount();
    }
  }

  /** The value of {@code Authorization: Bearer <value>}; a missing or malformed header fails as Nango's do. */
  static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      throw AuthenticationFailed.missingHeader();
    }
    // The scheme is case-insensitive (RFC 7235 section 2.1): "bearer" and "BEARER" are "Bearer".
    if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) || header.substring(SCHEME.length()).isBlank()) {
      throw AuthenticationFailed.malformedHeader();
    }
    return header.substring(SCHEME.length()).trim();
  }
}

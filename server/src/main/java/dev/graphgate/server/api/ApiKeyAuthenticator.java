package dev.graphgate.server.api;

import dev.graphgate.server.GraphgateException.AuthenticationFailed;
import dev.graphgate.server.Graphgate;
import java.security.MessageDigest;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/** {@code Authorization: Bearer <secret key>}, checked as Nango checks it, with Nango's error codes. */
final class ApiKeyAuthenticator {
  private static final Pattern UUID_V4 = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final String SESSION_PREFIX = "nango_connect_session_";

  private final byte[] secretKeyDigest;

  /** Knows the key only by its SHA-256 digest, compared in constant time. */
  ApiKeyAuthenticator(byte[] secretKeyDigest) {
    this.secretKeyDigest = secretKeyDigest.clone();
  }

  void authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      throw new AuthenticationFailed("missing_auth_header", "Authentication failed. The request is missing the Authorization header.");
    }
    if (!header.startsWith("Bearer ") || header.substring(7).isBlank()) {
      throw new AuthenticationFailed("malformed_auth_header", "Authentication failed. The Authorization header is malformed.");
    }
    String key = header.substring(7).trim();
    if (key.startsWith(SESSION_PREFIX)) {
      throw new AuthenticationFailed("unknown_connect_session_token",
          "Authentication failed. This endpoint needs the secret key; connect session tokens are not accepted here.");
    }
    if (!UUID_V4.matcher(key).matches()) {
      throw new AuthenticationFailed("invalid_secret_key_format", "Authentication failed. The provided secret key is not a UUID v4.");
    }
    if (!MessageDigest.isEqual(Graphgate.sha256(key.toLowerCase(java.util.Locale.ROOT)), secretKeyDigest)) {
      throw new AuthenticationFailed("unknown_account", "Authentication failed. The provided authorization header does not match any account.");
    }
  }
}

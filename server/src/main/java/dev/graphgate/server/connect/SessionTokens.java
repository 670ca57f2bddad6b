package dev.graphgate.server.connect;

import dev.graphgate.server.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Connect session tokens, in Nango's format: {@code nango_connect_session_} and 64 lower-case hex digits (256 random
 * bits). A token is shown once, to the backend that created the session; Graphgate keeps only its SHA-256, which is
 * what sessions are looked up by.
 */
public final class SessionTokens {
  public static final String PREFIX = "nango_connect_session_";
  private static final Pattern FORMAT = Pattern.compile(PREFIX + "[a-f0-9]{64}");

  private SessionTokens() {}

  static Secret generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Secret.of(PREFIX + HexFormat.of().formatHex(bytes));
  }

  /** Whether {@code token} has the form of a session token (it may still be unknown or expired). */
  public static boolean isWellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  /** Whether {@code bearer} claims to be a session token: such a value is never tried as a secret key. */
  public static boolean looksLikeSessionToken(String bearer) {
    return bearer != null && bearer.startsWith(PREFIX);
  }

  static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}

package dev.graphgate.server.webhook;

import dev.graphgate.server.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Nango's two signatures of a webhook body (nango-api.md §7.2), over exactly the bytes sent: {@code X-Nango-Hmac-Sha256}
 * is lowercase hex HMAC-SHA256 keyed with the signing key's UTF-8 bytes; {@code X-Nango-Signature} (legacy, open to
 * length extension, sent for receivers that still check it) is lowercase hex SHA-256 of the key followed by the body.
 */
public final class WebhookSignature {
  public static final String HMAC_HEADER = "X-Nango-Hmac-Sha256";
  public static final String LEGACY_HEADER = "X-Nango-Signature";
  /** Graphgate's own: the HMAC under the previous key, sent during a rotation's grace period. */
  public static final String PREVIOUS_HMAC_HEADER = "X-Graphgate-Previous-Hmac-Sha256";

  private WebhookSignature() {}

  public static String hmac(Secret key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  public static String legacy(Secret key, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key.reveal().getBytes(StandardCharsets.UTF_8));
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

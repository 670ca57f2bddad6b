package dev.graphgate.server.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key and its id. The id is derived from the key (so every instance given the same key agrees on it
 * without configuration) and is written in front of each sealed value, which is what lets keys rotate.
 */
public final class EncryptionKey {
  /** Characters in a key id (base64url, so never a '.'). */
  public static final int ID_LENGTH = 8;

  private final String id;
  private final SecretKey key;

  private EncryptionKey(byte[] material) {
    if (material.length != 32) {
      throw new IllegalArgumentException("an encryption key is 32 bytes (base64 of 32 random bytes), got " + material.length + " bytes");
    }
    this.key = new SecretKeySpec(material, "AES");
    this.id = deriveId(material);
  }

  /** Parses base64 (standard or url-safe) of exactly 32 bytes. */
  public static EncryptionKey fromBase64(String base64) {
    byte[] bytes;
    try {
      String trimmed = base64.trim();
      bytes = trimmed.contains("-") || trimmed.contains("_")
          ? Base64.getUrlDecoder().decode(trimmed)
          : Base64.getDecoder().decode(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("an encryption key must be base64 of 32 random bytes (for example `openssl rand -base64 32`)");
    }
    try {
      return new EncryptionKey(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  public static EncryptionKey generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return new EncryptionKey(bytes);
  }

  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  /** The key material as base64, for writing the key file; never log it. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  private static String deriveId(byte[] material) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(("graphgate-key-id:" + Base64.getEncoder().encodeToString(material)).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, ID_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptionKey other && other.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "EncryptionKey[id=" + id + ", material=(redacted)]";
  }
}

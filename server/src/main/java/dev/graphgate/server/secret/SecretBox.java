package dev.graphgate.server.secret;

import dev.graphgate.server.GraphgateException.EncryptionKeyUnavailable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals secrets at rest with AES-256-GCM (the JDK's implementation). A sealed value reads
 * {@code gg1.<key id>.<base64url(nonce || ciphertext || tag)>}: the key id says which key opens it, so values sealed
 * with an older key keep opening while {@code rotate-key} re-seals them with the current one. The purpose (which column
 * a value belongs to) is bound as associated data, so a value copied into another column does not open.
 */
public final class SecretBox {
  private static final String PREFIX = "gg1";
  /** The length of {@code gg1.<key id>.}: all {@link #keyIdOf} needs of a value. */
  public static final int HEADER_LENGTH = PREFIX.length() + 1 + EncryptionKey.ID_LENGTH + 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final EncryptionKey current;
  private final Map<String, EncryptionKey> byId;
  private final SecureRandom random;

  public SecretBox(EncryptionKey current, List<EncryptionKey> previous, SecureRandom random) {
    this.current = Objects.requireNonNull(current);
    this.random = random;
    Map<String, EncryptionKey> keys = new LinkedHashMap<>();
    keys.put(current.id(), current);
    previous.forEach(k -> keys.putIfAbsent(k.id(), k));
    this.byId = Map.copyOf(keys);
  }

  public String seal(String plaintext, String purpose) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + "." + current.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /**
   * Opens a value sealed by {@link #seal} with the same purpose. Throws {@link EncryptionKeyUnavailable} when the value
   * names a key this box was not given (a clear 503 for API callers), and {@link SealedValueException} when it is not
   * a sealed value or fails its integrity check.
   */
  public String unseal(String sealed, String purpose) {
    String[] parts = sealed.split("\\.", 3);
    if (parts.length != 3 || !parts[0].equals(PREFIX)) {
      throw new SealedValueException("a stored secret is not in the sealed format; the database may have been edited by hand");
    }
    EncryptionKey key = byId.get(parts[1]);
    if (key == null) {
      throw new EncryptionKeyUnavailable(parts[1]);
    }
    try {
      byte[] all = Base64.getUrlDecoder().decode(parts[2]);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new SealedValueException("a stored secret failed its integrity check (key '" + parts[1] + "'); it was altered or belongs elsewhere");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /**
   * The id of the key a sealed value (or its first {@link #HEADER_LENGTH} characters) names, or empty when the value is
   * not in the sealed format.
   */
  public static Optional<String> keyIdOf(String sealed) {
    String[] parts = sealed.split("\\.", 3);
    return parts.length == 3 && parts[0].equals(PREFIX) ? Optional.of(parts[1]) : Optional.empty();
  }

  /** The ids of every key this box opens with, the current one included. */
  public Set<String> keyIds() {
    return byId.keySet();
  }

  /** True when the value is sealed with an older key and {@code rotate-key} should re-seal it. */
  public boolean needsReseal(String sealed) {
    return !sealed.startsWith(PREFIX + "." + current.id() + ".");
  }

  @Override
  public String toString() {
    return "SecretBox[current=" + current.id() + ", keys=" + byId.keySet() + "]";
  }

  /** A stored secret cannot be opened: wrong key, tampering, or a value that was never sealed. */
  public static final class SealedValueException extends RuntimeException {
    public SealedValueException(String message) {
      super(message);
    }
  }
}

package dev.graphgate.emulator.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * A client secret of an app registration. Entra shows only the first characters ({@code hint}) after creation; the
 * emulator keeps the value to check it, but never prints it.
 */
public record AppSecret(String keyId, String value, Instant expiresAt) {

  public AppSecret {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a client secret value cannot be blank");
    }
  }

  public String hint() {
    return value.substring(0, Math.min(3, value.length()));
  }

  public boolean matches(String candidate) {
    // Constant time, so the emulator does not teach clients a timing side channel.
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "AppSecret[keyId=" + keyId + ", hint=" + hint() + "..., expiresAt=" + expiresAt + "]";
  }
}

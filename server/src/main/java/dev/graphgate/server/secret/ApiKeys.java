package dev.graphgate.server.secret;

import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.storage.SettingsRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API secret keys this instance accepts: the current one ({@code GRAPHGATE_SECRET_KEY}, else the key generated on
 * the first start and stored as a SHA-256 hash in the settings table) and the previous ones
 * ({@code GRAPHGATE_PREVIOUS_SECRET_KEYS}), so that a key is rotated without refusing callers while instances restart
 * one by one. Every accepted key is equal; "current" and "previous" only say which one is on its way out. Keys are
 * held only as digests and never logged.
 */
public final class ApiKeys {
  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
  static final String STORED_DIGEST = "secret_key_sha256";

  private final List<byte[]> digests;
  private final int previousCount;
  private final Optional<Secret> generated;

  private ApiKeys(List<byte[]> digests, int previousCount, Optional<Secret> generated) {
    this.digests = List.copyOf(digests);
    this.previousCount = previousCount;
    this.generated = generated;
  }

  /**
   * The configured keys; without {@code GRAPHGATE_SECRET_KEY}, the stored generated one, generated and stored now on
   * the first start (two instances starting together agree on the first one stored). Logs how many keys are accepted.
   */
  public static ApiKeys resolve(GraphgateConfig config, SettingsRepository settings) {
    byte[] current;
    Optional<Secret> generated = Optional.empty();
    String source;
    if (config.secretKey().isPresent()) {
      current = digest(config.secretKey().get());
      source = "GRAPHGATE_SECRET_KEY";
    } else {
      source = "the generated one stored (hashed) in the database";
      Optional<String> stored = settings.find(STORED_DIGEST);
      if (stored.isPresent()) {
        current = HexFormat.of().parseHex(stored.get());
      } else {
        String key = UUID.randomUUID().toString();
        current = HexFormat.of().parseHex(settings.putIfAbsent(STORED_DIGEST, HexFormat.of().formatHex(digest(key))));
        if (MessageDigest.isEqual(current, digest(key))) {
          generated = Optional.of(Secret.of(key));
        }
      }
    }
    List<byte[]> all = new ArrayList<>();
    all.add(current);
    for (String previous : config.previousSecretKeys()) {
      byte[] d = digest(previous);
      if (all.stream().noneMatch(known -> MessageDigest.isEqual(known, d))) {
        all.add(d);
      }
    }
    ApiKeys keys = new ApiKeys(all, all.size() - 1, generated);
    log.info("{}; the current one is {}", keys.describe(), source);
    return keys;
  }

  /** Whether the presented key (a UUID v4, in any case) is one of the accepted keys; compares against every key, in constant time. */
  public boolean accepts(String presented) {
    byte[] d = digest(presented);
    boolean accepted = false;
    for (byte[] known : digests) {
      accepted |= MessageDigest.isEqual(known, d);
    }
    return accepted;
  }

  /** The key generated on this start, if this start generated it: shown to the operator once, stored only as a hash. */
  public Optional<String> generatedKey() {
    return generated.map(Secret::reveal);
  }

  /** For the log: how many keys, never which. */
  public String describe() {
    int n = digests.size();
    return "accepting " + n + " API key" + (n == 1 ? "" : "s") + " (1 current, " + previousCount + " previous)";
  }

  @Override
  public String toString() {
    return "ApiKeys[" + describe() + "]";
  }

  /** UUIDs are case-insensitive: the digest is of the lower-case form. */
  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}

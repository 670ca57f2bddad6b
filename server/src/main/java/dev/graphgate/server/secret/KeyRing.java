package dev.graphgate.server.secret;

import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.InvalidConfigException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which keys seal and open secrets: from the environment, else (embedded mode only) from the data dir's key file. */
public record KeyRing(EncryptionKey current, List<EncryptionKey> previous) {
  private static final Logger log = LoggerFactory.getLogger(KeyRing.class);

  public KeyRing {
    previous = List.copyOf(previous);
  }

  public static KeyRing resolve(GraphgateConfig config, SecureRandom random) {
    if (config.encryptionKey().isPresent()) {
      List<EncryptionKey> previous = new ArrayList<>();
      for (String k : config.previousEncryptionKeys()) {
        previous.add(parse(k, "GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS"));
      }
      return new KeyRing(parse(config.encryptionKey().get(), "GRAPHGATE_ENCRYPTION_KEY"), previous);
    }
    if (!config.embeddedDatabase()) {
      throw new InvalidConfigException("GRAPHGATE_ENCRYPTION_KEY is required with PostgreSQL, so that every instance seals secrets with "
          + "the same key. Generate one with `openssl rand -base64 32` and give it to every instance.");
    }
    KeyFile file = new KeyFile(config.dataDir());
    if (file.exists()) {
      List<EncryptionKey> keys = file.read();
      return new KeyRing(keys.get(0), keys.subList(1, keys.size()));
    }
    EncryptionKey key = file.create(random);
    log.warn("GRAPHGATE_ENCRYPTION_KEY is not set: generated an encryption key into {} (owner-only). Back it up with the database; "
        + "without it the stored client secrets and tokens cannot be read.", file.path());
    return new KeyRing(key, List.of());
  }

  public SecretBox box(SecureRandom random) {
    return new SecretBox(current, previous, random);
  }

  private static EncryptionKey parse(String base64, String setting) {
    try {
      return EncryptionKey.fromBase64(base64);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(setting + ": " + e.getMessage());
    }
  }
}

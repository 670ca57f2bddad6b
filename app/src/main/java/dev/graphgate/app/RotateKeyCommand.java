package dev.graphgate.app;

import dev.graphgate.server.KeyRotation;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.InvalidConfigException;
import dev.graphgate.server.secret.EncryptionKey;
import dev.graphgate.server.secret.KeyFile;
import dev.graphgate.server.secret.KeyRing;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.Database;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code graphgate rotate-key}: re-seals every stored secret with the current encryption key. In embedded mode without
 * {@code GRAPHGATE_ENCRYPTION_KEY} it first generates the new key into the key file; with the variable set, the new
 * key is {@code GRAPHGATE_ENCRYPTION_KEY} and the old ones are in {@code GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS}.
 */
@Command(
    name = "rotate-key",
    mixinStandardHelpOptions = true,
    description = {"Re-seal every stored client secret, private key and token with the current encryption key.",
        "Embedded mode (no GRAPHGATE_ENCRYPTION_KEY): generates a new key in the data dir's encryption.keys, re-seals, drops the old key.",
        "Otherwise: set GRAPHGATE_ENCRYPTION_KEY to the new key and GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS to the old one(s).",
        "Stop the server first in embedded mode (the database file is locked while it runs)."})
final class RotateKeyCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    SecureRandom random = new SecureRandom();
    try {
      GraphgateConfig config = GraphgateConfig.fromEnvironment(System.getenv());
      if (config.encryptionKey().isPresent()) {
        KeyRing ring = KeyRing.resolve(config, random);
        String current = ring.current().id();
        Set<String> inUse;
        int n;
        try (Database db = Database.open(config)) {
          n = KeyRotation.resealAll(db.jdbi(), ring.box(random));
          inUse = KeyRotation.keyIdsInUse(db.jdbi());
        }
        System.out.println("Re-sealed " + values(n) + " with key " + current + ".");
        Set<String> others = new TreeSet<>(inUse);
        others.remove(current);
        if (!others.isEmpty()) {
          // Written while re-sealing by an instance that still seals with an older key.
          System.out.println("Values sealed with key " + String.join(", ", others) + " were written meanwhile: an instance still seals with it. "
              + "Give every instance GRAPHGATE_ENCRYPTION_KEY=<new key>, then run rotate-key again.");
          return 1;
        }
        System.out.println("Every stored value is sealed with key " + current + ": GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS can now be removed "
            + "(restart the instances one at a time).");
        return 0;
      }
      if (!config.embeddedDatabase()) {
        throw new InvalidConfigException("GRAPHGATE_ENCRYPTION_KEY is required with PostgreSQL: set it to the new key and "
            + "GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS to the old one, then run rotate-key again.");
      }
      KeyFile file = new KeyFile(config.dataDir());
      if (!file.exists()) {
        throw new InvalidConfigException("No key file at " + file.path() + ": nothing is sealed yet, so there is nothing to rotate.");
      }
      List<EncryptionKey> old = file.read();
      EncryptionKey fresh = EncryptionKey.generate(random);
      List<EncryptionKey> both = new ArrayList<>();
      both.add(fresh);
      both.addAll(old);
      // Keep the old keys in the file until every value is re-sealed, so a crash in between loses nothing.
      file.write(both);
      int n = reseal(config, new SecretBox(fresh, old, random));
      file.write(List.of(fresh));
      System.out.println("Re-sealed " + values(n) + " with new key " + fresh.id() + " (written to " + file.path() + "); old keys removed.");
      return 0;
    } catch (InvalidConfigException e) {
      System.err.println("graphgate: " + e.getMessage());
      return 2;
    }
  }

  private static int reseal(GraphgateConfig config, SecretBox box) {
    try (Database db = Database.open(config)) {
      return KeyRotation.resealAll(db.jdbi(), box);
    }
  }

  private static String values(int n) {
    return n == 1 ? "1 value" : n + " values";
  }
}

package dev.graphgate.server.connect;

import dev.graphgate.server.config.InvalidConfigException;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.SettingsRepository;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that signs admin consent states: 256 random bits made by the first instance that starts against a database,
 * and kept in its {@code settings} table sealed with the encryption key, so:
 *
 * <ul>
 *   <li>every instance on the database signs and verifies with the same key, with nothing to configure (a link one
 *       instance hands out works on whichever instance Entra sends the admin back to);
 *   <li>a copy of the database alone does not let anyone forge links, and {@code ./graphgate rotate-key} re-seals it
 *       with the other sealed values ({@code KeyRotation} lists it);
 *   <li>it is its own key, not one derived from the encryption key, so rotating the encryption key leaves every link
 *       already handed out valid.
 * </ul>
 *
 * The key never leaves this class but as the signer's bytes; it is never logged.
 */
public final class ConsentStateKey {
  /** The {@code settings} row that holds the sealed key. */
  public static final String SETTING = "admin_consent_state_key";
  /** The sealed value's purpose (its associated data): the sealed key opens as nothing else. */
  public static final String PURPOSE = "settings.admin_consent_state_key";
  static final int BYTES = 32;

  private ConsentStateKey() {}

  /** The database's key; the first instance to start stores one, and an instance starting at the same time agrees on it. */
  static byte[] load(SettingsRepository settings, SecretBox box, SecureRandom random) {
    byte[] fresh = new byte[BYTES];
    random.nextBytes(fresh);
    String sealed = settings.putIfAbsent(SETTING, box.seal(Base64.getEncoder().encodeToString(fresh), PURPOSE));
    try {
      byte[] key = Base64.getDecoder().decode(box.unseal(sealed, PURPOSE));
      if (key.length != BYTES) {
        throw new InvalidConfigException("This database's admin consent state key (settings." + SETTING + ") is not " + BYTES + " bytes; "
            + "the database may have been edited by hand. Delete that row and restart: links handed out before stop working.");
      }
      return key;
    } catch (SecretBox.SealedValueException | IllegalArgumentException e) {
      throw new InvalidConfigException("This database's admin consent state key (settings." + SETTING + ") cannot be opened: "
          + e.getMessage() + ". Delete that row and restart: links handed out before stop working.");
    }
  }
}

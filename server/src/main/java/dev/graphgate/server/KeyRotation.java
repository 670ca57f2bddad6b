package dev.graphgate.server;

import dev.graphgate.server.config.InvalidConfigException;
import dev.graphgate.server.connect.ConsentStateKey;
import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.integration.IntegrationRepository;
import dev.graphgate.server.notification.SubscriptionRepository;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.SettingsRepository;
import dev.graphgate.server.webhook.WebhookSettingsRepository;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The stored secrets as a whole, across encryption keys: which keys they need ({@link #keyIdsInUse}), the check at
 * start that this instance holds all of them ({@link #verifyKeys}), and re-sealing everything with the current key
 * ({@link #resealAll}), after which the previous keys can be dropped. The list below is every sealed column; a new one
 * must be added here.
 */
public final class KeyRotation {
  /** A sealed column, the rows' key column, and (for settings) which rows hold sealed values. */
  private record SealedColumn(String table, String idColumn, String column, String purpose, String rows) {
    String where() {
      return " WHERE " + column + " IS NOT NULL" + (rows == null ? "" : " AND " + rows);
    }
  }

  static final String KEY_CHECK = "key_check";
  static final String KEY_CHECK_PURPOSE = "settings.key_check";

  private static final List<SealedColumn> COLUMNS = List.of(
      new SealedColumn("integrations", "id", "shared_client_secret_sealed", IntegrationRepository.SHARED_SECRET_PURPOSE, null),
      new SealedColumn("integrations", "id", "webhook_secret_sealed", IntegrationRepository.WEBHOOK_SECRET_PURPOSE, null),
      new SealedColumn("connections", "id", "credentials_sealed", ConnectionRepository.CREDENTIALS_PURPOSE, null),
      new SealedColumn("connections", "id", "token_sealed", ConnectionRepository.TOKEN_PURPOSE, null),
      new SealedColumn("webhook_settings", "id", "signing_key_sealed", WebhookSettingsRepository.SIGNING_KEY_PURPOSE, null),
      new SealedColumn("graph_subscriptions", "id", "client_state_sealed", SubscriptionRepository.CLIENT_STATE_PURPOSE, null),
      new SealedColumn("webhook_settings", "id", "previous_key_sealed", WebhookSettingsRepository.SIGNING_KEY_PURPOSE, null),
      new SealedColumn("settings", "name", "setting_value", KEY_CHECK_PURPOSE, "name = '" + KEY_CHECK + "'"),
      new SealedColumn("settings", "name", "setting_value", ConsentStateKey.PURPOSE, "name = '" + ConsentStateKey.SETTING + "'"));

  private KeyRotation() {}

  /** The ids of the keys that stored values are sealed with, the key-check marker's included. Reads only each value's header. */
  public static Set<String> keyIdsInUse(Jdbi jdbi) {
    return jdbi.withHandle(KeyRotation::keyIdsInUse);
  }

  /**
   * At start: stores the key-check marker on a new database, then refuses to start when a stored value is sealed with
   * a key this instance was not given, rather than answering {@code encryption_key_unavailable} for it later. A
   * rotation done as docs/running.md says never trips it: every value is sealed with a key every instance holds.
   */
  static void verifyKeys(Jdbi jdbi, SettingsRepository settings, SecretBox box) {
    String marker = settings.putIfAbsent(KEY_CHECK, box.seal("graphgate", KEY_CHECK_PURPOSE));
    jdbi.useHandle(h -> requireKeys(h, box));
    try {
      box.unseal(marker, KEY_CHECK_PURPOSE);
    } catch (SecretBox.SealedValueException e) {
      throw new InvalidConfigException("This database's key-check marker cannot be opened: " + e.getMessage());
    }
  }

  /**
   * Re-seals every value not sealed with the current key, in one transaction, and returns how many. Refuses, changing
   * nothing, when a value is sealed with a key the box was not given. Instances may keep serving meanwhile.
   */
  public static int resealAll(Jdbi jdbi, SecretBox box) {
    return jdbi.inTransaction(h -> {
      requireKeys(h, box);
      int count = 0;
      for (SealedColumn c : COLUMNS) {
        List<Row> rows = h.createQuery("SELECT " + c.idColumn() + " AS k, " + c.column() + " AS v FROM " + c.table() + c.where())
            .map((rs, ctx) -> new Row(rs.getObject("k"), rs.getString("v"))).list();
        for (Row r : rows) {
          count += reseal(h, c, r, box);
        }
      }
      return count;
    });
  }

  /**
   * Replaces the value only if it is still the one read: an instance may have written the row since (a new client
   * secret, a refreshed token), and its write must win. The value it wrote is re-sealed in turn if it needs to be.
   */
  private static int reseal(Handle h, SealedColumn c, Row row, SecretBox box) {
    String value = row.value();
    while (value != null && box.needsReseal(value)) {
      int updated = h.createUpdate("UPDATE " + c.table() + " SET " + c.column() + " = :resealed WHERE " + c.idColumn() + " = :k AND "
              + c.column() + " = :read")
          .bind("resealed", box.seal(box.unseal(value, c.purpose()), c.purpose())).bind("k", row.key()).bind("read", value).execute();
      if (updated == 1) {
        return 1;
      }
      value = h.createQuery("SELECT " + c.column() + " FROM " + c.table() + " WHERE " + c.idColumn() + " = :k")
          .bind("k", row.key()).mapTo(String.class).findOne().orElse(null);
    }
    return 0;
  }

  private static void requireKeys(Handle h, SecretBox box) {
    Set<String> missing = keyIdsInUse(h);
    missing.removeAll(box.keyIds());
    if (!missing.isEmpty()) {
      String keys = missing.size() == 1 ? "key '" + missing.iterator().next() + "' is" : "keys '" + String.join("', '", missing) + "' are";
      throw new InvalidConfigException("This database's secrets are sealed with another encryption key: " + keys
          + " neither GRAPHGATE_ENCRYPTION_KEY nor in GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS here (in embedded mode: not in the data dir's "
          + "encryption.keys). Give this instance that key; to retire a key, run `./graphgate rotate-key` first (docs/running.md, "
          + "\"Rotating the encryption key\").");
    }
  }

  private static Set<String> keyIdsInUse(Handle h) {
    Set<String> ids = new TreeSet<>();
    for (SealedColumn c : COLUMNS) {
      h.createQuery("SELECT DISTINCT SUBSTRING(" + c.column() + ", 1, " + SecretBox.HEADER_LENGTH + ") FROM " + c.table() + c.where())
          .mapTo(String.class).forEach(header -> SecretBox.keyIdOf(header).ifPresent(ids::add));
    }
    return ids;
  }

  private record Row(Object key, String value) {}
}

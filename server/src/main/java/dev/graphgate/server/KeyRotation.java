package dev.graphgate.server;

import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.integration.IntegrationRepository;
import dev.graphgate.server.secret.SecretBox;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Re-seals every stored secret with the current key, in one transaction: afterwards the previous keys can be dropped.
 * The list below is every sealed column; a new one must be added here.
 */
public final class KeyRotation {
  private record SealedColumn(String table, String column, String purpose) {}

  static final String KEY_CHECK = "key_check";
  static final String KEY_CHECK_PURPOSE = "settings.key_check";

  private static final List<SealedColumn> COLUMNS = List.of(
      new SealedColumn("integrations", "shared_client_secret_sealed", IntegrationRepository.SHARED_SECRET_PURPOSE),
      new SealedColumn("integrations", "webhook_secret_sealed", IntegrationRepository.WEBHOOK_SECRET_PURPOSE),
      new SealedColumn("connections", "credentials_sealed", ConnectionRepository.CREDENTIALS_PURPOSE),
      new SealedColumn("connections", "token_sealed", ConnectionRepository.TOKEN_PURPOSE));

  private KeyRotation() {}

  /** Returns how many values were re-sealed. */
  public static int resealAll(Jdbi jdbi, SecretBox box) {
    return jdbi.inTransaction(h -> {
      int count = 0;
      for (SealedColumn c : COLUMNS) {
        List<Row> rows = h.createQuery("SELECT id, " + c.column() + " AS v FROM " + c.table() + " WHERE " + c.column() + " IS NOT NULL")
            .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("v"))).list();
        for (Row r : rows) {
          if (box.needsReseal(r.value())) {
            String resealed = box.seal(box.unseal(r.value(), c.purpose()), c.purpose());
            h.createUpdate("UPDATE " + c.table() + " SET " + c.column() + " = :v WHERE id = :id").bind("v", resealed).bind("id", r.id()).execute();
            count++;
          }
        }
      }
      String check = h.createQuery("SELECT setting_value FROM settings WHERE name = :n").bind("n", KEY_CHECK).mapTo(String.class).findOne().orElse(null);
      if (check != null && box.needsReseal(check)) {
        h.createUpdate("UPDATE settings SET setting_value = :v WHERE name = :n")
            .bind("v", box.seal(box.unseal(check, KEY_CHECK_PURPOSE), KEY_CHECK_PURPOSE)).bind("n", KEY_CHECK).execute();
        count++;
      }
      return count;
    });
  }

  private record Row(long id, String value) {}
}

package db.migration;

import dev.graphgate.server.records.RecordKeyHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The records store finds a page's rows through {@code key_hash} ({@link RecordKeyHash}: why), computed here for the
 * rows already stored. In Java, not SQL: the same function the store uses, on H2 and PostgreSQL alike.
 *
 * <p>On H2 the unique key {@code records_key (connection_id, model, external_id)} goes: its index was most of a sync's
 * commit (each page of random ids rewrote about 100 of its leaves). H2 is one process's embedded file, and in it the
 * runs of one sync for one connection never overlap, so the records store's look-up before each insert is what keeps
 * one row per key. On PostgreSQL, where several instances share the database and an instance that lost its lease
 * could still be running, the unique key stays, at little cost there.
 */
public final class V17__records_key_hash extends BaseJavaMigration {
  private static final int BATCH = 1000;

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    boolean h2 = c.getMetaData().getDatabaseProductName().toUpperCase(Locale.ROOT).contains("H2");
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE records ADD COLUMN key_hash BIGINT");
    }
    long after = Long.MIN_VALUE;
    try (PreparedStatement read = c.prepareStatement("SELECT id, connection_id, model, external_id FROM records WHERE id > ? ORDER BY id LIMIT " + BATCH);
        PreparedStatement write = c.prepareStatement("UPDATE records SET key_hash = ? WHERE id = ?")) {
      while (true) {
        read.setLong(1, after);
        int n = 0;
        try (ResultSet rs = read.executeQuery()) {
          while (rs.next()) {
            after = rs.getLong(1);
            write.setLong(1, RecordKeyHash.of(rs.getLong(2), rs.getString(3), rs.getString(4)));
            write.setLong(2, after);
            write.addBatch();
            n++;
          }
        }
        if (n == 0) {
          break;
        }
        write.executeBatch();
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE records ALTER COLUMN key_hash SET NOT NULL");
      s.execute("CREATE INDEX records_by_key_hash ON records (key_hash)");
      if (h2) {
        s.execute("ALTER TABLE records DROP CONSTRAINT records_key");
      }
    }
  }
}

package dev.graphgate.server.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.storage.SqlDialect;
import dev.graphgate.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V17 on a database that already holds records: each row gets the {@link RecordKeyHash} the records store computes,
 * the column is then required, and the unique key goes on H2 and stays on PostgreSQL (V17's reasons).
 */
class RecordKeyHashMigrationTest {
  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("H2", (Supplier<TestDatabase>) TestDatabase::h2),
        Arguments.of("PostgreSQL", (Supplier<TestDatabase>) TestDatabase::postgres));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void storedRecordsGetTheHashTheStoreComputes(String name, Supplier<TestDatabase> database) throws SQLException {
    try (TestDatabase db = database.get()) {
      SqlDialect dialect = SqlDialect.forJdbcUrl(db.url());
      Flyway.configure().dataSource(db.url(), db.user(), "").locations("classpath:db/migration").placeholders(dialect.migrationPlaceholders())
          .target("16").load().migrate();
      int rows = 2_345; // more than one of the migration's batches
      try (Connection c = db.open(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO integrations (unique_key, provider, forward_webhooks, scopes, created_at, updated_at) "
            + "VALUES ('microsoft', 'microsoft-oauth2-cc', FALSE, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        s.execute("INSERT INTO connections (integration_id, connection_id, tenant_id, connection_config, credentials_sealed, tags, status, "
            + "refresh_exhausted, created_at, updated_at) SELECT id, 'c1', 'contoso', '{}', 'x', '{}', 'ok', FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP "
            + "FROM integrations");
        for (int i = 0; i < rows; i++) {
          s.addBatch("INSERT INTO records (connection_id, model, external_id, data, content_hash, last_action, first_seen_at, last_modified_at, "
              + "seen_round, changed_round, cursor_position) SELECT id, '" + (i % 2 == 0 ? "User" : "Group") + "', 'entity-" + i
              + "', '{}', 'h', 'ADDED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 1, " + i + " FROM connections");
        }
        s.executeBatch();
      }

      Flyway.configure().dataSource(db.url(), db.user(), "").locations("classpath:db/migration").placeholders(dialect.migrationPlaceholders())
          .load().migrate();

      try (Connection c = db.open(); Statement s = c.createStatement()) {
        Map<String, Long> stored = new HashMap<>();
        long connection = 0;
        try (ResultSet rs = s.executeQuery("SELECT connection_id, model, external_id, key_hash FROM records")) {
          while (rs.next()) {
            connection = rs.getLong(1);
            assertThat(rs.getLong(4)).as(rs.getString(3)).isEqualTo(RecordKeyHash.of(rs.getLong(1), rs.getString(2), rs.getString(3)));
            stored.put(rs.getString(3), rs.getLong(4));
          }
        }
        assertThat(stored).hasSize(rows);
        assertThat(stored.get("entity-0")).isEqualTo(RecordKeyHash.of(connection, "User", "entity-0"));
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.table_constraints WHERE LOWER(constraint_name) = 'records_key'")) {
          rs.next();
          assertThat(rs.getLong(1)).as("the unique key").isEqualTo(db.isPostgres() ? 1 : 0);
        }
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.columns WHERE LOWER(table_name) = 'records' "
            + "AND LOWER(column_name) = 'key_hash' AND is_nullable = 'NO'")) {
          rs.next();
          assertThat(rs.getLong(1)).as("key_hash NOT NULL").isEqualTo(1);
        }
      }
    }
  }
}

package dev.graphgate.server.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A database of its own for one test class: a named H2 in-memory database, or a freshly created PostgreSQL database
 * {@code gg_<random>} on 127.0.0.1:5432 (trust auth, user postgres), dropped on {@link #close()}. PostgreSQL being
 * unreachable fails the test with a message saying so; it is never skipped.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String PG_USER = "postgres";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String url;
  private final String user;
  private final String pgName;

  private TestDatabase(String url, String user, String pgName) {
    this.url = url;
    this.user = user;
    this.pgName = pgName;
  }

  public static TestDatabase h2() {
    return new TestDatabase("jdbc:h2:mem:gg_" + randomName() + ";DB_CLOSE_DELAY=-1", "", null);
  }

  public static TestDatabase postgres() {
    String name = "gg_" + randomName();
    try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL is required for this test and is not reachable at " + PG_ADMIN_URL + " as user "
          + PG_USER + " (trust auth): " + e.getMessage() + ". Start PostgreSQL (for example `service postgresql start`).", e);
    }
    return new TestDatabase("jdbc:postgresql://127.0.0.1:5432/" + name, PG_USER, name);
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public boolean isPostgres() {
    return pgName != null;
  }

  public Connection open() throws SQLException {
    return DriverManager.getConnection(url, user, "");
  }

  /**
   * PostgreSQL only: this test database stops accepting connections and its open sessions are ended, as when the
   * database goes away under a running server. Touches no other database.
   */
  public void refuseConnections() {
    requirePostgres();
    admin("ALTER DATABASE " + pgName + " ALLOW_CONNECTIONS false",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + pgName + "' AND pid <> pg_backend_pid()");
  }

  /** PostgreSQL only: undoes {@link #refuseConnections()}. */
  public void acceptConnections() {
    requirePostgres();
    admin("ALTER DATABASE " + pgName + " ALLOW_CONNECTIONS true");
  }

  private void requirePostgres() {
    if (pgName == null) {
      throw new IllegalStateException("only a PostgreSQL test database can refuse connections");
    }
  }

  private static void admin(String... statements) {
    try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL admin statement failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (pgName == null) {
      try (Connection c = open(); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      } catch (SQLException ignored) {
        // already gone
      }
      return;
    }
    try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test database " + pgName + ": " + e.getMessage(), e);
    }
  }

  private static String randomName() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}

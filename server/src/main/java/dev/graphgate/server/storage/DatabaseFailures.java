package dev.graphgate.server.storage;

import dev.graphgate.server.GraphgateException.DatabaseUnavailable;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one place that tells a database outage from other failures: when the pool cannot hand out a connection, and
 * when a connection breaks under a statement. Both become {@link DatabaseUnavailable} (503 with {@code Retry-After});
 * anything else stays what it is.
 */
public final class DatabaseFailures {
  /** How long a caller is told to wait when the database cannot be reached. */
  public static final Duration RETRY_AFTER_UNREACHABLE = Duration.ofSeconds(5);
  /** How long a caller is told to wait when every pooled connection stayed busy. */
  public static final Duration RETRY_AFTER_BUSY = Duration.ofSeconds(1);

  private static final String UNREACHABLE_MESSAGE =
      "Graphgate cannot reach its database right now; nothing was done. Try again in a few seconds (the server's log names the cause).";

  private DatabaseFailures() {}

  /**
   * HikariCP's answer when no connection came within its timeout: a {@link SQLTransientConnectionException}, whose
   * cause is the pool's last failure to open a connection when the database could not be reached, and which has no
   * cause when every connection was simply in use.
   */
  static boolean poolTimedOut(SQLException e) {
    return e instanceof SQLTransientConnectionException;
  }

  static boolean poolCouldNotConnect(SQLException e) {
    return poolTimedOut(e) && e.getCause() != null;
  }

  static DatabaseUnavailable unreachable() {
    return new DatabaseUnavailable(UNREACHABLE_MESSAGE, RETRY_AFTER_UNREACHABLE);
  }

  static DatabaseUnavailable busy(Duration waited) {
    return new DatabaseUnavailable("Every database connection stayed busy for " + waited.toMillis()
        + " ms (GRAPHGATE_DATABASE_CONNECTION_TIMEOUT); nothing was done. Try again shortly, or give the pool more connections "
        + "(GRAPHGATE_DATABASE_POOL_SIZE).", RETRY_AFTER_BUSY);
  }

  /**
   * A failure whose cause chain holds a broken connection (SQLState class {@code 08}, connection exception; or
   * PostgreSQL's {@code 57P01}-{@code 57P03}: the server is shutting down or not accepting connections), as a
   * {@link DatabaseUnavailable}. The statement may or may not have taken effect before the connection broke.
   */
  public static Optional<DatabaseUnavailable> connectionLost(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return Optional.of(new DatabaseUnavailable("Graphgate lost its database connection while handling this request, which may or "
              + "may not have taken effect. Try again in a few seconds (the server's log names the cause).", RETRY_AFTER_UNREACHABLE));
        }
      }
    }
    return Optional.empty();
  }
}

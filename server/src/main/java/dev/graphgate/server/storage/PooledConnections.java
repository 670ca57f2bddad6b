package dev.graphgate.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every statement gets its connection. A caller waits for a pooled connection at most the pool's timeout; when
 * the pool could not connect in that time, the database is taken as unreachable, the caller gets {@code 503
 * database_unavailable}, and so does every later caller <em>at once</em>, without waiting, while one of them at a
 * time tries the pool again; the first connection it gets ends the outage. A caller never waits the pool's timeout
 * behind a database that is known to be down.
 */
final class PooledConnections implements ConnectionFactory {
  private static final Logger log = LoggerFactory.getLogger(PooledConnections.class);

  private final DataSource pool;
  private final Duration timeout;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean unreachable;

  PooledConnections(DataSource pool, Duration timeout) {
    this.pool = pool;
    this.timeout = timeout;
  }

  @Override
  public Connection openConnection() throws SQLException {
    boolean probe = false;
    if (unreachable) {
      if (!probing.compareAndSet(false, true)) {
        throw DatabaseFailures.unreachable();
      }
      probe = true;
    }
    try {
      Connection c = pool.getConnection();
      if (unreachable) {
        unreachable = false;
        log.info("the database answers again");
      }
      return c;
    } catch (SQLException e) {
      if (DatabaseFailures.poolCouldNotConnect(e)) {
        if (!unreachable) {
          unreachable = true;
          log.warn("cannot reach the database: {}; requests that need it are answered 503 until it answers again", describe(e.getCause()));
        }
        throw DatabaseFailures.unreachable();
      }
      if (DatabaseFailures.poolTimedOut(e)) {
        throw DatabaseFailures.busy(timeout);
      }
      throw e;
    } finally {
      if (probe) {
        probing.set(false);
      }
    }
  }

  /** Whether the last attempt found the database unreachable. */
  boolean unreachable() {
    return unreachable;
  }

  /** The driver's own words (host, port, database name; never a password), for the operator's log. */
  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }
}

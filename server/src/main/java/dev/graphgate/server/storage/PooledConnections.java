package dev.graphgate.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every statement gets its connection. A caller waits for a pooled connection at most the pool's timeout. When
 * the pool could not connect in that time, the database is taken as unreachable: that caller and every later one get
 * {@code 503 database_unavailable} <em>at once</em>, without touching the pool, except one caller per
 * {@link #PROBE_EVERY}, which tries the pool again (and waits for it); the first connection it gets ends the outage.
 * So while the database is down, callers do not queue behind the pool's timeout.
 */
final class PooledConnections implements ConnectionFactory {
  private static final Logger log = LoggerFactory.getLogger(PooledConnections.class);
  static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  private final DataSource pool;
  private final Duration timeout;
  private final InstantSource clock;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean unreachable;
  private volatile Instant nextProbe = Instant.MIN;

  PooledConnections(DataSource pool, Duration timeout, InstantSource clock) {
    this.pool = pool;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public Connection openConnection() throws SQLException {
    boolean probe = false;
    if (unreachable) {
      if (clock.instant().isBefore(nextProbe) || !probing.compareAndSet(false, true)) {
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
        nextProbe = clock.instant().plus(PROBE_EVERY);
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

  /** The driver's own words (host, port, database name; never a password), for the operator's log. */
  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }
}

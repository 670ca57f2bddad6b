package dev.graphgate.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.graphgate.server.GraphgateException.DatabaseUnavailable;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * While the database is down, callers are answered at once: only one caller per probe period reaches the pool (and
 * waits its timeout); the others never touch it. Counted with HikariCP's own timeout metric on a real PostgreSQL
 * database that refuses connections.
 */
class PooledConnectionsTest {

  @Test
  void databaseDownThenOneCallerPerProbePeriodWaitsOnThePoolAndTheRestAreAnsweredAtOnce() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SettableClock clock = SettableClock.atSystemTime();
    try (TestDatabase db = TestDatabase.postgres(); HikariDataSource pool = pool(db, meters)) {
      PooledConnections connections = new PooledConnections(pool, Duration.ofMillis(250), clock);
      try (Connection c = connections.openConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }

      db.refuseConnections();
      // The pooled connection's session was ended; drop it, as HikariCP does when it next validates it.
      pool.getHikariPoolMXBean().softEvictConnections();
      try {
        assertThatThrownBy(connections::openConnection).isInstanceOf(DatabaseUnavailable.class);
        assertThat(poolTimeouts(meters)).as("the first caller waited on the pool").isEqualTo(1);
        for (int i = 0; i < 10; i++) {
          assertThatThrownBy(connections::openConnection).isInstanceOf(DatabaseUnavailable.class)
              .hasMessageContaining("cannot reach its database");
        }
        assertThat(poolTimeouts(meters)).as("callers within the probe period never reach the pool").isEqualTo(1);

        clock.advance(PooledConnections.PROBE_EVERY);
        assertThatThrownBy(connections::openConnection).isInstanceOf(DatabaseUnavailable.class);
        assertThat(poolTimeouts(meters)).as("one probe per period").isEqualTo(2);
      } finally {
        db.acceptConnections();
      }

      clock.advance(PooledConnections.PROBE_EVERY);
      try (Connection c = connections.openConnection()) {
        assertThat(c.isValid(1)).as("the probe's connection ends the outage").isTrue();
      }
      try (Connection c = connections.openConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }
    }
  }

  @Test
  void everyConnectionBusyThenDatabaseUnavailableNamingThePoolAndTheNextCallerStillWaits() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (TestDatabase db = TestDatabase.h2(); HikariDataSource pool = pool(db, meters)) {
      PooledConnections connections = new PooledConnections(pool, Duration.ofMillis(250), SettableClock.atSystemTime());
      try (Connection held = connections.openConnection()) {
        assertThatThrownBy(connections::openConnection).isInstanceOf(DatabaseUnavailable.class)
            .hasMessageContaining("GRAPHGATE_DATABASE_POOL_SIZE");
        assertThatThrownBy(connections::openConnection).isInstanceOf(DatabaseUnavailable.class);
        assertThat(poolTimeouts(meters)).as("a busy pool is not an outage: each caller waits its turn").isEqualTo(2);
      }
      try (Connection c = connections.openConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }
    }
  }

  private static HikariDataSource pool(TestDatabase db, SimpleMeterRegistry meters) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    if (!db.user().isEmpty()) {
      config.setUsername(db.user());
    }
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(250);
    config.setValidationTimeout(250);
    config.setMetricRegistry(meters);
    return new HikariDataSource(config);
  }

  private static double poolTimeouts(SimpleMeterRegistry meters) {
    return meters.get("hikaricp.connections.timeout").counter().count();
  }
}

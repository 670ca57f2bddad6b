package dev.graphgate.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementExceptions;

/** The connection pool, the migrated schema and Jdbi, opened together and closed together. */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final SqlDialect dialect;
  private final LongAdder statements = new LongAdder();

  private Database(HikariDataSource dataSource, SqlDialect dialect, Duration connectionTimeout) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    // The outage probe follows the wall clock, not a test's settable one: it paces real connection attempts.
    this.jdbi = Jdbi.create(new PooledConnections(dataSource, connectionTimeout, Clock.systemUTC()));
    // Bound values may be ciphertext or tokens: statement exceptions must never carry them into logs.
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    jdbi.registerArgument(new InstantArgumentFactory());
    jdbi.setSqlLogger(new SqlLogger() {
      @Override
      public void logBeforeExecution(StatementContext context) {
        if (!Thread.currentThread().getName().startsWith(BACKGROUND_THREAD_PREFIX)) {
          statements.increment();
        }
      }
    });
  }

  /** H2's error code for a database file another process holds. */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  /** Threads named so do background work (change feed, write-behind); their statements are not request statements. */
  public static final String BACKGROUND_THREAD_PREFIX = "graphgate-";

  /**
   * Statements executed for requests since start (background threads not counted): how tests and metrics see that
   * the hot path stays off the database.
   */
  public long statementCount() {
    return statements.sum();
  }

  /**
   * Opens the pool and brings the schema up to date (Flyway takes a lock, so several instances may start at once). An
   * embedded database file that another process holds stops the start at once, naming the directory.
   */
  public static Database open(GraphgateConfig config) {
    if (config.embeddedDatabase()) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
      }
    }
    // Held while the pool starts: the pool would retry a locked file for its whole start timeout.
    try (Connection first = openEmbeddedFirst(config)) {
      return openPool(config);
    } catch (SQLException e) {
      throw new IllegalStateException("could not close the first embedded database connection", e);
    }
  }

  /**
   * The first connection to an embedded database file, opened straight from the driver: H2 answers at once when
   * another process holds the file (it takes the operating system's lock on it). Null for any other database.
   */
  private static Connection openEmbeddedFirst(GraphgateConfig config) {
    if (config.embeddedDatabaseDirectory().isEmpty()) {
      return null;
    }
    try {
      return DriverManager.getConnection(config.databaseUrl(), config.databaseUser(), config.databasePassword());
    } catch (SQLException e) {
      if (e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        throw new InvalidConfigException("The data directory " + config.embeddedDatabaseDirectory().get()
            + " is in use by another Graphgate process: its embedded database can be opened by one process only. Stop the other "
            + "process, or give this one another GRAPHGATE_DATA_DIR; to run several instances, use PostgreSQL (GRAPHGATE_DATABASE_URL, "
            + "see docs/running.md).");
      }
      throw new IllegalStateException("cannot open the embedded database in " + config.embeddedDatabaseDirectory().get() + ": " + e.getMessage(), e);
    }
  }

  private static Database openPool(GraphgateConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.databaseUrl());
    if (!config.databaseUser().isEmpty()) {
      hikari.setUsername(config.databaseUser());
    }
    if (!config.databasePassword().isEmpty()) {
      hikari.setPassword(config.databasePassword());
    }
    hikari.setMaximumPoolSize(config.databasePoolSize());
    hikari.setMinimumIdle(Math.min(2, config.databasePoolSize()));
    hikari.setPoolName("graphgate");
    hikari.setInitializationFailTimeout(10_000);
    // A request waits at most this long for a connection (HikariCP's default is 30 s); see PooledConnections.
    long timeout = config.databaseConnectionTimeout().toMillis();
    hikari.setConnectionTimeout(timeout);
    hikari.setValidationTimeout(Math.max(250, Math.min(5000, timeout / 2)));
    HikariDataSource ds = new HikariDataSource(hikari);
    try {
      SqlDialect dialect = SqlDialect.forJdbcUrl(config.databaseUrl());
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").placeholders(dialect.migrationPlaceholders()).load().migrate();
      return new Database(ds, dialect, config.databaseConnectionTimeout());
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /**
   * One round trip to the database ({@code SELECT 1}), the statement given {@code timeout}: for readiness probes.
   * Throws, with a message for the operator, when the database does not answer.
   */
  public void ping(Duration timeout) {
    try {
      jdbi.withHandle(h -> h.createQuery("SELECT 1").setQueryTimeout((int) Math.max(1, timeout.toSeconds())).mapTo(Integer.class).one());
    } catch (GraphgateException.DatabaseUnavailable e) {
      throw new IllegalStateException("cannot reach the database");
    } catch (RuntimeException e) {
      throw new IllegalStateException(DatabaseFailures.connectionLost(e).isPresent() ? "the database connection broke"
          : "the database answered with an error (" + e.getClass().getSimpleName() + ")");
    }
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public SqlDialect dialect() {
    return dialect;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** Instants go to the database as UTC timestamps with time zone, the same on H2 and PostgreSQL. */
  private static final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {
    InstantArgumentFactory() {
      super(Types.TIMESTAMP_WITH_TIMEZONE);
    }

    @Override
    protected Argument build(Instant value, ConfigRegistry config) {
      return (int position, PreparedStatement statement, StatementContext ctx) -> {
        statement.setObject(position, Rows.timestamp(value));
      };
    }
  }
}

package dev.graphgate.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.graphgate.server.config.GraphgateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

  private Database(HikariDataSource dataSource, SqlDialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.jdbi = Jdbi.create(dataSource);
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

  /** Threads named so do background work (change feed, write-behind); their statements are not request statements. */
  public static final String BACKGROUND_THREAD_PREFIX = "graphgate-";

  /**
   * Statements executed for requests since start (background threads not counted): how tests and metrics see that
   * the hot path stays off the database.
   */
  public long statementCount() {
    return statements.sum();
  }

  /** Opens the pool and brings the schema up to date (Flyway takes a lock, so several instances may start at once). */
  public static Database open(GraphgateConfig config) {
    if (config.embeddedDatabase()) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
      }
    }
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
    HikariDataSource ds = new HikariDataSource(hikari);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
      return new Database(ds, SqlDialect.forJdbcUrl(config.databaseUrl()));
    } catch (RuntimeException e) {
      ds.close();
      throw e;
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
        statement.setObject(position, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
      };
    }
  }
}

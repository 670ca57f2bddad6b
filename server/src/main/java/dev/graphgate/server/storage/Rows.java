package dev.graphgate.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Small readers and writers for columns that both databases handle slightly differently, and plain-JDBC batches. */
public final class Rows {
  private Rows() {}

  /** An instant as both databases take it: a UTC timestamp with time zone. */
  public static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Sets a {@code TIMESTAMP WITH TIME ZONE} parameter, or its SQL null. */
  public static void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, timestamp(instant));
    }
  }

  /** Sets one row's parameters on the batch's statement. */
  @FunctionalInterface
  public interface RowBinder<T> {
    void bind(PreparedStatement statement, T row) throws SQLException;
  }

  /**
   * Runs {@code sql} (positional parameters) once per row as one JDBC batch on {@code h}, inside its transaction. For
   * the batches written per proxied call or per notification: Jdbi's named arguments, resolved for every row, cost more
   * than the rows' insert. Fails as Jdbi's statements do ({@link UnableToExecuteStatementException}, so
   * {@link #orOnUniqueViolation} sees a unique violation).
   */
  public static <T> void batch(Handle h, String sql, List<T> rows, RowBinder<T> binder) {
    try (PreparedStatement s = h.getConnection().prepareStatement(sql)) {
      for (T row : rows) {
        binder.bind(s, row);
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /**
   * Runs {@code statement}; when it fails on a unique constraint (a row another request inserted between our look-up
   * and our insert) answers {@code onViolation} instead, which may retry or throw the caller's own error. Any other
   * failure is rethrown.
   */
  public static <T> T orOnUniqueViolation(Supplier<T> statement, Supplier<T> onViolation) {
    try {
      return statement.get();
    } catch (UnableToExecuteStatementException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      return onViolation.get();
    }
  }

  /** Whether a statement failed on a unique constraint: SQLSTATE 23505 on H2 and PostgreSQL alike. */
  static boolean isUniqueViolation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  public static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}

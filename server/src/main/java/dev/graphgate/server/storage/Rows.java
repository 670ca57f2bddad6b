package dev.graphgate.server.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Small readers for result-set columns that both databases return slightly differently. */
public final class Rows {
  private Rows() {}

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

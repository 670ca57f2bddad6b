package dev.graphgate.server.observe;

import dev.graphgate.server.storage.Rows;
import dev.graphgate.server.storage.SqlDialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** The {@code proxy_log} table: batch inserts, filtered pages, and deletion past the retention period. */
public final class ProxyLogRepository {
  private final Jdbi jdbi;
  private final SqlDialect dialect;

  public ProxyLogRepository(Jdbi jdbi, SqlDialect dialect) {
    this.jdbi = jdbi;
    this.dialect = dialect;
  }

  private static final String INSERT = """
      INSERT INTO proxy_log (created_at, integration_key, connection_id, method, path, base_url, status, attempts, waited_ms,
                             duration_ms, request_bytes, response_bytes, upstream_request_id, error_code, permission_hint)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  /** Inserts the entries in one transaction. */
  public void insert(List<ProxyLogEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    jdbi.useTransaction(h -> Rows.batch(h, INSERT, entries, (s, e) -> {
      s.setObject(1, Rows.timestamp(e.createdAt()));
      s.setString(2, clip(e.integrationKey(), 255));
      s.setString(3, clip(e.connectionId(), 255));
      s.setString(4, e.method().length() > 16 ? e.method().substring(0, 16) : e.method());
      s.setString(5, e.path());
      s.setString(6, clip(e.baseUrl(), 512));
      s.setInt(7, e.status());
      s.setInt(8, e.attempts());
      s.setLong(9, e.waitedMillis());
      s.setLong(10, e.durationMillis());
      s.setLong(11, e.requestBytes());
      s.setLong(12, e.responseBytes());
      s.setString(13, clip(e.upstreamRequestId(), 100));
      s.setString(14, clip(e.errorCode(), 100));
      s.setString(15, clip(e.permissionHint(), 1000));
    }));
  }

  /** The first window of ids {@link #find} reads below the cursor, and how much each next one grows. */
  static final long FIRST_WINDOW = 5_000;
  static final long WINDOW_GROWTH = 8;
  /** A time range with fewer rows than this is read through the {@code created_at} index, not in windows of ids. */
  static final int NARROW_TIME_RANGE = 10_000;

  /**
   * A page, newest first. Without filters, the primary key read backwards. With filters, in windows of ids below the
   * cursor (5,000 ids, then 8 times more each time, until the page is full or the log's first id is passed): a filter
   * that matches many rows (a status class, a common path) would otherwise have the database collect every match from
   * its index and sort them all for the first 50; bounded by a window, it reads the window's rows in id order, and a
   * rare filter still finds its rows through its own index, in a few windows. A time range holding fewer than
   * {@value #NARROW_TIME_RANGE} rows (an hour three days back) is read whole through the {@code created_at} index
   * instead: the windows would read every row newer than it first.
   */
  public List<ProxyLogEntry> find(ProxyLogQuery q) {
    boolean filtered = q.integrationKey().isPresent() || q.connectionId().isPresent() || q.method().isPresent() || q.statusFrom().isPresent()
        || q.statusTo().isPresent() || q.since().isPresent() || q.until().isPresent() || q.pathPrefix().isPresent();
    if (!filtered) {
      return jdbi.withHandle(h -> page(h, "proxy_log", q, Optional.empty(), q.limit(), true));
    }
    return jdbi.withHandle(h -> {
      if ((q.since().isPresent() || q.until().isPresent()) && narrowTimeRange(h, q)) {
        return page(h, dialect.tableReadFirstBy("proxy_log", "proxy_log_created", timeRange(q)), q, Optional.empty(), q.limit(), true);
      }
      Long first = h.createQuery("SELECT MIN(id) FROM proxy_log").mapTo(Long.class).one();
      Long last = h.createQuery("SELECT MAX(id) FROM proxy_log").mapTo(Long.class).one();
      List<ProxyLogEntry> out = new java.util.ArrayList<>();
      if (first == null) {
        return out;
      }
      // Any match at all? Without an order the database stops at the first one its best index finds: a filter that
      // matches nothing (a mistyped path) is answered here instead of by reading every window.
      if (page(h, "proxy_log", q, Optional.empty(), 1, false).isEmpty()) {
        return out;
      }
      long high = Math.min(last, q.before().map(b -> b - 1).orElse(last));
      long window = FIRST_WINDOW;
      while (out.size() < q.limit() && high >= first) {
        long low = Math.max(first, high - window + 1);
        out.addAll(page(h, "proxy_log", q, Optional.of(new long[] {low, high}), q.limit() - out.size(), true));
        high = low - 1;
        window = window > Long.MAX_VALUE / WINDOW_GROWTH ? Long.MAX_VALUE : window * WINDOW_GROWTH;
      }
      return out;
    });
  }

  /** Whether fewer than {@value #NARROW_TIME_RANGE} rows lie in {@code q}'s time range (counted through its index, up to that many). */
  private boolean narrowTimeRange(Handle h, ProxyLogQuery q) {
    String sql = "SELECT COUNT(*) FROM (SELECT 1 FROM proxy_log WHERE " + timeRange(q) + " LIMIT " + NARROW_TIME_RANGE + ") in_range";
    Query count = h.createQuery(sql);
    q.since().ifPresent(v -> count.bind("since", v));
    q.until().ifPresent(v -> count.bind("until", v));
    return count.mapTo(Long.class).one() < NARROW_TIME_RANGE;
  }

  /** {@code q}'s time range as SQL conditions (binding {@code :since} and {@code :until}). */
  private static String timeRange(ProxyLogQuery q) {
    StringBuilder sql = new StringBuilder("1 = 1");
    q.since().ifPresent(v -> sql.append(" AND created_at >= :since"));
    q.until().ifPresent(v -> sql.append(" AND created_at < :until"));
    return sql.toString();
  }

  /**
   * Up to {@code limit} entries of {@code q} from {@code table} (the table, or the table with an index hint), newest
   * first when {@code ordered}, with ids in {@code window} (inclusive) when given.
   */
  private static List<ProxyLogEntry> page(Handle h, String table, ProxyLogQuery q, Optional<long[]> window, int limit, boolean ordered) {
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(table).append(" WHERE 1 = 1");
    q.integrationKey().ifPresent(v -> sql.append(" AND integration_key = :integrationKey"));
    q.connectionId().ifPresent(v -> sql.append(" AND connection_id = :connectionId"));
    q.method().ifPresent(v -> sql.append(" AND method = :method"));
    sql.append(" AND ").append(timeRange(q));
    q.statusFrom().ifPresent(v -> sql.append(" AND status >= :statusFrom"));
    q.statusTo().ifPresent(v -> sql.append(" AND status <= :statusTo"));
    q.before().ifPresent(v -> sql.append(" AND id < :before"));
    window.ifPresent(v -> sql.append(" AND id >= :low AND id <= :high"));
    q.pathPrefix().ifPresent(v -> sql.append(" AND ").append(SqlDialect.startsWith("path", "path")));
    sql.append(ordered ? " ORDER BY id DESC LIMIT :limit" : " LIMIT :limit");
    Query query = h.createQuery(sql.toString()).bind("limit", limit);
    q.integrationKey().ifPresent(v -> query.bind("integrationKey", v));
    q.connectionId().ifPresent(v -> query.bind("connectionId", v));
    q.method().ifPresent(v -> query.bind("method", v));
    q.statusFrom().ifPresent(v -> query.bind("statusFrom", v));
    q.statusTo().ifPresent(v -> query.bind("statusTo", v));
    q.since().ifPresent(v -> query.bind("since", v));
    q.until().ifPresent(v -> query.bind("until", v));
    q.before().ifPresent(v -> query.bind("before", v));
    window.ifPresent(v -> query.bind("low", v[0]).bind("high", v[1]));
    q.pathPrefix().ifPresent(v -> query.bind("path", SqlDialect.prefixPattern(v)));
    return query.map((rs, ctx) -> row(rs)).list();
  }

  /** Deletes entries created before {@code cutoff}; returns how many. */
  public int deleteBefore(Instant cutoff) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM proxy_log WHERE created_at < :cutoff").bind("cutoff", cutoff).execute());
  }

  private static ProxyLogEntry row(ResultSet rs) throws SQLException {
    return new ProxyLogEntry(rs.getLong("id"), Rows.instant(rs, "created_at"), text(rs, "integration_key"), text(rs, "connection_id"),
        rs.getString("method"), rs.getString("path"), text(rs, "base_url"), rs.getInt("status"), rs.getInt("attempts"),
        rs.getLong("waited_ms"), rs.getLong("duration_ms"), rs.getLong("request_bytes"), rs.getLong("response_bytes"),
        text(rs, "upstream_request_id"), text(rs, "error_code"),
        text(rs, "permission_hint"));
  }

  private static Optional<String> text(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  private static String clip(Optional<String> v, int max) {
    return v.map(s -> s.length() > max ? s.substring(0, max) : s).orElse(null);
  }
}

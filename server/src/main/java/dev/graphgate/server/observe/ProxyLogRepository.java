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
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** The {@code proxy_log} table: batch inserts, filtered pages, and deletion past the retention period. */
public final class ProxyLogRepository {
  private final Jdbi jdbi;

  public ProxyLogRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void insert(List<ProxyLogEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    jdbi.useTransaction(h -> {
      PreparedBatch batch = h.prepareBatch("""
          INSERT INTO proxy_log (created_at, integration_key, connection_id, method, path, base_url, status, attempts,
                                 waited_ms, duration_ms, request_bytes, response_bytes, upstream_request_id, error_code,
                                 permission_hint)
          VALUES (:createdAt, :integrationKey, :connectionId, :method, :path, :baseUrl, :status, :attempts,
                  :waitedMs, :durationMs, :requestBytes, :responseBytes, :upstreamRequestId, :errorCode, :permissionHint)""");
      for (ProxyLogEntry e : entries) {
        batch.bind("createdAt", e.createdAt())
            .bind("integrationKey", clip(e.integrationKey(), 255))
            .bind("connectionId", clip(e.connectionId(), 255))
            .bind("method", e.method().length() > 16 ? e.method().substring(0, 16) : e.method())
            .bind("path", e.path())
            .bind("baseUrl", clip(e.baseUrl(), 512))
            .bind("status", e.status())
            .bind("attempts", e.attempts())
            .bind("waitedMs", e.waitedMillis())
            .bind("durationMs", e.durationMillis())
            .bind("requestBytes", e.requestBytes())
            .bind("responseBytes", e.responseBytes())
            .bind("upstreamRequestId", clip(e.upstreamRequestId(), 100))
            .bind("errorCode", clip(e.errorCode(), 100))
            .bind("permissionHint", clip(e.permissionHint(), 1000))
            .add();
      }
      batch.execute();
    });
  }

  /** The first window of ids {@link #find} reads below the cursor, and how much each next one grows. */
  static final long FIRST_WINDOW = 5_000;
  static final long WINDOW_GROWTH = 8;

  /**
   * A page, newest first. Without filters, the primary key read backwards. With filters, in windows of ids below the
   * cursor (5,000 ids, then 8 times more each time, until the page is full or the log's first id is passed): a filter
   * that matches many rows (a status class, a common path) would otherwise have the database collect every match from
   * its index and sort them all for the first 50; bounded by a window, it reads the window's rows in id order, and a
   * rare filter still finds its rows through its own index, in a few windows.
   */
  public List<ProxyLogEntry> find(ProxyLogQuery q) {
    boolean filtered = q.integrationKey().isPresent() || q.connectionId().isPresent() || q.method().isPresent() || q.statusFrom().isPresent()
        || q.statusTo().isPresent() || q.since().isPresent() || q.until().isPresent() || q.pathPrefix().isPresent();
    if (!filtered) {
      return jdbi.withHandle(h -> page(h, q, Optional.empty(), q.limit(), true));
    }
    return jdbi.withHandle(h -> {
      Long first = h.createQuery("SELECT MIN(id) FROM proxy_log").mapTo(Long.class).one();
      Long last = h.createQuery("SELECT MAX(id) FROM proxy_log").mapTo(Long.class).one();
      List<ProxyLogEntry> out = new java.util.ArrayList<>();
      if (first == null) {
        return out;
      }
      // Any match at all? Without an order the database stops at the first one its best index finds: a filter that
      // matches nothing (a mistyped path) is answered here instead of by reading every window.
      if (page(h, q, Optional.empty(), 1, false).isEmpty()) {
        return out;
      }
      long high = Math.min(last, q.before().map(b -> b - 1).orElse(last));
      long window = FIRST_WINDOW;
      while (out.size() < q.limit() && high >= first) {
        long low = Math.max(first, high - window + 1);
        out.addAll(page(h, q, Optional.of(new long[] {low, high}), q.limit() - out.size(), true));
        high = low - 1;
        window = window > Long.MAX_VALUE / WINDOW_GROWTH ? Long.MAX_VALUE : window * WINDOW_GROWTH;
      }
      return out;
    });
  }

  /** Up to {@code limit} entries of {@code q} (newest first when {@code ordered}), with ids in {@code window} (inclusive) when given. */
  private static List<ProxyLogEntry> page(Handle h, ProxyLogQuery q, Optional<long[]> window, int limit, boolean ordered) {
    StringBuilder sql = new StringBuilder("SELECT * FROM proxy_log WHERE 1 = 1");
    q.integrationKey().ifPresent(v -> sql.append(" AND integration_key = :integrationKey"));
    q.connectionId().ifPresent(v -> sql.append(" AND connection_id = :connectionId"));
    q.method().ifPresent(v -> sql.append(" AND method = :method"));
    q.statusFrom().ifPresent(v -> sql.append(" AND status >= :statusFrom"));
    q.statusTo().ifPresent(v -> sql.append(" AND status <= :statusTo"));
    q.since().ifPresent(v -> sql.append(" AND created_at >= :since"));
    q.until().ifPresent(v -> sql.append(" AND created_at < :until"));
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

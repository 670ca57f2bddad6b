package dev.graphgate.server.observe;

import dev.graphgate.server.storage.Rows;
import dev.graphgate.server.storage.SqlDialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

  public List<ProxyLogEntry> find(ProxyLogQuery q) {
    StringBuilder sql = new StringBuilder("SELECT * FROM proxy_log WHERE 1 = 1");
    q.integrationKey().ifPresent(v -> sql.append(" AND integration_key = :integrationKey"));
    q.connectionId().ifPresent(v -> sql.append(" AND connection_id = :connectionId"));
    q.method().ifPresent(v -> sql.append(" AND method = :method"));
    q.statusFrom().ifPresent(v -> sql.append(" AND status >= :statusFrom"));
    q.statusTo().ifPresent(v -> sql.append(" AND status <= :statusTo"));
    q.since().ifPresent(v -> sql.append(" AND created_at >= :since"));
    q.until().ifPresent(v -> sql.append(" AND created_at < :until"));
    q.before().ifPresent(v -> sql.append(" AND id < :before"));
    q.pathPrefix().ifPresent(v -> sql.append(" AND ").append(SqlDialect.startsWith("path", "path")));
    sql.append(" ORDER BY id DESC LIMIT :limit");
    return jdbi.withHandle(h -> {
      Query query = h.createQuery(sql.toString()).bind("limit", q.limit());
      q.integrationKey().ifPresent(v -> query.bind("integrationKey", v));
      q.connectionId().ifPresent(v -> query.bind("connectionId", v));
      q.method().ifPresent(v -> query.bind("method", v));
      q.statusFrom().ifPresent(v -> query.bind("statusFrom", v));
      q.statusTo().ifPresent(v -> query.bind("statusTo", v));
      q.since().ifPresent(v -> query.bind("since", v));
      q.until().ifPresent(v -> query.bind("until", v));
      q.before().ifPresent(v -> query.bind("before", v));
      q.pathPrefix().ifPresent(v -> query.bind("path", SqlDialect.prefixPattern(v)));
      return query.map((rs, ctx) -> row(rs)).list();
    });
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

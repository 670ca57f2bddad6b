package dev.graphgate.server.observe;

import java.util.List;

/**
 * Reading the request log, for the API's {@code GET /logs} and the dashboard: the one way above this package to the
 * {@code proxy_log} table, so callers depend on a service and the repository stays this package's own.
 */
public final class RequestLogReader {
  private final ProxyLogRepository repository;

  public RequestLogReader(ProxyLogRepository repository) {
    this.repository = repository;
  }

  /** A page of entries, newest first, as {@code q} filters them; {@code q.before()} continues a previous page. */
  public List<ProxyLogEntry> page(ProxyLogQuery q) {
    return repository.find(q);
  }
}

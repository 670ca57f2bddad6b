package dev.graphgate.server.observe;

import java.time.Instant;
import java.util.Optional;

/**
 * A page of the request log, newest first. Every filter is optional; {@code statusFrom}/{@code statusTo} bound the
 * status ({@code 429} is 429..429, {@code 5xx} is 500..599); {@code before} is the cursor: only entries with a smaller id;
 * {@code pathPrefix} keeps the entries whose path starts with that text (case-sensitive, as paths are; a prefix, not any
 * part, so the database finds them through an index).
 */
public record ProxyLogQuery(
    Optional<String> integrationKey,
    Optional<String> connectionId,
    Optional<String> method,
    Optional<Integer> statusFrom,
    Optional<Integer> statusTo,
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<Long> before,
    int limit,
    Optional<String> pathPrefix) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /** The query without a path filter, as {@code GET /logs} asks it. */
  public ProxyLogQuery(Optional<String> integrationKey, Optional<String> connectionId, Optional<String> method, Optional<Integer> statusFrom,
      Optional<Integer> statusTo, Optional<Instant> since, Optional<Instant> until, Optional<Long> before, int limit) {
    this(integrationKey, connectionId, method, statusFrom, statusTo, since, until, before, limit, Optional.empty());
  }

  public ProxyLogQuery {
    java.util.Objects.requireNonNull(pathPrefix);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}

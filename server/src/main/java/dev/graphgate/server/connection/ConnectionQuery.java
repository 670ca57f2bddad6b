package dev.graphgate.server.connection;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The filters of {@code GET /connections}; all optional, combined with AND. */
public record ConnectionQuery(
    Optional<String> connectionId,
    Optional<String> search,
    Optional<String> endUserId,
    Optional<String> endUserOrganizationId,
    List<String> integrationKeys,
    Map<String, String> tags,
    int limit,
    int page) {

  public static final int DEFAULT_LIMIT = 10_000;

  public ConnectionQuery {
    integrationKeys = List.copyOf(integrationKeys);
    tags = Map.copyOf(tags);
  }
}

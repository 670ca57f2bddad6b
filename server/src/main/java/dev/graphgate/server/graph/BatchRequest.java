package dev.graphgate.server.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One request of a JSON batch ({@code POST /v1.0/$batch}): {@code url} relative to the version root
 * ({@code /users/{id}/drive?$select=id}), a JSON {@code body} for a write, and the ids of earlier requests of the same
 * {@link GraphClient#batch} call it must wait for ({@code dependsOn}).
 */
public record BatchRequest(String id, String method, String url, Optional<JsonNode> body, List<String> dependsOn) {
  public BatchRequest {
    Objects.requireNonNull(id);
    method = method.toUpperCase(Locale.ROOT);
    Objects.requireNonNull(url);
    Objects.requireNonNull(body);
    dependsOn = List.copyOf(dependsOn);
  }

  public static BatchRequest get(String id, String url) {
    return new BatchRequest(id, "GET", url, Optional.empty(), List.of());
  }

  /** Whether Graph changes nothing for it, so it may be sent again whatever happened to it. */
  public boolean readOnly() {
    return method.equals("GET") || method.equals("HEAD");
  }
}

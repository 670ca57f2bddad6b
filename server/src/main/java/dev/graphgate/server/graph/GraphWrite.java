package dev.graphgate.server.graph;

import java.util.Objects;
import java.util.Set;

/**
 * One write to Graph: a method, a path on the cloud's Graph host (such as {@code /v1.0/users/{id}/sendMail}, its
 * segments already percent-encoded), and the body with its content type. A write is never sent again once Graph may
 * have received it (see {@link GraphClient#write}).
 */
public record GraphWrite(String method, String path, String contentType, byte[] body) {
  private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  public GraphWrite {
    Objects.requireNonNull(contentType);
    Objects.requireNonNull(body);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("a write is a POST, PUT, PATCH or DELETE, not " + method);
    }
    if (!path.startsWith("/v1.0/") || path.contains("?") || path.contains("#")) {
      throw new IllegalArgumentException("a write's path is a Graph v1.0 path without query: " + path);
    }
  }

  public static GraphWrite json(String method, String path, byte[] json) {
    return new GraphWrite(method, path, "application/json", json);
  }
}

package dev.graphgate.server.observe;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One proxied call, as the request log keeps it. {@code path} has its query values redacted; nothing here is a
 * header, a body, a token or a secret.
 *
 * @param id assigned when stored; 0 before
 * @param integrationKey and {@code connectionId}: as the caller named them (empty when the headers were missing)
 * @param baseUrl the origin of a {@code Base-Url-Override}, empty for Graph
 * @param status what the caller got: upstream's status, or Graphgate's own when it answered itself
 * @param attempts requests sent upstream (0 when refused before sending)
 * @param waitedMillis time spent waiting (Retry-After, backoff, throttle gates)
 * @param errorCode Graphgate's error code when it answered itself ({@code base_url_override_not_allowed},
 *     {@code ECONNREFUSED}...)
 * @param permissionHint on a Graph 403, the sentence of {@code X-Graphgate-Permission-Hint}: the permissions that would
 *     allow the call and whether the token carries any
 */
public record ProxyLogEntry(
    long id,
    Instant createdAt,
    Optional<String> integrationKey,
    Optional<String> connectionId,
    String method,
    String path,
    Optional<String> baseUrl,
    int status,
    int attempts,
    long waitedMillis,
    long durationMillis,
    long requestBytes,
    long responseBytes,
    Optional<String> upstreamRequestId,
    Optional<String> errorCode,
    Optional<String> permissionHint) {

  public ProxyLogEntry {
    Objects.requireNonNull(createdAt);
    Objects.requireNonNull(method);
    Objects.requireNonNull(path);
    Objects.requireNonNull(permissionHint);
  }

  /** An entry without a permission hint (every answer but a Graph 403). */
  public ProxyLogEntry(long id, Instant createdAt, Optional<String> integrationKey, Optional<String> connectionId, String method, String path,
      Optional<String> baseUrl, int status, int attempts, long waitedMillis, long durationMillis, long requestBytes, long responseBytes,
      Optional<String> upstreamRequestId, Optional<String> errorCode) {
    this(id, createdAt, integrationKey, connectionId, method, path, baseUrl, status, attempts, waitedMillis, durationMillis, requestBytes,
        responseBytes, upstreamRequestId, errorCode, Optional.empty());
  }

  /**
   * The path with every query value replaced by {@code ***} (keys kept: {@code $filter}, {@code $top}...), since
   * values may carry personal data or, in a pre-authenticated link, a credential.
   */
  public static String redact(String rawPath, Optional<String> rawQuery) {
    String path = rawPath.length() > 1500 ? rawPath.substring(0, 1500) + "..." : rawPath;
    if (rawQuery.isEmpty() || rawQuery.get().isEmpty()) {
      return path;
    }
    StringBuilder b = new StringBuilder(path).append('?');
    String[] pairs = rawQuery.get().split("&");
    for (int i = 0; i < pairs.length && b.length() < 2000; i++) {
      String pair = pairs[i];
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      b.append(i == 0 ? "" : "&").append(key.length() > 100 ? key.substring(0, 100) : key);
      if (eq >= 0) {
        b.append("=***");
      }
    }
    return b.length() > 2048 ? b.substring(0, 2048) : b.toString();
  }
}

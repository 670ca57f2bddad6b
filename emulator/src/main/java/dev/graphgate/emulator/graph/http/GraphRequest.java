package dev.graphgate.emulator.graph.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One request to the Graph host, outside of any HTTP server's types, so the same dispatch serves a socket and the items
 * of a {@code $batch}.
 *
 * @param version {@code v1.0} or {@code beta}
 * @param path the path after the version, raw (still percent-encoded), without a leading slash
 * @param query the query parameters, decoded, in order; names as sent
 * @param headers request headers, case-insensitive names
 * @param body the request body, empty when none
 * @param origin scheme, host and port the client reached, so links point back at the emulator as the client saw it
 */
public record GraphRequest(
    String method,
    String version,
    String path,
    List<Map.Entry<String, String>> query,
    Map<String, String> headers,
    byte[] body,
    String origin) {

  public GraphRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(path, "path");
    query = List.copyOf(query);
    TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(caseInsensitive);
    body = body == null ? new byte[0] : body;
  }

  public String header(String name) {
    return headers.get(name);
  }

  /** The first value of a query parameter, names compared ignoring case (OData system options are case-insensitive). */
  public String param(String name) {
    for (Map.Entry<String, String> entry : query) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** The version root links are built on, e.g. {@code http://127.0.0.1:3902/v1.0}. */
  public String root() {
    return origin + "/" + version;
  }

  public GraphRequest withQuery(List<Map.Entry<String, String>> newQuery) {
    return new GraphRequest(method, version, path, newQuery, headers, body, origin);
  }

  /** Names the request without its headers or body: the Authorization header carries a bearer token. */
  @Override
  public String toString() {
    return "GraphRequest[" + method + " " + origin + "/" + version + "/" + path + ", " + body.length + " body bytes]";
  }
}

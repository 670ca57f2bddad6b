package dev.graphgate.emulator.graph;

import dev.graphgate.emulator.graph.auth.Caller;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.route.Route;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the serialized answers to reads while the tenant has not changed. Every write to a tenant's Graph data
 * advances its change log, and the log's head is part of the key, so an answer is never served after a change could
 * have altered it; regenerating a tenant changes its epoch, also in the key. Reads whose answer depends on something
 * else (the directory's apps and service principals, the organization, the clock in delta links) are never cached.
 *
 * <p>Why: generating and serializing a page of 100 users costs far more than sending it, and benchmarks (and
 * clients polling the same page) read the same pages over and over.
 */
final class ResponseCache {

  private static final long MAX_BYTES = 32L * 1024 * 1024;
  private static final int MAX_ENTRY_BYTES = 512 * 1024;
  /**
   * What an entry costs besides its body (the key's strings and query, the map node): counted so that many small
   * answers (a client varying an ignored parameter) stay within the bound too.
   */
  private static final int ENTRY_OVERHEAD_BYTES = 1024;
  private static final Set<String> UNCACHED_FAMILIES = Set.of("applications", "servicePrincipals", "organization", "$batch", "subscriptions");

  private record Key(
      String tenant, long epoch, long head, boolean admin, Set<String> roles, String origin, String version, String path,
      List<Map.Entry<String, String>> query, String consistencyLevel, String prefer) {}

  private final Map<Key, GraphResponse> entries = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  /** The key of a cacheable read (a GET outside the uncached families and delta functions), or empty. */
  Optional<Object> key(GraphRequest request, Route route, Caller caller, TenantData data) {
    if (!request.method().equals("GET") || UNCACHED_FAMILIES.contains(route.family()) || route.pattern().contains("delta")) {
      return Optional.empty();
    }
    return Optional.of(new Key(data.tenant().id(), data.epoch(), data.changes().head(), caller.admin(), caller.roles(),
        request.origin(), request.version(), request.path(), request.query(), request.header("ConsistencyLevel"),
        request.header("Prefer")));
  }

  Optional<GraphResponse> get(Object key) {
    return Optional.ofNullable(entries.get((Key) key));
  }

  /** Stores a successful JSON answer, serialized; returns what to send (the serialized form). */
  GraphResponse put(Object key, GraphResponse response) {
    if (response.status() != 200 || !(response.body() instanceof GraphResponse.Body.Json json)) {
      return response;
    }
    byte[] body = GraphJson.write(json.value());
    GraphResponse serialized = new GraphResponse(200, response.headers(), new GraphResponse.Body.Bytes(body, GraphJson.CONTENT_TYPE));
    if (body.length <= MAX_ENTRY_BYTES) {
      long cost = body.length + ENTRY_OVERHEAD_BYTES;
      if (bytes.addAndGet(cost) > MAX_BYTES) {
        // Crude but bounded: start over rather than track recency on the hot path.
        entries.clear();
        bytes.set(cost);
      }
      entries.put((Key) key, serialized);
    }
    return serialized;
  }
}

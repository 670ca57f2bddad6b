package dev.graphgate.emulator.graph.batch;

import dev.graphgate.emulator.graph.GraphDispatcher;
import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.http.GraphErrors;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.http.RequestId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * JSON batching ({@code POST /$batch}, shared/reference/microsoft.md section 12): up to 20 requests, each run through
 * the same dispatch as a request of its own (so each is throttled and authorized on its own, and a throttled item gets
 * its own 429 and {@code Retry-After}). Items without {@code dependsOn} run in parallel; an item whose dependency failed
 * answers 424 without running. The batch itself answers 200 whenever it could be read.
 */
public final class BatchResources {

  public static final int MAX_REQUESTS = 20;
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private final GraphDispatcher dispatcher;

  public BatchResources(GraphDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  public void register(Router router) {
    router.add(Route.of("POST", "$batch", Permission.NONE, this::batch));
  }

  /** One request of the batch: its url split into the path after the version and the raw (still encoded) query. */
  private record Item(String id, String method, String path, String query, Map<String, String> headers, byte[] body, List<String> dependsOn) {

    /** The item as a request of its own, without its query; the batch's client-request-id unless it has one. */
    GraphRequest request(GraphRequest batch) {
      Map<String, String> all = new LinkedHashMap<>(headers);
      String clientRequestId = batch.header("client-request-id");
      if (clientRequestId != null) {
        all.putIfAbsent("client-request-id", clientRequestId);
      }
      return new GraphRequest(method, batch.version(), path, List.of(), all, body, batch.origin());
    }
  }

  private GraphResponse batch(GraphCall call) {
    List<Item> items = parse(call.request().body());
    Map<String, CompletableFuture<Map<String, Object>>> results = new HashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Item item : items) {
        List<CompletableFuture<Map<String, Object>>> prerequisites = item.dependsOn().stream().map(results::get).toList();
        CompletableFuture<Map<String, Object>> result = CompletableFuture.allOf(prerequisites.toArray(CompletableFuture[]::new))
            .thenApplyAsync(ignored -> {
              for (int i = 0; i < prerequisites.size(); i++) {
                int status = ((Number) prerequisites.get(i).join().get("status")).intValue();
                if (status >= 400) {
                  return failedDependency(call, item, item.dependsOn().get(i));
                }
              }
              return run(call, item);
            }, executor);
        results.put(item.id(), result);
      }
      List<Map<String, Object>> responses = new ArrayList<>();
      for (Item item : items) {
        responses.add(results.get(item.id()).join());
      }
      return GraphResponse.json(200, Map.of("responses", responses));
    }
  }

  private Map<String, Object> run(GraphCall call, Item item) {
    GraphRequest request = item.request(call.request());
    String requestId = RequestId.next();
    String clientRequestId = GraphDispatcher.clientRequestId(request, requestId);
    GraphResponse response = dispatcher.serve(request, item.query(), call.caller(), requestId, clientRequestId);
    dispatcher.recordItem(request, response.status());
    return toItemResponse(item.id(), response);
  }

  private static Map<String, Object> toItemResponse(String id, GraphResponse response) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("status", response.status());
    Map<String, String> headers = new LinkedHashMap<>(response.headers());
    switch (response.body()) {
      case GraphResponse.Body.Json json -> {
        headers.put("Content-Type", GraphJson.CONTENT_TYPE);
        headers.put("OData-Version", "4.0");
        out.put("headers", headers);
        out.put("body", json.value());
      }
      case GraphResponse.Body.Bytes bytes -> {
        headers.put("Content-Type", bytes.contentType());
        out.put("headers", headers);
        if (bytes.contentType().equals(GraphJson.CONTENT_TYPE)) {
          headers.put("OData-Version", "4.0");
          try {
            out.put("body", GraphJson.MAPPER.readValue(bytes.data(), Object.class));
          } catch (IOException e) {
            throw new IllegalStateException("the emulator's own JSON", e);
          }
        } else {
          out.put("body", bytes.contentType().startsWith("text/")
              ? new String(bytes.data(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(bytes.data()));
        }
      }
      case GraphResponse.Body.Stream stream -> {
        headers.put("Content-Type", stream.contentType());
        out.put("headers", headers);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
          stream.writer().writeTo(buffer);
        } catch (IOException e) {
          throw new IllegalStateException("writing to memory", e);
        }
        out.put("body", Base64.getEncoder().encodeToString(buffer.toByteArray()));
      }
      case GraphResponse.Body.Empty empty -> {
        out.put("headers", headers);
        out.put("body", null);
      }
      case GraphResponse.Body.Drop drop -> throw new IllegalStateException("faults are not injected into batch items");
    }
    return out;
  }

  private Map<String, Object> failedDependency(GraphCall call, Item item, String dependency) {
    String requestId = RequestId.next();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", item.id());
    out.put("status", 424);
    out.put("headers", Map.of("Content-Type", "application/json"));
    out.put("body", GraphErrors.body(424, "FailedDependency",
        "The request was not run because the request it depends on ('" + dependency + "') failed.", requestId,
        requestId, call.data().clock().instant()));
    dispatcher.recordItem(item.request(call.request()), 424);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Item> parse(byte[] body) {
    Map<String, Object> batch;
    try {
      batch = GraphJson.readObject(body);
    } catch (GraphException e) {
      throw invalid("the body must be a JSON object with a 'requests' array");
    }
    if (!(batch.get("requests") instanceof List<?> requests)) {
      throw invalid("the body must have a 'requests' array");
    }
    if (requests.isEmpty()) {
      throw invalid("the 'requests' array is empty");
    }
    if (requests.size() > MAX_REQUESTS) {
      throw invalid("a batch holds at most " + MAX_REQUESTS + " requests; this one has " + requests.size());
    }
    List<Item> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Object raw : requests) {
      if (!(raw instanceof Map<?, ?> map)) {
        throw invalid("each request must be a JSON object");
      }
      Map<String, Object> request = (Map<String, Object>) map;
      Object id = request.get("id");
      if (id == null || id.toString().isBlank()) {
        throw invalid("each request needs an 'id'");
      }
      String itemId = id.toString();
      if (!ids.add(itemId)) {
        throw invalid("the request id '" + itemId + "' is used twice; ids must be unique");
      }
      String method = request.get("method") instanceof String m ? m.toUpperCase(Locale.ROOT) : null;
      if (method == null || !METHODS.contains(method)) {
        throw invalid("request '" + itemId + "' needs a 'method' among " + METHODS);
      }
      if (!(request.get("url") instanceof String url) || url.isBlank()) {
        throw invalid("request '" + itemId + "' needs a 'url'");
      }
      if (url.replaceFirst("^/", "").regionMatches(true, 0, "$batch", 0, 6)) {
        throw invalid("request '" + itemId + "' is itself a batch; batches do not nest");
      }
      if (url.regionMatches(true, 0, "http", 0, 4)) {
        throw invalid("request '" + itemId + "' has an absolute url; batch urls are relative to the version root, e.g. /users");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      if (request.get("headers") instanceof Map<?, ?> h) {
        h.forEach((name, value) -> headers.put(name.toString(), String.valueOf(value)));
      } else if (request.get("headers") != null) {
        throw invalid("the 'headers' of request '" + itemId + "' must be an object");
      }
      byte[] itemBody = null;
      Object bodyValue = request.get("body");
      if (bodyValue != null) {
        String contentType = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
            .map(Map.Entry::getValue).findFirst().orElse(null);
        if (contentType == null) {
          throw invalid("request '" + itemId + "' has a body but no Content-Type header");
        }
        if (bodyValue instanceof String text && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
          itemBody = decodeText(text);
        } else {
          itemBody = GraphJson.write(bodyValue);
        }
      }
      List<String> dependsOn = new ArrayList<>();
      if (request.get("dependsOn") instanceof List<?> deps) {
        for (Object dep : deps) {
          if (!ids.contains(String.valueOf(dep)) || String.valueOf(dep).equals(itemId)) {
            throw invalid("request '" + itemId + "' depends on '" + dep + "', which is not an earlier request of this batch");
          }
          dependsOn.add(String.valueOf(dep));
        }
      } else if (request.get("dependsOn") != null) {
        throw invalid("the 'dependsOn' of request '" + itemId + "' must be an array of ids");
      }
      String relative = url.startsWith("/") ? url.substring(1) : url;
      int question = relative.indexOf('?');
      items.add(new Item(itemId, method, question < 0 ? relative : relative.substring(0, question),
          question < 0 ? "" : relative.substring(question + 1), headers, itemBody, dependsOn));
    }
    return items;
  }

  /** Non-JSON bodies are base64 per the docs; the Java SDK sends raw text, which is taken as is. */
  private static byte[] decodeText(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }

  private static GraphException invalid(String why) {
    return new GraphException(400, "BadRequest", "Invalid batch payload: " + why + ".");
  }
}

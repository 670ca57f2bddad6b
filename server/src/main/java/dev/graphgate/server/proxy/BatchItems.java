package dev.graphgate.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.upstream.RetryAfter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Graph throttles the items of a {@code $batch} one by one: the batch answers 200, and a throttled item carries its
 * own 429 and Retry-After (an item that depended on it, 424). Microsoft's SDKs do not retry such items; the proxy does,
 * since a 429 means the item was not processed. {@link #throttled} works out which items to send again (the throttled
 * ones and those that failed only because of them, with dependencies among them kept) and {@link #merge} puts their
 * new answers in place of the old.
 */
final class BatchItems {
  private BatchItems() {}

  /**
   * The items to send again.
   *
   * @param body the smaller batch to send
   * @param retryAfter the longest Retry-After among the throttled items, when they gave one
   * @param mailboxOnly every throttled item hit an Outlook mailbox limit (no reason to hold the whole tenant)
   * @param readOnly every item sent again is a GET or HEAD, so the smaller batch may be repeated after a failure that
   *     may have reached Graph
   */
  record Plan(byte[] body, int items, Optional<Duration> retryAfter, boolean mailboxOnly, String firstError, boolean readOnly) {}

  static Optional<Plan> throttled(byte[] requestBody, byte[] responseBody, Instant now) {
    JsonNode request;
    JsonNode response;
    try {
      request = Json.MAPPER.readTree(requestBody);
      response = Json.MAPPER.readTree(responseBody);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (request == null || response == null || !request.path("requests").isArray() || !response.path("responses").isArray()) {
      return Optional.empty();
    }
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    response.path("responses").forEach(r -> answers.put(r.path("id").asText(), r));
    Set<String> again = new LinkedHashSet<>();
    Optional<Duration> longest = Optional.empty();
    boolean mailboxOnly = true;
    String firstError = "";
    for (JsonNode r : answers.values()) {
      if (r.path("status").asInt() == 429) {
        again.add(r.path("id").asText());
        Optional<Duration> wait = header(r, "retry-after").flatMap(v -> RetryAfter.parse(v, now));
        if (wait.isPresent() && (longest.isEmpty() || wait.get().compareTo(longest.get()) > 0)) {
          longest = wait;
        }
        String error = r.path("body").toString();
        mailboxOnly &= error.contains("ApplicationThrottled") || error.contains("Mailbox");
        if (firstError.isEmpty()) {
          firstError = error.length() > 4096 ? error.substring(0, 4096) : error;
        }
      }
    }
    if (again.isEmpty()) {
      return Optional.empty();
    }
    boolean grew = true;
    while (grew) {
      grew = false;
      for (JsonNode item : request.path("requests")) {
        String id = item.path("id").asText();
        JsonNode answer = answers.get(id);
        if (!again.contains(id) && answer != null && answer.path("status").asInt() == 424 && dependsOnAny(item, again)) {
          again.add(id);
          grew = true;
        }
      }
    }
    ObjectNode smaller = Json.object();
    ArrayNode items = smaller.putArray("requests");
    boolean readOnly = true;
    for (JsonNode item : request.path("requests")) {
      if (!again.contains(item.path("id").asText()) || !item.isObject()) {
        continue;
      }
      String method = item.path("method").asText("").toUpperCase(java.util.Locale.ROOT);
      readOnly &= method.equals("GET") || method.equals("HEAD");
      ObjectNode copy = ((ObjectNode) item).deepCopy();
      if (copy.has("dependsOn")) {
        ArrayNode kept = Json.MAPPER.createArrayNode();
        copy.path("dependsOn").forEach(d -> {
          if (again.contains(d.asText())) {
            kept.add(d);
          }
        });
        if (kept.isEmpty()) {
          copy.remove("dependsOn");
        } else {
          copy.set("dependsOn", kept);
        }
      }
      items.add(copy);
    }
    try {
      return Optional.of(new Plan(Json.MAPPER.writeValueAsBytes(smaller), again.size(), longest, mailboxOnly, firstError, readOnly));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code earlier} with each item answered in {@code later} replaced by that answer, in the original order. */
  static byte[] merge(byte[] earlier, byte[] later) {
    try {
      JsonNode first = Json.MAPPER.readTree(earlier);
      JsonNode second = Json.MAPPER.readTree(later);
      Map<String, JsonNode> newer = new LinkedHashMap<>();
      second.path("responses").forEach(r -> newer.put(r.path("id").asText(), r));
      ArrayNode responses = (ArrayNode) first.path("responses");
      for (int i = 0; i < responses.size(); i++) {
        JsonNode replacement = newer.get(responses.get(i).path("id").asText());
        if (replacement != null) {
          responses.set(i, replacement);
        }
      }
      return Json.MAPPER.writeValueAsBytes(first);
    } catch (IOException | ClassCastException e) {
      return earlier;
    }
  }

  private static boolean dependsOnAny(JsonNode item, Set<String> ids) {
    for (JsonNode d : item.path("dependsOn")) {
      if (ids.contains(d.asText())) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> header(JsonNode answer, String name) {
    for (Map.Entry<String, JsonNode> h : answer.path("headers").properties()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return Optional.of(h.getValue().asText());
      }
    }
    return Optional.empty();
  }
}

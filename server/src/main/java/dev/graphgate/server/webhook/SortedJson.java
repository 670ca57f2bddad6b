package dev.graphgate.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bytes of a webhook body (nango-api.md §7.2): object keys sorted at every depth, by UTF-16 code units as
 * JavaScript's default sort orders them, no whitespace. Absent properties are simply not in the tree (Nango omits
 * {@code undefined}); JSON nulls are kept.
 */
public final class SortedJson {
  private SortedJson() {}

  public static String write(JsonNode node) {
    return Json.write(sorted(node));
  }

  static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
      entries.sort(Map.Entry.comparingByKey());
      ObjectNode out = Json.object();
      entries.forEach(e -> out.set(e.getKey(), sorted(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return node;
  }
}

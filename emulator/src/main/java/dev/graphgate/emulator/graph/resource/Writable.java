package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.http.GraphException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The properties a client may write on one entity type, with their JSON types. A request body is checked against it
 * before anything changes, so a bad request changes nothing.
 */
final class Writable {

  enum Kind { STRING, BOOLEAN, NUMBER, STRING_LIST, OBJECT, LIST, ANY }

  private final String typeName;
  private final Map<String, Kind> properties;
  private final Function<String, GraphException> error;

  Writable(String typeName, Map<String, Kind> properties, Function<String, GraphException> error) {
    this.typeName = typeName;
    this.properties = properties;
    this.error = error;
  }

  /** The body's members under their canonical names; unknown, read-only or mistyped members are refused. */
  Map<String, Object> check(Map<String, Object> body) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : body.entrySet()) {
      String name = entry.getKey();
      if (name.startsWith("@odata.")) {
        continue;
      }
      String canonical = properties.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst()
          .orElseThrow(() -> error.apply("Property '" + name + "' does not exist or cannot be written on type 'microsoft.graph." + typeName + "'."));
      Object value = entry.getValue();
      if (value != null && !fits(properties.get(canonical), value)) {
        throw error.apply("Invalid value for property '" + canonical + "' of type 'microsoft.graph." + typeName + "': expected "
            + properties.get(canonical).name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ".");
      }
      out.put(canonical, value);
    }
    return out;
  }

  static void require(Map<String, Object> values, String typeName, Function<String, GraphException> error, String... names) {
    for (String name : names) {
      Object value = values.get(name);
      if (value == null || (value instanceof String s && s.isBlank())) {
        throw error.apply("A value is required for property '" + name + "' of resource '" + typeName + "'.");
      }
    }
  }

  private static boolean fits(Kind kind, Object value) {
    return switch (kind) {
      case STRING -> value instanceof String;
      case BOOLEAN -> value instanceof Boolean;
      case NUMBER -> value instanceof Number;
      case STRING_LIST -> value instanceof List<?> list && list.stream().allMatch(v -> v instanceof String);
      case OBJECT -> value instanceof Map<?, ?>;
      case LIST -> value instanceof List<?>;
      case ANY -> true;
    };
  }
}

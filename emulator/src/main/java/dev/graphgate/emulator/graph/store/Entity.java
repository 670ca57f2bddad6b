package dev.graphgate.emulator.graph.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Graph object as the emulator holds it: its numeric key (generation index, or a created key), its Graph id, and its
 * properties as JSON values (strings, numbers, booleans, lists, maps, null) under Graph's property names.
 */
public record Entity(long key, String id, Map<String, Object> props) {

  public Entity {
    Objects.requireNonNull(id, "id");
    props = Collections.unmodifiableMap(new LinkedHashMap<>(props));
  }

  public Object get(String property) {
    return props.get(property);
  }

  public String string(String property) {
    Object value = props.get(property);
    return value == null ? null : value.toString();
  }

  /** A copy with {@code changes} merged over the properties (a PATCH). */
  public Entity with(Map<String, Object> changes) {
    Map<String, Object> merged = new LinkedHashMap<>(props);
    merged.putAll(changes);
    return new Entity(key, id, merged);
  }

  public Entity with(String property, Object value) {
    Map<String, Object> merged = new LinkedHashMap<>(props);
    merged.put(property, value);
    return new Entity(key, id, merged);
  }
}

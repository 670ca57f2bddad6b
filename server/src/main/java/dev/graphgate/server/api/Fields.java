package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.connection.EndUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads one JSON object strictly, as Nango's schemas do: unknown keys and wrong types are collected as field errors and
 * reported together by {@link #done()} in Nango's validation shape.
 */
final class Fields {
  private final ObjectNode node;
  private final List<Object> base;
  private final List<FieldError> errors;

  private Fields(ObjectNode node, List<Object> base, List<FieldError> errors) {
    this.node = node;
    this.base = base;
    this.errors = errors;
  }

  static Fields body(ObjectNode node, Set<String> allowed) {
    Fields f = new Fields(node, List.of(), new ArrayList<>());
    f.only(allowed);
    return f;
  }

  /** The fields of a nested object, reporting into the same error list. */
  Optional<Fields> nested(String key, Set<String> allowed) {
    return object(key).map(o -> {
      Fields f = new Fields(o, path(key), errors);
      f.only(allowed);
      return f;
    });
  }

  private void only(Set<String> allowed) {
    node.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        errors.add(new FieldError(FieldError.Kind.UNRECOGNIZED_KEYS, "Unrecognized key: \"" + RequestJson.shown(k) + "\"", base));
      }
    });
  }

  boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  /** True when the key is present with the value {@code null}: the caller asks to remove what is stored. */
  boolean isExplicitNull(String key) {
    return node.has(key) && node.get(key).isNull();
  }

  Optional<String> string(String key, int min, int max) {
    return present(key, JsonNode::isTextual, "string").flatMap(v -> withLength(key, v.asText(), min, max));
  }

  private Optional<String> withLength(String key, String s, int min, int max) {
    if (s.length() < min) {
      errors.add(new FieldError(FieldError.Kind.TOO_SMALL, "Too small: expected string to have >=" + min + " characters", path(key)));
      return Optional.empty();
    }
    if (s.length() > max) {
      errors.add(new FieldError(FieldError.Kind.TOO_BIG, "Too big: expected string to have <=" + max + " characters", path(key)));
      return Optional.empty();
    }
    return Optional.of(s);
  }

  String requiredString(String key, int min, int max) {
    if (!has(key)) {
      errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received undefined", path(key)));
      return null;
    }
    return string(key, min, max).orElse(null);
  }

  Optional<Boolean> bool(String key) {
    return present(key, JsonNode::isBoolean, "boolean").map(JsonNode::asBoolean);
  }

  Optional<ObjectNode> object(String key) {
    return present(key, JsonNode::isObject, "object").map(ObjectNode.class::cast);
  }

  /** The value of {@code key} when it is there and of the expected type; absent or null is empty; another type is an error. */
  private Optional<JsonNode> present(String key, Predicate<JsonNode> isExpected, String expected) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!isExpected.test(v)) {
      typeError(key, expected, v);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  /**
   * A string inside a free-form object such as {@code connection_config}, whose other keys are not checked: absent or
   * null is empty, any other type is a field error (never silently replaced by a default).
   */
  Optional<String> stringIn(String objectKey, String key) {
    JsonNode o = node.get(objectKey);
    JsonNode v = o == null || !o.isObject() ? null : o.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received " + jsType(v), path(objectKey, key)));
      return Optional.empty();
    }
    return Optional.of(v.asText());
  }

  Optional<JsonNode> any(String key) {
    JsonNode v = node.get(key);
    return v == null ? Optional.empty() : Optional.of(v);
  }

  /** A map of strings; keys lower-cased as Nango stores tags. */
  Optional<Map<String, String>> tags(String key) {
    Optional<ObjectNode> o = object(key);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.get().properties()) {
      if (!e.getValue().isTextual() || e.getValue().asText().isEmpty() || e.getValue().asText().length() > 255) {
        errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Tag values must be strings of 1 to 255 characters", path(key, RequestJson.shown(e.getKey()))));
      } else if (!EndUser.isLabel(e.getValue().asText())) {
        // Labels for people and filters; refusing control characters also keeps ten tags within their column.
        errors.add(new FieldError(FieldError.Kind.INVALID_STRING, "Tag values must not contain control characters", path(key, RequestJson.shown(e.getKey()))));
      } else if (!e.getKey().matches("[a-zA-Z][a-zA-Z0-9_\\-./]{0,63}")) {
        errors.add(new FieldError(FieldError.Kind.INVALID_STRING, "Tag keys start with a letter and use letters, digits and _-./ (at most 64)", path(key, RequestJson.shown(e.getKey()))));
      } else if (tags.putIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().asText()) != null) {
        // Keys are stored lower-cased: "Env" and "env" would silently become one tag, the last one winning.
        errors.add(new FieldError(FieldError.Kind.INVALID_STRING, "Duplicate tag key after case normalization: \""
            + e.getKey().toLowerCase(java.util.Locale.ROOT) + "\"", path(key, e.getKey())));
      }
    }
    if (tags.size() > 10) {
      errors.add(new FieldError(FieldError.Kind.TOO_BIG, "At most 10 tags", path(key)));
    }
    return Optional.of(tags);
  }

  /** A problem found by the caller's own rule, at {@code relativePath} inside this object. */
  void error(FieldError.Kind kind, String message, Object... relativePath) {
    errors.add(new FieldError(kind, message, path(relativePath)));
  }

  /** True once any problem was found in the body, here or in another part of it. */
  boolean hasErrors() {
    return !errors.isEmpty();
  }

  void invalid(String message, Object... relativePath) {
    List<Object> p = new ArrayList<>(base);
    p.addAll(List.of(relativePath));
    errors.add(new FieldError(FieldError.Kind.INVALID_STRING, message, p));
  }

  void done() {
    if (!errors.isEmpty()) {
      throw InvalidRequest.body(errors);
    }
  }

  private void typeError(String key, String expected, JsonNode got) {
    errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected " + expected + ", received " + jsType(got), path(key)));
  }

  private List<Object> path(Object... more) {
    List<Object> p = new ArrayList<>(base);
    p.addAll(List.of(more));
    return p;
  }

  private static String jsType(JsonNode n) {
    if (n.isTextual()) return "string";
    if (n.isNumber()) return "number";
    if (n.isBoolean()) return "boolean";
    if (n.isArray()) return "array";
    if (n.isNull()) return "null";
    return "object";
  }
}

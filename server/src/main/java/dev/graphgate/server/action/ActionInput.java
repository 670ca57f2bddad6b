package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An action's {@code input}, read strictly against the action's schema: unknown fields, wrong types, missing required
 * fields and values out of range are collected as field errors with their path from the body ({@code ["input",
 * "to", 0]}) and reported together by {@link #done()} as {@code invalid_body}, before anything is sent to Graph.
 * Messages never quote a value (an input may hold a password).
 */
public final class ActionInput {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s\"<>,;]+@[^@\\s\"<>,;]+\\.[^@\\s\"<>,;.]+");
  static final int MAX_EMAIL_LENGTH = 320;

  private final ObjectNode node;
  private final boolean given;
  private final List<FieldError> errors = new ArrayList<>();

  private ActionInput(ObjectNode node, boolean given) {
    this.node = node;
    this.given = given;
  }

  /** {@code input} as the body gave it (null when absent), with the fields the action's schema allows. */
  static ActionInput read(JsonNode input, Set<String> allowed) {
    if (input == null || !input.isObject()) {
      ActionInput empty = new ActionInput(dev.graphgate.server.Json.object(), false);
      empty.errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected object, received " + jsType(input), List.of("input")));
      return empty;
    }
    ActionInput in = new ActionInput((ObjectNode) input, true);
    input.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        in.errors.add(new FieldError(FieldError.Kind.UNRECOGNIZED_KEYS, "Unrecognized key: \"" + shown(k) + "\"", List.of("input")));
      }
    });
    return in;
  }

  String requiredString(String key, int min, int max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received " + jsType(v), key);
      return null;
    }
    return string(key, min, max).orElse(null);
  }

  Optional<String> string(String key, int min, int max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received " + jsType(v), key);
      return Optional.empty();
    }
    return withLength(v.asText(), min, max, key);
  }

  Optional<Boolean> bool(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected boolean, received " + jsType(v), key);
      return Optional.empty();
    }
    return Optional.of(v.asBoolean());
  }

  /** One of {@code allowed} (compared ignoring case, answered as listed), or empty when absent. */
  Optional<String> oneOf(String key, List<String> allowed) {
    return string(key, 1, 100).flatMap(s -> {
      for (String a : allowed) {
        if (a.equalsIgnoreCase(s)) {
          return Optional.of(a);
        }
      }
      error(FieldError.Kind.INVALID_ENUM_VALUE, "Invalid option: expected one of " + String.join(", ", allowed), key);
      return Optional.empty();
    });
  }

  /** A list of e-mail addresses of {@code min} to {@code max} items; empty when absent and {@code min} is 0. */
  List<String> emails(String key, int min, int max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (min > 0) {
        error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected array, received " + jsType(v), key);
      }
      return List.of();
    }
    if (!v.isArray()) {
      error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected array, received " + jsType(v), key);
      return List.of();
    }
    if (v.size() < min) {
      error(FieldError.Kind.TOO_SMALL, "Too small: expected array to have >=" + min + " items", key);
    }
    if (v.size() > max) {
      error(FieldError.Kind.TOO_BIG, "Too big: expected array to have <=" + max + " items", key);
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual()) {
        error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received " + jsType(item), key, i);
      } else if (item.asText().length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(item.asText()).matches()) {
        error(FieldError.Kind.INVALID_STRING, "Invalid email address: expected name@domain", key, i);
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }

  /**
   * The id or user principal name of a directory object, which goes into a Graph path: 1 to 1,024 characters, no
   * slash, backslash or control character, not {@code .} or {@code ..}.
   */
  String requiredId(String key) {
    String s = requiredString(key, 1, 1024);
    if (s == null) {
      return null;
    }
    if (s.equals(".") || s.equals("..") || s.chars().anyMatch(ch -> ch == '/' || ch == '\\' || Character.isISOControl(ch))) {
      error(FieldError.Kind.INVALID_STRING, "Invalid id: expected an object id or user principal name, without /, \\ or control characters", key);
      return null;
    }
    return s;
  }

  /** A value the caller's own rule refuses, at {@code path} inside the input. */
  void error(FieldError.Kind kind, String message, Object... path) {
    List<Object> p = new ArrayList<>();
    p.add("input");
    p.addAll(List.of(path));
    errors.add(new FieldError(kind, message, p));
  }

  /** Applies {@code check} to a value read without error; its message, if any, becomes an error at {@code key}. */
  <T> void check(T value, String key, Function<T, Optional<String>> check) {
    if (value != null) {
      check.apply(value).ifPresent(m -> error(FieldError.Kind.INVALID_STRING, m, key));
    }
  }

  /** False when {@code input} was no object at all: its fields are then not checked one by one. */
  boolean isObject() {
    return given;
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Throws {@code invalid_body} with every problem found, if any. */
  void done() {
    if (!errors.isEmpty()) {
      throw InvalidRequest.body(errors);
    }
  }

  private Optional<String> withLength(String s, int min, int max, String key) {
    if (s.length() < min) {
      error(FieldError.Kind.TOO_SMALL, "Too small: expected string to have >=" + min + " characters", key);
      return Optional.empty();
    }
    if (s.length() > max) {
      error(FieldError.Kind.TOO_BIG, "Too big: expected string to have <=" + max + " characters", key);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  private static String shown(String s) {
    String clean = s.codePoints().limit(40).collect(StringBuilder::new, (b, cp) -> b.append(Character.isISOControl(cp) ? "?" : new String(Character.toChars(cp))),
        StringBuilder::append).toString();
    return s.length() > 40 ? clean + "…" : clean;
  }

  private static String jsType(JsonNode n) {
    if (n == null) return "undefined";
    if (n.isTextual()) return "string";
    if (n.isNumber()) return "number";
    if (n.isBoolean()) return "boolean";
    if (n.isArray()) return "array";
    if (n.isNull()) return "null";
    return "object";
  }
}

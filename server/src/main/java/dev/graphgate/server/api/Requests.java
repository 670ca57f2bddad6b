package dev.graphgate.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidJson;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Request reading shared by the handlers: the JSON body, strict query parameters, Nango's "stringbool". */
final class Requests {
  private static final Set<String> TRUE = Set.of("true", "1", "yes", "on", "y", "enabled");
  private static final Set<String> FALSE = Set.of("false", "0", "no", "off", "n", "disabled");
  /** Exactly one JSON value: "{...} {...}" is malformed, not the first object with the rest ignored. */
  private static final ObjectReader ONE_VALUE = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Requests() {}

  static ObjectNode jsonObject(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      throw InvalidRequest.body("The request needs a JSON object body");
    }
    JsonNode node;
    try {
      node = ONE_VALUE.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidJson("Malformed JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (node == null || !node.isObject()) {
      throw InvalidRequest.body(List.of(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected object", List.of())));
    }
    return (ObjectNode) node;
  }

  /** Rejects query keys the route does not know, as Nango's strict schemas do. {@code prefixes} allow {@code tags[x]}. */
  static void onlyQuery(Context ctx, Set<String> allowed, Set<String> prefixes) {
    List<FieldError> errors = new ArrayList<>();
    for (String key : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(key) && prefixes.stream().noneMatch(key::startsWith)) {
        errors.add(new FieldError(FieldError.Kind.UNRECOGNIZED_KEYS, "Unrecognized key: \"" + key + "\"", List.of()));
      }
    }
    if (!errors.isEmpty()) {
      throw InvalidRequest.query(errors);
    }
  }

  static Optional<String> query(Context ctx, String key) {
    String v = ctx.queryParam(key);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  static String requiredQuery(Context ctx, String key) {
    return query(ctx, key).orElseThrow(() -> InvalidRequest.query(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received undefined", key));
  }

  static boolean stringBool(Context ctx, String key) {
    Optional<String> v = query(ctx, key);
    if (v.isEmpty()) {
      return false;
    }
    String s = v.get().toLowerCase(Locale.ROOT);
    if (TRUE.contains(s)) {
      return true;
    }
    if (FALSE.contains(s)) {
      return false;
    }
    throw InvalidRequest.query(FieldError.Kind.INVALID_VALUE, "Invalid input: expected true or false", key);
  }

  static int intQuery(Context ctx, String key, int min, int max, int dflt) {
    Optional<String> v = query(ctx, key);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error
    }
    throw InvalidRequest.query(FieldError.Kind.INVALID_TYPE, "Expected a whole number from " + min + " to " + max, key);
  }
}

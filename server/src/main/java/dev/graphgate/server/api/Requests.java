package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
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
  private Requests() {}

  /** The body as one JSON object, read by {@link RequestJson}'s rules. */
  static ObjectNode jsonObject(Context ctx) {
    JsonNode node = RequestJson.read(ctx.bodyAsBytes());
    if (node == null) {
      throw InvalidRequest.body("The request needs a JSON object body");
    }
    if (!node.isObject()) {
      throw InvalidRequest.body("The request body must be a JSON object",
          List.of(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected object", List.of())));
    }
    return (ObjectNode) node;
  }

  /**
   * {@code application/json}; a charset parameter, if any, must be UTF-8 (RFC 8259 §8.1). Types that merely start the
   * same way, such as {@code application/json-patch+json}, are other types.
   */
  static boolean isJsonContentType(String header) {
    String[] parts = header.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].split("=", 2);
      String name = param[0].trim();
      String value = param.length < 2 ? "" : param[1].trim().replace("\"", "");
      if (name.equalsIgnoreCase("charset") && !value.equalsIgnoreCase("utf-8") && !value.equalsIgnoreCase("utf8")) {
        return false;
      }
    }
    return true;
  }

  /**
   * For routes that take no body (the DELETEs): a body is refused rather than ignored, so a request meant for another
   * route, or a client that expects its body to matter, never deletes by accident. RFC 9110 §9.3.5 allows this.
   */
  static void noBody(Context ctx) {
    if (ctx.bodyAsBytes().length > 0) {
      throw InvalidRequest.body("This route takes no request body: send the request without one");
    }
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

package dev.graphgate.emulator.graph.http;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Query strings as Graph reads them: {@code $} names kept, {@code +} read as a space, order preserved. */
public final class QueryString {

  private QueryString() {}

  public static List<Map.Entry<String, String>> parse(String raw) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.add(new AbstractMap.SimpleImmutableEntry<>(decode(name), decode(value)));
    }
    return out;
  }

  public static String format(List<Map.Entry<String, String>> query) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> entry : query) {
      out.append(out.isEmpty() ? "?" : "&").append(encode(entry.getKey())).append('=').append(encode(entry.getValue()));
    }
    return out.toString();
  }

  public static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw GraphException.badRequest("The query string is not correctly percent-encoded: '" + value + "'.");
    }
  }

  /** Encodes for a link; {@code $}, {@code ,}, {@code (}, {@code )}, {@code '} and {@code :} stay readable, as in Graph's links. */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%24", "$")
        .replace("%2C", ",")
        .replace("%28", "(")
        .replace("%29", ")")
        .replace("%27", "'")
        .replace("%3A", ":");
  }
}

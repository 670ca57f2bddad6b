package dev.graphgate.server.action;

import java.nio.charset.StandardCharsets;

/** Values from an input placed into Graph paths, percent-encoded so that none can change the path's shape. */
final class GraphPaths {
  private GraphPaths() {}

  /** One path segment: everything but RFC 3986's unreserved characters and {@code @} is percent-encoded. */
  static String segment(String value) {
    StringBuilder b = new StringBuilder();
    for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }

  /** {@code /v1.0/users/{user}}. */
  static String user(String user) {
    return "/v1.0/users/" + segment(user);
  }
}

package dev.graphgate.emulator.graph.route;

import dev.graphgate.emulator.graph.auth.Permission;
import java.util.List;
import java.util.Locale;

/**
 * One Graph operation: method, path pattern, the permission it needs and the handler. Pattern tokens are literals
 * (matched ignoring case), {@code {name}} (one segment) and {@code {:name}} (a path-addressed segment, {@code :/a/b}).
 *
 * @param mailboxParam the path parameter naming the mailbox owner for Outlook's per-mailbox limits, or null
 */
public record Route(String method, List<String> pattern, Permission permission, String mailboxParam, Handler handler) {

  public Route {
    pattern = List.copyOf(pattern);
  }

  public static Route of(String method, String pattern, Permission permission, Handler handler) {
    return new Route(method, split(pattern), permission, null, handler);
  }

  public Route mailbox(String param) {
    return new Route(method, pattern, permission, param, handler);
  }

  /** The literal first segment, the family name {@code /_emulator/stats} counts under. */
  public String family() {
    return pattern.getFirst();
  }

  static List<String> split(String pattern) {
    return List.of(pattern.split("/"));
  }

  String firstKey() {
    return pattern.getFirst().toLowerCase(Locale.ROOT);
  }
}

package dev.graphgate.server.proxy;

import java.util.List;
import java.util.TreeSet;

/**
 * A fixed set of header names matched ignoring case, without lower-casing (and so allocating) every name looked up:
 * the proxy checks each header of each request against several such sets.
 */
final class HeaderNames {
  private final TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  private HeaderNames(List<String> names) {
    this.names.addAll(names);
  }

  static HeaderNames of(String... names) {
    return new HeaderNames(List.of(names));
  }

  boolean contains(String name) {
    return names.contains(name);
  }
}

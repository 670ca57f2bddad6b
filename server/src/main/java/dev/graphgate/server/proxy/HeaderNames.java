package dev.graphgate.server.proxy;

import java.util.Collection;
import java.util.Collections;
import java.util.TreeSet;

/**
 * A fixed set of header names matched ignoring case, without lower-casing (and so allocating) every name looked up:
 * the proxy checks each header of each request against several such sets.
 */
final class HeaderNames {
  private final TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  HeaderNames(Collection<String> names) {
    this.names.addAll(names);
  }

  static HeaderNames of(String... names) {
    HeaderNames h = new HeaderNames(java.util.List.of(names));
    return h;
  }

  boolean contains(String name) {
    return names.contains(name);
  }

  java.util.Set<String> asSet() {
    return Collections.unmodifiableSet(names);
  }
}

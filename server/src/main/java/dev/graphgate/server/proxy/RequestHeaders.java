package dev.graphgate.server.proxy;

import java.util.List;
import java.util.Optional;

/** The headers of an incoming request, as the HTTP layer hands them over. Names are matched ignoring case. */
public interface RequestHeaders {
  /** Each header name once, spelled as the client sent it. */
  Iterable<String> names();

  /** Every value of the header, in the order received; empty when absent. */
  List<String> values(String name);

  default Optional<String> first(String name) {
    List<String> all = values(name);
    return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.get(0));
  }
}

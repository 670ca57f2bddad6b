package dev.graphgate.emulator.graph.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Graph routes, indexed by first segment; within a first segment the first route that matches wins, so specific
 * patterns ({@code users/delta}) are registered before general ones ({@code users/{user}}).
 */
public final class Router {

  private final Map<String, List<Route>> routes = new HashMap<>();

  public void add(Route route) {
    routes.computeIfAbsent(route.firstKey(), k -> new ArrayList<>()).add(route);
  }

  /** A route that matched a path, with its path parameters. */
  public record Match(Route route, Map<String, String> params) {}

  /** What matching found: a route, a path that exists for another method, or nothing. */
  public sealed interface Result {
    record Found(Match match) implements Result {}

    record WrongMethod() implements Result {}

    record NotFound(String segment) implements Result {}
  }

  public Result match(String method, List<String> segments) {
    if (segments.isEmpty()) {
      return new Result.NotFound("");
    }
    List<Route> candidates = routes.getOrDefault(segments.getFirst().toLowerCase(Locale.ROOT), List.of());
    boolean pathMatched = false;
    int deepest = 0;
    for (Route route : candidates) {
      Optional<Map<String, String>> params = match(route.pattern(), segments);
      if (params.isPresent()) {
        if (route.method().equals(method)) {
          return new Result.Found(new Match(route, params.get()));
        }
        pathMatched = true;
      } else {
        deepest = Math.max(deepest, matchedPrefix(route.pattern(), segments));
      }
    }
    if (pathMatched) {
      return new Result.WrongMethod();
    }
    return new Result.NotFound(segments.get(Math.min(deepest, segments.size() - 1)));
  }

  private static Optional<Map<String, String>> match(List<String> pattern, List<String> segments) {
    if (pattern.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String token = pattern.get(i);
      String segment = segments.get(i);
      if (token.startsWith("{:")) {
        if (!segment.startsWith(":")) {
          return Optional.empty();
        }
        params.put(token.substring(2, token.length() - 1), segment.substring(1));
      } else if (token.startsWith("{")) {
        if (segment.startsWith(":")) {
          return Optional.empty();
        }
        params.put(token.substring(1, token.length() - 1), segment);
      } else if (!token.equalsIgnoreCase(segment)) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private static int matchedPrefix(List<String> pattern, List<String> segments) {
    int i = 0;
    while (i < pattern.size() && i < segments.size()) {
      String token = pattern.get(i);
      if (!token.startsWith("{") && !token.equalsIgnoreCase(segments.get(i))) {
        break;
      }
      i++;
    }
    return i;
  }
}

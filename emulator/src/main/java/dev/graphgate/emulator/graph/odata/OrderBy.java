package dev.graphgate.emulator.graph.odata;

import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.store.Entity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** A parsed {@code $orderby}: properties (paths allowed, e.g. {@code start/dateTime}), each ascending or descending. */
public record OrderBy(List<Key> keys) {

  public record Key(List<String> path, boolean descending) {}

  public static OrderBy parse(String text, EntityType type) {
    List<Key> keys = new ArrayList<>();
    for (String part : text.split(",")) {
      String[] words = part.trim().split("\\s+");
      if (words.length == 0 || words[0].isEmpty() || words.length > 2) {
        throw GraphException.badRequest("Invalid $orderby: '" + text + "'.");
      }
      boolean descending = false;
      if (words.length == 2) {
        String direction = words[1].toLowerCase(Locale.ROOT);
        if (!direction.equals("asc") && !direction.equals("desc")) {
          throw GraphException.badRequest("Invalid $orderby direction '" + words[1] + "'; use asc or desc.");
        }
        descending = direction.equals("desc");
      }
      List<String> path = new ArrayList<>(List.of(words[0].split("/")));
      path.set(0, type.canonical(path.getFirst()).orElseThrow(() -> GraphException.badRequest(
          "Could not find a property named '" + words[0] + "' on type '" + type.qualifiedName() + "'.")));
      keys.add(new Key(List.copyOf(path), descending));
    }
    return new OrderBy(List.copyOf(keys));
  }

  public List<String> properties() {
    return keys.stream().map(k -> k.path().getFirst()).toList();
  }

  /** Nulls sort first ascending, as Graph's directory sorts them. */
  public Comparator<Entity> comparator() {
    Comparator<Entity> result = null;
    for (Key key : keys) {
      Filter.Property property = new Filter.Property(key.path());
      Comparator<Entity> one = (a, b) -> {
        Object x = property.eval(new Filter.Scope(a.props(), null, null));
        Object y = property.eval(new Filter.Scope(b.props(), null, null));
        if (x == null || y == null) {
          return x == null ? (y == null ? 0 : -1) : 1;
        }
        return Filter.compare(x, y);
      };
      if (key.descending()) {
        one = one.reversed();
      }
      result = result == null ? one : result.thenComparing(one);
    }
    return result.thenComparingLong(Entity::key);
  }
}

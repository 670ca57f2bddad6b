package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Filter;
import dev.graphgate.emulator.graph.odata.FilterParser;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What the delta handlers share: a store-backed source, removal markers, option handling. */
final class DeltaSupport {

  static final Set<String> DIRECTORY_REFUSED = Set.of("$top", "$orderby", "$expand", "$search", "$count", "$skip");

  private DeltaSupport() {}

  /** A delta source over an entity store, enumerating it in key order. */
  abstract static class StoreSource implements DeltaSource {
    private final String kind;
    private final String scope;
    private final EntityStore store;
    private final int pageSize;

    StoreSource(String kind, String scope, EntityStore store, int pageSize) {
      this.kind = kind;
      this.scope = scope;
      this.store = store;
      this.pageSize = pageSize;
    }

    @Override
    public String kind() {
      return kind;
    }

    @Override
    public String scope() {
      return scope;
    }

    @Override
    public Iterator<Entity> enumerate(long afterKey) {
      return store.ascending(afterKey);
    }

    @Override
    public int pageSize() {
      return pageSize;
    }
  }

  static Map<String, Object> removed(String id, String type, String reason) {
    Map<String, Object> removed = new LinkedHashMap<>();
    if (type != null) {
      removed.put("@odata.type", type);
    }
    removed.put("id", id);
    removed.put("@removed", Map.of("reason", reason));
    return removed;
  }

  static Map<String, String> selectAndFilter(GraphRequest request) {
    Map<String, String> options = new LinkedHashMap<>();
    if (request.param("$select") != null) {
      options.put("$select", request.param("$select"));
    }
    if (request.param("$filter") != null) {
      options.put("$filter", request.param("$filter"));
    }
    return options;
  }

  /** Directory delta filters only by id ({@code id eq '...' or id eq '...'}), as Graph's does. */
  static Filter idFilter(String text, EntityType type) {
    if (text == null) {
      return null;
    }
    Filter filter = FilterParser.parse(text, type);
    boolean idsOnly = filter.operators().stream().allMatch(op -> op.equals("eq") || op.equals("or"))
        && !text.toLowerCase(Locale.ROOT).replaceAll("'[^']*'", "").replaceAll("\\b(id|eq|or)\\b", "").replaceAll("[\\s()]", "").matches(".+");
    if (!idsOnly) {
      throw GraphException.unsupportedQuery("Delta queries support only $filter=id eq '{id}' (joined with or, up to 50 ids).");
    }
    return filter;
  }

  static void refuse(GraphRequest request, Set<String> options) {
    for (Map.Entry<String, String> entry : request.query()) {
      if (options.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
        throw GraphException.badRequest("The query option '" + entry.getKey() + "' is not supported with delta queries.");
      }
    }
  }

  static int parsePositive(String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n > 0) {
        return Math.min(n, 1000);
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw GraphException.badRequest("Invalid value '" + value + "' for $top; it must be a positive integer.");
  }
}

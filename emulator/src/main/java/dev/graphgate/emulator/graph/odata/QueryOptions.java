package dev.graphgate.emulator.graph.odata;

import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OData system query options of one request, parsed and checked against the entity type and the workload's
 * dialect. An option the emulator does not implement is refused with a 400, never ignored.
 */
public record QueryOptions(
    List<String> select,
    Filter filter,
    OrderBy orderBy,
    int top,
    boolean topGiven,
    String skipToken,
    int skip,
    boolean count,
    Search search,
    boolean advanced) {

  private static final Set<String> KNOWN = Set.of("$select", "$filter", "$orderby", "$top", "$skiptoken", "$skip", "$count", "$search", "$expand", "$format", "$deltatoken");
  private static final String ADVANCED_HINT =
      "Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information";

  /** Parses a collection request's options. */
  public static QueryOptions parse(GraphRequest request, EntityType type, Dialect dialect, Paging paging, List<String> freeText) {
    for (Map.Entry<String, String> entry : request.query()) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("$") && !KNOWN.contains(name)) {
        throw GraphException.badRequest("Query option '" + entry.getKey() + "' is not supported.");
      }
    }
    if (request.param("$expand") != null) {
      throw GraphException.badRequest("The query option '$expand' is not supported by the emulator on this resource.");
    }
    if (request.param("$format") != null) {
      throw GraphException.badRequest("The query option '$format' is not supported; Graph answers JSON.");
    }
    boolean eventual = "eventual".equalsIgnoreCase(request.header("ConsistencyLevel"));
    String countText = request.param("$count");
    boolean count = countText != null && countText.equalsIgnoreCase("true");
    if (countText != null && !count && !countText.equalsIgnoreCase("false")) {
      throw GraphException.badRequest("Invalid value '" + countText + "' for $count; use true or false.");
    }
    String searchText = request.param("$search");
    boolean advanced = dialect == Dialect.DIRECTORY ? eventual && (count || searchText != null) : true;

    List<String> select = parseSelect(request.param("$select"), type);
    Filter filter = blankToNull(request.param("$filter")) == null ? null : FilterParser.parse(request.param("$filter"), type);
    OrderBy orderBy = blankToNull(request.param("$orderby")) == null ? null : OrderBy.parse(request.param("$orderby"), type);
    Search search = null;
    if (searchText != null) {
      if (dialect == Dialect.DIRECTORY && !eventual) {
        throw GraphException.unsupportedQuery(
            "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
      }
      if (dialect == Dialect.DRIVE || dialect == Dialect.SITES) {
        throw GraphException.badRequest("$search is not supported on this resource.");
      }
      search = Search.parse(searchText, type, dialect == Dialect.DIRECTORY ? null : freeText);
    }

    if (dialect == Dialect.DIRECTORY) {
      if (count && !eventual) {
        throw GraphException.unsupportedQuery("$count is not supported without the ConsistencyLevel: eventual header. " + ADVANCED_HINT);
      }
      if (filter != null && !advanced) {
        for (String op : List.of("ne", "not", "endswith")) {
          if (filter.operators().contains(op)) {
            throw GraphException.unsupportedQuery(
                "Operator '" + (op.equals("endswith") ? "endsWith" : op) + "' is not supported because the required parameters might be missing. " + ADVANCED_HINT);
          }
        }
      }
      if (orderBy != null && !advanced) {
        if (filter != null) {
          throw GraphException.unsupportedQuery("Sorting and filtering together are not supported because the required parameters might be missing. " + ADVANCED_HINT);
        }
        for (String property : orderBy.properties()) {
          if (!property.equals("displayName") && !property.equals("userPrincipalName")) {
            throw GraphException.unsupportedQuery("Sorting by '" + property + "' is not supported because the required parameters might be missing. " + ADVANCED_HINT);
          }
        }
      }
      if (request.param("$skip") != null) {
        throw GraphException.directoryBadRequest("'$skip' is not supported by the service.");
      }
    }

    String topText = request.param("$top");
    int top = paging.defaultTop();
    if (topText != null) {
      try {
        top = Integer.parseInt(topText.trim());
      } catch (NumberFormatException e) {
        throw GraphException.badRequest("Invalid value '" + topText + "' for $top; it must be a positive integer.");
      }
      if (top < 1 || (dialect == Dialect.DIRECTORY && top > paging.maxTop())) {
        if (dialect == Dialect.DIRECTORY) {
          throw GraphException.directoryBadRequest("Invalid page size specified: '" + top + "'. Must be between 1 and " + paging.maxTop() + " inclusive.");
        }
        throw GraphException.badRequest("Invalid value '" + topText + "' for $top; it must be a positive integer.");
      }
      top = Math.min(top, paging.maxTop());
    }
    int skip = 0;
    String skipText = request.param("$skip");
    if (skipText != null) {
      try {
        skip = Integer.parseInt(skipText.trim());
      } catch (NumberFormatException e) {
        skip = -1;
      }
      if (skip < 0) {
        throw GraphException.badRequest("Invalid value '" + skipText + "' for $skip; it must be zero or a positive integer.");
      }
    }
    return new QueryOptions(select, filter, orderBy, top, topText != null, request.param("$skiptoken"), skip, count, search, advanced);
  }

  public static List<String> parseSelect(String text, EntityType type) {
    if (blankToNull(text) == null) {
      return null;
    }
    List<String> select = new ArrayList<>();
    for (String part : text.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      String canonical = type.canonical(name).orElseThrow(() -> GraphException.badRequest(
          "Could not find a property named '" + name + "' on type '" + type.qualifiedName() + "'."));
      if (!select.contains(canonical)) {
        select.add(canonical);
      }
    }
    return select;
  }

  /** Whether an entity is in the result. */
  public boolean matches(Map<String, Object> props) {
    return (filter == null || filter.test(props)) && (search == null || search.test(props));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}

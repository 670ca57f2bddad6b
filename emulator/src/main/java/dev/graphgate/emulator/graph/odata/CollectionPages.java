package dev.graphgate.emulator.graph.odata;

import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.QueryString;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.StreamSupport;

/**
 * Serves one page of a collection: filters, searches, sorts, counts and pages it, and links the next page. Unsorted
 * directory and drive collections continue after the last key served, so a page is stable when entities are added or
 * removed between pages; sorted ones and Outlook's continue at an offset, as Graph's do.
 */
public final class CollectionPages {

  private CollectionPages() {}

  /** The entities of a collection in its natural order, from just after {@code afterKey} ({@code -1}: the start). */
  @FunctionalInterface
  public interface Source {
    Iterator<Entity> from(long afterKey);
  }

  /**
   * Sorted orders of recently sorted stores, by store, its version and the query: paging through 100,000 users
   * ordered by name sorts them once, not once per page. A store's version changes with every write, which retires
   * its entries.
   */
  private record SortKey(EntityStore store, long version, String orderBy, String filter, String search) {}

  private static final int SORTED_ORDERS_KEPT = 8;
  private static final Map<SortKey, long[]> SORTED = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<SortKey, long[]> eldest) {
      return size() > SORTED_ORDERS_KEPT;
    }
  });

  /** A page of an entity store's collection; sorted orders are computed once per store version and query. */
  public static Map<String, Object> page(
      GraphRequest request,
      QueryOptions options,
      Dialect dialect,
      EntityStore store,
      String context,
      Function<Entity, Map<String, Object>> view) {
    if (options.orderBy() == null) {
      return page(request, options, dialect, store::ascending, context, view);
    }
    SortKey key = new SortKey(store, store.version(), request.param("$orderby"), request.param("$filter"), request.param("$search"));
    long[] order = SORTED.get(key);
    if (order == null) {
      // Sorted outside the map's lock: concurrent first pages may both sort, but never wait on each other.
      order = sorted(store.ascending(-1), options).stream().mapToLong(Entity::key).toArray();
      SORTED.put(key, order);
    }
    int offset = offset(options, dialect);
    int end = (int) Math.min(order.length, (long) offset + options.top());
    List<Entity> page = new ArrayList<>();
    for (int i = offset; i < end; i++) {
      store.get(order[i]).ifPresent(page::add);
    }
    return body(request, options, dialect, context, view, page, order.length, end < order.length ? offsetLink(request, dialect, end) : null);
  }

  public static Map<String, Object> page(
      GraphRequest request,
      QueryOptions options,
      Dialect dialect,
      Source source,
      String context,
      Function<Entity, Map<String, Object>> view) {
    int top = options.top();
    if (options.orderBy() != null) {
      List<Entity> all = sorted(source.from(-1), options);
      int offset = offset(options, dialect);
      int end = (int) Math.min(all.size(), (long) offset + top);
      List<Entity> page = offset < all.size() ? all.subList(offset, end) : List.of();
      return body(request, options, dialect, context, view, page, all.size(), end < all.size() ? offsetLink(request, dialect, end) : null);
    }
    List<Entity> page = new ArrayList<>(Math.min(top + 1, 1001));
    String nextLink = null;
    if (dialect.pagesWithSkip()) {
      int offset = options.skip();
      int seen = 0;
      for (Iterator<Entity> it = source.from(-1); it.hasNext(); ) {
        Entity entity = it.next();
        if (!options.matches(entity.props()) || seen++ < offset) {
          continue;
        }
        if (page.size() == top) {
          nextLink = offsetLink(request, dialect, offset + top);
          break;
        }
        page.add(entity);
      }
    } else {
      for (Iterator<Entity> it = source.from(keyToken(options.skipToken())); it.hasNext(); ) {
        Entity entity = it.next();
        if (!options.matches(entity.props())) {
          continue;
        }
        if (page.size() == top) {
          nextLink = link(request, "$skiptoken", encode("k", page.getLast().key()));
          break;
        }
        page.add(entity);
      }
    }
    long total = 0;
    if (options.count()) {
      for (Iterator<Entity> it = source.from(-1); it.hasNext(); ) {
        if (options.matches(it.next().props())) {
          total++;
        }
      }
    }
    return body(request, options, dialect, context, view, page, total, nextLink);
  }

  /** The entities that match the options' filter and search, in the options' order. */
  private static List<Entity> sorted(Iterator<Entity> entities, QueryOptions options) {
    List<Entity> all = new ArrayList<>();
    while (entities.hasNext()) {
      Entity entity = entities.next();
      if (options.matches(entity.props())) {
        all.add(entity);
      }
    }
    all.sort(options.orderBy().comparator());
    return all;
  }

  /** The answer: context, count (on the directory's first page only), next link (before the values for the directory, after them elsewhere), values. */
  private static Map<String, Object> body(
      GraphRequest request, QueryOptions options, Dialect dialect, String context, Function<Entity, Map<String, Object>> view,
      List<Entity> page, long total, String nextLink) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", request.root() + "/$metadata#" + context);
    boolean firstPage = options.skipToken() == null && options.skip() == 0;
    if (options.count() && (firstPage || dialect != Dialect.DIRECTORY)) {
      body.put("@odata.count", total);
    }
    if (nextLink != null && dialect == Dialect.DIRECTORY) {
      body.put("@odata.nextLink", nextLink);
    }
    List<Map<String, Object>> value = new ArrayList<>(page.size());
    for (Entity entity : page) {
      value.add(view.apply(entity));
    }
    body.put("value", value);
    if (nextLink != null && dialect != Dialect.DIRECTORY) {
      body.put("@odata.nextLink", nextLink);
    }
    return body;
  }

  /** Where a page of a sorted or Outlook collection starts. */
  private static int offset(QueryOptions options, Dialect dialect) {
    return dialect.pagesWithSkip() ? options.skip() : offsetToken(options.skipToken());
  }

  private static String offsetLink(GraphRequest request, Dialect dialect, int offset) {
    return dialect.pagesWithSkip() ? link(request, "$skip", Integer.toString(offset)) : link(request, "$skiptoken", encode("o", offset));
  }

  /** A source over a fixed list (ordered as given); keys must ascend for key continuation. */
  public static Source of(List<Entity> entities) {
    return after -> entities.stream().filter(e -> e.key() > after).iterator();
  }

  /**
   * A source of related entities listed by key (group members), in the keys' order, continuing after the key
   * {@code after}. Entities are looked up as the page reads them: a page of a large group costs its own page, not the
   * whole rest of the group.
   */
  public static Source keyed(Iterable<Long> keys, LongFunction<Entity> lookup) {
    return after -> {
      Iterator<Long> it = keys.iterator();
      if (after >= 0) {
        while (it.hasNext() && it.next() != after) {
          // skip up to and including the last key served
        }
      }
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
          .map(lookup::apply)
          .filter(Objects::nonNull)
          .iterator();
    };
  }

  /** The request's own URL with one paging parameter replaced, as Graph keeps the other options in its links. */
  public static String link(GraphRequest request, String name, String value) {
    List<Map.Entry<String, String>> query = new ArrayList<>();
    for (Map.Entry<String, String> entry : request.query()) {
      String key = entry.getKey();
      if (!key.equalsIgnoreCase("$skiptoken") && !key.equalsIgnoreCase("$skip") && !key.equalsIgnoreCase("$deltatoken")) {
        query.add(entry);
      }
    }
    query.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
    return request.root() + "/" + request.path() + QueryString.format(query);
  }

  private static String encode(String kind, long value) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("RFNwd" + kind + value).getBytes(StandardCharsets.US_ASCII));
  }

  private static long keyToken(String token) {
    if (token == null) {
      return -1;
    }
    return decode(token, "k");
  }

  private static int offsetToken(String token) {
    if (token == null) {
      return 0;
    }
    return (int) decode(token, "o");
  }

  private static long decode(String token, String kind) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
      if (text.startsWith("RFNwd" + kind)) {
        long value = Long.parseLong(text.substring(6));
        if (value >= 0) {
          return value;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw GraphException.directoryBadRequest("The $skiptoken '" + token + "' is not valid for this request; follow the @odata.nextLink as returned.");
  }
}

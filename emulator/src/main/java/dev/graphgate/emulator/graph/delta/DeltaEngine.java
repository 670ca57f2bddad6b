package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.http.QueryString;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.Entity;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs delta rounds over any {@link DeltaSource}. The first round enumerates the current state page by page and ends
 * with a delta link remembering the change sequence at its start; each later round replays the changes since, one
 * entry per changed entity (its latest state, or its removal), and ends with a new delta link. So every change made
 * between two rounds is seen exactly once in the next round.
 *
 * <p>Links are refused with 410 when the tenant was generated again, when they are older than the token lifetime, or
 * when the change log no longer reaches back to them; the {@code Location} header then holds a fresh start.
 */
public final class DeltaEngine {

  /** How the workload spells its tokens: directory and Outlook use {@code $skiptoken}/{@code $deltatoken}, OneDrive {@code token}. */
  public enum Style { ODATA, DRIVE }

  private final DeltaTokens tokens;
  private final Duration lifetime;

  public DeltaEngine(DeltaTokens tokens, Duration lifetime) {
    this.tokens = tokens;
    this.lifetime = lifetime;
  }

  /** Where a round stands: from a token, or a new round with options from the request. */
  public record Round(DeltaState state, boolean latest) {
    public Map<String, String> options() {
      return state.options();
    }
  }

  /**
   * Reads the request's token, if any. {@code requestOptions} are the options of a new round (ignored when a token is
   * given: its own options apply).
   */
  public Round begin(GraphRequest request, TenantData data, String kind, String scope, Style style, Map<String, String> requestOptions) {
    String token = style == Style.ODATA
        ? first(request.param("$skiptoken"), request.param("$deltatoken"))
        : request.param("token");
    long now = data.clock().instant().getEpochSecond();
    if (token == null || token.isEmpty()) {
      return new Round(new DeltaState(data.tenant().id(), data.epoch(), kind, scope, true, data.changes().head(), 0, -1, now, requestOptions), false);
    }
    if (token.equalsIgnoreCase("latest")) {
      return new Round(new DeltaState(data.tenant().id(), data.epoch(), kind, scope, false, data.changes().head(), 0, 0, now, requestOptions), true);
    }
    DeltaState state = tokens.open(token).orElseThrow(() -> resync(request, style, Map.of()));
    if (!state.tenantId().equals(data.tenant().id()) || !state.kind().equals(kind) || !state.scope().equals(scope)) {
      throw resync(request, style, Map.of());
    }
    if (state.epoch() != data.epoch() || now - state.issuedAt() > lifetime.toSeconds()
        || (!state.initial() && !data.changes().covers(scope, state.from()))) {
      throw resync(request, style, state.options());
    }
    return new Round(state, false);
  }

  public GraphResponse page(GraphRequest request, TenantData data, Round round, DeltaSource source, Style style, String context) {
    DeltaState state = round.state();
    long now = data.clock().instant().getEpochSecond();
    List<Map<String, Object>> value = new ArrayList<>();
    DeltaState next;
    boolean more;
    if (round.latest()) {
      next = state;
      more = false;
    } else if (state.initial()) {
      // position is the last key served; with part > 0 the round stopped inside that entity and resumes there.
      long resumeKey = state.part() > 0 ? state.position() : Long.MIN_VALUE;
      long nextPosition = state.position();
      int nextPart = 0;
      more = false;
      int size = source.pageSize();
      Iterator<Entity> it = source.enumerate(state.part() > 0 ? state.position() - 1 : state.position());
      entities:
      while (it.hasNext()) {
        Entity entity = it.next();
        List<Map<String, Object>> parts = source.initialParts(entity);
        for (int p = entity.key() == resumeKey ? state.part() : 0; p < parts.size(); p++) {
          if (value.size() == size) {
            more = true;
            nextPosition = p == 0 ? nextPosition : entity.key();
            nextPart = p;
            break entities;
          }
          value.add(parts.get(p));
          if (p + 1 < parts.size()) {
            // The rest of a split entity goes on the following pages.
            more = true;
            nextPosition = entity.key();
            nextPart = p + 1;
            break entities;
          }
        }
        nextPosition = entity.key();
      }
      next = more
          ? new DeltaState(state.tenantId(), state.epoch(), state.kind(), state.scope(), true, state.from(), 0, nextPosition, now, state.options(), nextPart)
          : new DeltaState(state.tenantId(), state.epoch(), state.kind(), state.scope(), false, state.from(), 0, 0, now, state.options());
    } else {
      long upTo = state.upTo() == 0 ? data.changes().head() : state.upTo();
      Map<Long, List<Change>> byKey = new LinkedHashMap<>();
      for (Change change : data.changes().between(state.scope(), state.from(), upTo)) {
        List<Change> changes = byKey.remove(change.key());
        if (changes == null) {
          changes = new ArrayList<>();
        }
        changes.add(change);
        byKey.put(change.key(), changes);
      }
      List<Map.Entry<Long, List<Change>>> entries = new ArrayList<>(byKey.entrySet());
      int start = (int) state.position();
      int end = Math.min(entries.size(), start + source.pageSize());
      for (int i = start; i < end; i++) {
        source.changed(entries.get(i).getKey(), entries.get(i).getValue()).ifPresent(value::add);
      }
      more = end < entries.size();
      next = more
          ? new DeltaState(state.tenantId(), state.epoch(), state.kind(), state.scope(), false, state.from(), upTo, end, now, state.options())
          : new DeltaState(state.tenantId(), state.epoch(), state.kind(), state.scope(), false, upTo, 0, 0, now, state.options());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", request.root() + "/$metadata#" + context);
    String token = tokens.seal(next);
    if (more) {
      body.put("@odata.nextLink", link(request, style == Style.ODATA ? "$skiptoken" : "token", token));
    } else {
      body.put("@odata.deltaLink", link(request, style == Style.ODATA ? "$deltatoken" : "token", token));
    }
    body.put("value", value);
    return GraphResponse.json(200, body);
  }

  private static String link(GraphRequest request, String name, String token) {
    return request.root() + "/" + basePath(request) + QueryString.format(List.of(new AbstractMap.SimpleImmutableEntry<>(name, token)));
  }

  /** The delta function's path without parameters in function syntax ({@code delta(token='...')} becomes {@code delta}). */
  static String basePath(GraphRequest request) {
    String path = request.path();
    int paren = path.toLowerCase(java.util.Locale.ROOT).lastIndexOf("delta(");
    return paren >= 0 ? path.substring(0, paren + 5) : path;
  }

  private static GraphException resync(GraphRequest request, Style style, Map<String, String> options) {
    List<Map.Entry<String, String>> query = new ArrayList<>();
    options.forEach((name, value) -> {
      if (name.startsWith("$") || name.equalsIgnoreCase("startDateTime") || name.equalsIgnoreCase("endDateTime")) {
        query.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
      }
    });
    String location = request.root() + "/" + basePath(request) + QueryString.format(query);
    if (style == Style.DRIVE) {
      return new GraphException(410, "resyncChangesApplyDifferences",
          "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.",
          Map.of("Location", location));
    }
    return new GraphException(410, "syncStateNotFound",
        "The sync state of this delta link was not found or has expired. Start a new round from the link in the Location header and replace your local copy.",
        Map.of("Location", location));
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  /** {@code Prefer: odata.maxpagesize=N}, if given and valid. */
  public static Optional<Integer> maxPageSize(GraphRequest request) {
    String prefer = request.header("Prefer");
    if (prefer == null) {
      return Optional.empty();
    }
    for (String part : prefer.split(",")) {
      String p = part.trim();
      if (p.regionMatches(true, 0, "odata.maxpagesize=", 0, 18)) {
        try {
          int size = Integer.parseInt(p.substring(18).trim());
          if (size > 0) {
            return Optional.of(Math.min(size, 1000));
          }
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}

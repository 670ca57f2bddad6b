package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.data.GroupDirectory;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.data.UserDirectory;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Filter;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.resource.UserResources;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.ChangeType;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Delta of directory objects: {@code users/delta} and {@code groups/delta} with {@code members@delta}. */
final class DirectoryDelta {
  private static final int PAGE = 100;
  /**
   * Members per group object in a first round: a larger group comes back as several objects with the same id on
   * consecutive pages, each with a slice of {@code members@delta}, which clients must merge (reference section 10).
   */
  static final int MEMBERS_PER_PART = 500;

  private final DeltaEngine engine;

  DirectoryDelta(DeltaEngine engine) {
    this.engine = engine;
  }

  // ---- users

  GraphResponse users(GraphCall call) {
    DeltaSupport.refuse(call.request(), DeltaSupport.DIRECTORY_REFUSED);
    TenantData data = call.data();
    DeltaEngine.Round round = engine.begin(call.request(), data, "users", UserDirectory.SCOPE, DeltaEngine.Style.ODATA, DeltaSupport.selectAndFilter(call.request()));
    List<String> select = QueryOptions.parseSelect(round.options().get("$select"), EntityType.USER);
    Filter filter = DeltaSupport.idFilter(round.options().get("$filter"), EntityType.USER);
    String prefer = call.request().header("Prefer");
    boolean minimal = prefer != null && prefer.toLowerCase(java.util.Locale.ROOT).contains("return=minimal");
    EntityStore store = data.users().store();
    DeltaSource source = new DeltaSupport.StoreSource("users", UserDirectory.SCOPE, store, PAGE) {
      @Override
      public Optional<Map<String, Object>> initial(Entity user) {
        return filter != null && !filter.test(user.props()) ? Optional.empty() : Optional.of(UserResources.view(call.caller(), user, select, true));
      }

      @Override
      public Optional<Map<String, Object>> changed(long key, List<Change> changes) {
        Optional<Entity> user = store.get(key);
        Entity known = user.or(() -> store.tombstone(key)).orElse(null);
        if (known == null || (filter != null && !filter.test(known.props()))) {
          return Optional.empty();
        }
        if (user.isEmpty()) {
          return Optional.of(DeltaSupport.removed(data.users().idOf(key), null, "changed"));
        }
        Optional<Map<String, Object>> view = initial(user.get());
        if (minimal && view.isPresent() && changes.stream().noneMatch(c -> c.type() == ChangeType.CREATED)) {
          // Prefer: return=minimal: only the properties that changed in this round (and the id).
          java.util.Set<String> changed = new java.util.HashSet<>();
          changes.forEach(c -> changed.addAll(c.properties()));
          view.get().keySet().removeIf(name -> !name.equals("id") && !changed.contains(name));
        }
        return view;
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.ODATA, "users");
  }

  // ---- groups

  GraphResponse groups(GraphCall call) {
    DeltaSupport.refuse(call.request(), DeltaSupport.DIRECTORY_REFUSED);
    TenantData data = call.data();
    DeltaEngine.Round round = engine.begin(call.request(), data, "groups", GroupDirectory.SCOPE, DeltaEngine.Style.ODATA, DeltaSupport.selectAndFilter(call.request()));
    String selectText = round.options().get("$select");
    boolean members = selectText == null;
    List<String> properties = new ArrayList<>();
    if (selectText != null) {
      for (String part : selectText.split(",")) {
        if (part.trim().equalsIgnoreCase("members")) {
          members = true;
        } else if (!part.isBlank()) {
          properties.add(part.trim());
        }
      }
    }
    List<String> select = selectText == null ? null : QueryOptions.parseSelect(String.join(",", properties), EntityType.GROUP);
    List<String> effectiveSelect = select == null && selectText != null ? List.of("id") : select;
    Filter filter = DeltaSupport.idFilter(round.options().get("$filter"), EntityType.GROUP);
    boolean withMembers = members;
    EntityStore store = data.groups().store();
    DeltaSource source = new DeltaSupport.StoreSource("groups", GroupDirectory.SCOPE, store, PAGE) {
      @Override
      public Optional<Map<String, Object>> initial(Entity group) {
        if (filter != null && !filter.test(group.props())) {
          return Optional.empty();
        }
        Map<String, Object> view = EntityType.GROUP.render(group.props(), effectiveSelect, true);
        if (withMembers) {
          List<Map<String, Object>> delta = new ArrayList<>();
          data.groups().members(group).forEachRemaining(member -> delta.add(memberRef(data, member, false)));
          if (!delta.isEmpty()) {
            view.put("members@delta", delta);
          }
        }
        return Optional.of(view);
      }

      @Override
      public List<Map<String, Object>> initialParts(Entity group) {
        Optional<Map<String, Object>> whole = initial(group);
        if (whole.isEmpty() || !(whole.get().get("members@delta") instanceof List<?> all) || all.size() <= MEMBERS_PER_PART) {
          return whole.map(List::of).orElse(List.of());
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MEMBERS_PER_PART) {
          Map<String, Object> part = from == 0 ? new LinkedHashMap<>(whole.get()) : new LinkedHashMap<>(Map.of("id", group.id()));
          part.put("members@delta", all.subList(from, Math.min(all.size(), from + MEMBERS_PER_PART)));
          parts.add(part);
        }
        return parts;
      }

      @Override
      public Optional<Map<String, Object>> changed(long key, List<Change> changes) {
        Optional<Entity> group = store.get(key);
        Entity known = group.or(() -> store.tombstone(key)).orElse(null);
        if (known == null || (filter != null && !filter.test(known.props()))) {
          return Optional.empty();
        }
        if (group.isEmpty()) {
          boolean unified = known.get("groupTypes") instanceof List<?> types && types.contains("Unified");
          return Optional.of(DeltaSupport.removed(known.id(), null, unified ? "changed" : "deleted"));
        }
        if (changes.stream().anyMatch(c -> c.type() == ChangeType.CREATED)) {
          return initial(group.get());
        }
        Map<String, Object> view = EntityType.GROUP.render(group.get().props(), effectiveSelect, true);
        if (withMembers) {
          Map<Long, Boolean> net = new LinkedHashMap<>();
          for (Change change : changes) {
            if (change.detail() != null) {
              net.put(change.detail().memberKey(), change.detail().added());
            }
          }
          List<Map<String, Object>> delta = new ArrayList<>();
          net.forEach((member, added) -> delta.add(memberRef(data, member, !added)));
          if (!delta.isEmpty()) {
            view.put("members@delta", delta);
          }
        }
        return Optional.of(view);
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.ODATA, "groups");
  }

  private static Map<String, Object> memberRef(TenantData data, long userKey, boolean removed) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("@odata.type", "#microsoft.graph.user");
    ref.put("id", data.users().idOf(userKey));
    if (removed) {
      ref.put("@removed", Map.of("reason", "deleted"));
    }
    return ref;
  }

}

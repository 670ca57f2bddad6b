package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.data.Calendars;
import dev.graphgate.emulator.graph.data.Drives;
import dev.graphgate.emulator.graph.data.GroupDirectory;
import dev.graphgate.emulator.graph.data.Mailboxes;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.data.UserDirectory;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Filter;
import dev.graphgate.emulator.graph.odata.FilterParser;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.resource.CalendarResources;
import dev.graphgate.emulator.graph.resource.DriveResources;
import dev.graphgate.emulator.graph.resource.MailResources;
import dev.graphgate.emulator.graph.resource.UserResources;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.ChangeType;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The delta functions: {@code users/delta}, {@code groups/delta} (with {@code members@delta}), messages of a mail
 * folder, {@code calendarView/delta} and a drive's {@code root/delta}; each a {@link DeltaSource} over the tenant's
 * store and change log.
 */
public final class DeltaResources {

  private static final Set<String> DIRECTORY_REFUSED = Set.of("$top", "$orderby", "$expand", "$search", "$count", "$skip");
  private static final int DIRECTORY_PAGE = 100;
  private static final int OUTLOOK_PAGE = 10;
  private static final int DRIVE_PAGE = 200;

  private final DeltaEngine engine;

  public DeltaResources(DeltaEngine engine) {
    this.engine = engine;
  }

  public void register(Router router) {
    router.add(Route.of("GET", "users/delta", Permission.USERS_READ, this::users));
    router.add(Route.of("GET", "groups/delta", Permission.GROUPS_READ, this::groups));
    router.add(Route.of("GET", "users/{user}/mailFolders/{folder}/messages/delta", Permission.MAIL_READ, this::messages).mailbox("user"));
    router.add(Route.of("GET", "users/{user}/calendarView/delta", Permission.CALENDAR_READ, this::events).mailbox("user"));
    for (String base : DriveResources.BASES) {
      router.add(Route.of("GET", base + "/root/delta", Permission.FILES_READ, this::driveItems));
    }
  }

  // ---- users

  private GraphResponse users(GraphCall call) {
    refuse(call.request(), DIRECTORY_REFUSED);
    TenantData data = call.data();
    DeltaEngine.Round round = engine.begin(call.request(), data, "users", UserDirectory.SCOPE, DeltaEngine.Style.ODATA, selectAndFilter(call.request()));
    List<String> select = QueryOptions.parseSelect(round.options().get("$select"), EntityType.USER);
    Filter filter = idFilter(round.options().get("$filter"), EntityType.USER);
    EntityStore store = data.users().store();
    DeltaSource source = new StoreSource("users", UserDirectory.SCOPE, store, DIRECTORY_PAGE) {
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
        return user.isPresent() ? initial(user.get()) : Optional.of(removed(data.users().idOf(key), null, "changed"));
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.ODATA, "users");
  }

  // ---- groups

  private GraphResponse groups(GraphCall call) {
    refuse(call.request(), DIRECTORY_REFUSED);
    TenantData data = call.data();
    DeltaEngine.Round round = engine.begin(call.request(), data, "groups", GroupDirectory.SCOPE, DeltaEngine.Style.ODATA, selectAndFilter(call.request()));
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
    Filter filter = idFilter(round.options().get("$filter"), EntityType.GROUP);
    boolean withMembers = members;
    EntityStore store = data.groups().store();
    DeltaSource source = new StoreSource("groups", GroupDirectory.SCOPE, store, DIRECTORY_PAGE) {
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
      public Optional<Map<String, Object>> changed(long key, List<Change> changes) {
        Optional<Entity> group = store.get(key);
        Entity known = group.or(() -> store.tombstone(key)).orElse(null);
        if (known == null || (filter != null && !filter.test(known.props()))) {
          return Optional.empty();
        }
        if (group.isEmpty()) {
          boolean unified = known.get("groupTypes") instanceof List<?> types && types.contains("Unified");
          return Optional.of(removed(known.id(), null, unified ? "changed" : "deleted"));
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

  // ---- messages of a folder

  private GraphResponse messages(GraphCall call) {
    refuse(call.request(), Set.of("$search", "$count", "$skip", "$expand"));
    TenantData data = call.data();
    Entity owner = MailResources.owner(call);
    WellKnownFolder folder = MailResources.folderParam(call, owner);
    String scope = Mailboxes.scope(owner.key(), folder);
    Map<String, String> requested = selectAndFilter(call.request());
    if (call.request().param("$top") != null) {
      requested.put("$top", call.request().param("$top"));
    }
    DeltaEngine.Round round = engine.begin(call.request(), data, "messages", scope, DeltaEngine.Style.ODATA, requested);
    List<String> select = QueryOptions.parseSelect(round.options().get("$select"), EntityType.MESSAGE);
    Filter filter = round.options().get("$filter") == null ? null : FilterParser.parse(round.options().get("$filter"), EntityType.MESSAGE);
    if (filter != null && !filter.operators().stream().allMatch(op -> op.equals("ge") || op.equals("gt") || op.equals("and"))) {
      throw GraphException.outlookBadRequest("Message delta supports only $filter=receivedDateTime ge|gt {value}.");
    }
    EntityStore store = data.mail().messages(owner.key());
    int pageSize = DeltaEngine.maxPageSize(call.request()).orElse(parsePositive(round.options().get("$top"), OUTLOOK_PAGE));
    DeltaSource source = new StoreSource("messages", scope, store, pageSize) {
      @Override
      public Optional<Map<String, Object>> initial(Entity message) {
        if (data.mail().folderOf(owner.key(), message) != folder || (filter != null && !filter.test(message.props()))) {
          return Optional.empty();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("@odata.type", "#microsoft.graph.message");
        view.putAll(MailResources.view(call.caller(), message, select));
        return Optional.of(view);
      }

      @Override
      public Optional<Map<String, Object>> changed(long key, List<Change> changes) {
        Optional<Entity> message = store.get(key);
        if (message.isPresent() && data.mail().folderOf(owner.key(), message.get()) == folder) {
          return initial(message.get());
        }
        return Optional.of(removed(data.mail().messageId(owner.key(), key), "#microsoft.graph.message", "deleted"));
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.ODATA, "Collection(message)");
  }

  // ---- calendar view

  private GraphResponse events(GraphCall call) {
    refuse(call.request(), Set.of("$select", "$filter", "$orderby", "$search", "$count", "$skip", "$expand", "$top"));
    TenantData data = call.data();
    Entity owner = MailResources.owner(call);
    String scope = Calendars.scope(owner.key());
    Map<String, String> requested = new LinkedHashMap<>();
    boolean continuing = call.request().param("$skiptoken") != null || call.request().param("$deltatoken") != null;
    if (!continuing) {
      CalendarResources.Window window = CalendarResources.window(call.request());
      requested.put("startDateTime", window.start().toString());
      requested.put("endDateTime", window.end().toString());
    }
    DeltaEngine.Round round = engine.begin(call.request(), data, "events", scope, DeltaEngine.Style.ODATA, requested);
    CalendarResources.Window window = new CalendarResources.Window(
        Instant.parse(round.options().get("startDateTime")), Instant.parse(round.options().get("endDateTime")));
    EntityStore store = data.calendars().events(owner.key());
    int pageSize = DeltaEngine.maxPageSize(call.request()).orElse(OUTLOOK_PAGE);
    DeltaSource source = new StoreSource("events", scope, store, pageSize) {
      @Override
      public Optional<Map<String, Object>> initial(Entity event) {
        if (!window.overlaps(event)) {
          return Optional.empty();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("@odata.type", "#microsoft.graph.event");
        view.putAll(EntityType.EVENT.render(event.props(), null, true));
        return Optional.of(view);
      }

      @Override
      public Optional<Map<String, Object>> changed(long key, List<Change> changes) {
        Optional<Entity> event = store.get(key);
        if (event.isPresent() && window.overlaps(event.get())) {
          return initial(event.get());
        }
        Entity before = event.or(() -> store.tombstone(key)).orElse(null);
        boolean wasCreatedOutside = changes.getFirst().type() == ChangeType.CREATED && event.isPresent();
        if (before == null || wasCreatedOutside) {
          return Optional.empty();
        }
        return Optional.of(removed(data.calendars().eventId(owner.key(), key), "#microsoft.graph.event", "deleted"));
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.ODATA, "Collection(event)");
  }

  // ---- drive items

  private GraphResponse driveItems(GraphCall call) {
    refuse(call.request(), Set.of("$filter", "$orderby", "$search", "$count", "$skip", "$expand"));
    TenantData data = call.data();
    Drives.Drive drive = DriveResources.resolve(call);
    String scope = drive.ref().scope();
    Map<String, String> requested = new LinkedHashMap<>();
    if (call.request().param("$select") != null) {
      requested.put("$select", call.request().param("$select"));
    }
    if (call.request().param("$top") != null) {
      requested.put("$top", call.request().param("$top"));
    }
    DeltaEngine.Round round = engine.begin(call.request(), data, "driveItems", scope, DeltaEngine.Style.DRIVE, requested);
    List<String> select = QueryOptions.parseSelect(round.options().get("$select"), EntityType.DRIVE_ITEM);
    EntityStore store = drive.items();
    int pageSize = parsePositive(round.options().get("$top"), DRIVE_PAGE);
    String driveId = data.drives().generator().driveId(drive.ref());
    DeltaSource source = new StoreSource("driveItems", scope, store, pageSize) {
      @Override
      public Iterator<Entity> enumerate(long afterKey) {
        return store.ascending(afterKey);
      }

      @Override
      public Optional<Map<String, Object>> initial(Entity item) {
        return Optional.of(EntityType.DRIVE_ITEM.render(data.drives().view(drive, item).props(), select, true));
      }

      @Override
      public Optional<Map<String, Object>> changed(long key, List<Change> changes) {
        Optional<Entity> item = store.get(key);
        if (item.isPresent()) {
          return initial(item.get());
        }
        Map<String, Object> deleted = new LinkedHashMap<>();
        deleted.put("id", data.drives().generator().itemId(drive.ref(), key));
        store.tombstone(key).ifPresent(t -> deleted.put("name", t.get("name")));
        deleted.put("parentReference", Map.of("driveId", driveId));
        deleted.put("deleted", Map.of("state", "deleted"));
        return Optional.of(deleted);
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.DRIVE, "Collection(driveItem)");
  }

  // ---- helpers

  /** A delta source over an entity store, enumerating it in key order. */
  private abstract static class StoreSource implements DeltaSource {
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

  private static Map<String, Object> removed(String id, String type, String reason) {
    Map<String, Object> removed = new LinkedHashMap<>();
    if (type != null) {
      removed.put("@odata.type", type);
    }
    removed.put("id", id);
    removed.put("@removed", Map.of("reason", reason));
    return removed;
  }

  private static Map<String, String> selectAndFilter(GraphRequest request) {
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
  private static Filter idFilter(String text, EntityType type) {
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

  private static void refuse(GraphRequest request, Set<String> options) {
    for (Map.Entry<String, String> entry : request.query()) {
      if (options.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
        throw GraphException.badRequest("The query option '" + entry.getKey() + "' is not supported with delta queries.");
      }
    }
  }

  private static int parsePositive(String value, int fallback) {
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

package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.data.Calendars;
import dev.graphgate.emulator.graph.data.Mailboxes;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Filter;
import dev.graphgate.emulator.graph.odata.FilterParser;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.resource.CalendarResources;
import dev.graphgate.emulator.graph.resource.MailResources;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.ChangeType;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Delta of Outlook items: the messages of one mail folder, and a calendar view. */
final class OutlookDelta {
  private static final int PAGE = 10;

  private final DeltaEngine engine;

  OutlookDelta(DeltaEngine engine) {
    this.engine = engine;
  }

  // ---- messages of a folder

  GraphResponse messages(GraphCall call) {
    DeltaSupport.refuse(call.request(), Set.of("$search", "$count", "$skip", "$expand"));
    TenantData data = call.data();
    Entity owner = MailResources.owner(call);
    WellKnownFolder folder = MailResources.folderParam(call, owner);
    String scope = Mailboxes.scope(owner.key(), folder);
    Map<String, String> requested = DeltaSupport.selectAndFilter(call.request());
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
    int pageSize = DeltaEngine.maxPageSize(call.request()).orElse(DeltaSupport.parsePositive(round.options().get("$top"), PAGE));
    DeltaSource source = new DeltaSupport.StoreSource("messages", scope, store, pageSize) {
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
        return Optional.of(DeltaSupport.removed(data.mail().messageId(owner.key(), key), "#microsoft.graph.message", "deleted"));
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.ODATA, "Collection(message)");
  }

  // ---- calendar view

  GraphResponse events(GraphCall call) {
    DeltaSupport.refuse(call.request(), Set.of("$select", "$filter", "$orderby", "$search", "$count", "$skip", "$expand", "$top"));
    TenantData data = call.data();
    Entity owner = MailResources.owner(call);
    String scope = Calendars.scope(owner.key());
    Map<String, String> requested = new LinkedHashMap<>();
    // A link of an earlier page carries the window; a new round, "latest" included, must name it.
    String token = call.request().param("$skiptoken") != null ? call.request().param("$skiptoken") : call.request().param("$deltatoken");
    boolean continuing = token != null && !token.isEmpty() && !token.equalsIgnoreCase("latest");
    if (!continuing) {
      CalendarResources.Window window = CalendarResources.window(call.request());
      requested.put("startDateTime", window.start().toString());
      requested.put("endDateTime", window.end().toString());
    }
    DeltaEngine.Round round = engine.begin(call.request(), data, "events", scope, DeltaEngine.Style.ODATA, requested);
    CalendarResources.Window window = new CalendarResources.Window(
        Instant.parse(round.options().get("startDateTime")), Instant.parse(round.options().get("endDateTime")));
    EntityStore store = data.calendars().events(owner.key());
    int pageSize = DeltaEngine.maxPageSize(call.request()).orElse(PAGE);
    DeltaSource source = new DeltaSupport.StoreSource("events", scope, store, pageSize) {
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
        return Optional.of(DeltaSupport.removed(data.calendars().eventId(owner.key(), key), "#microsoft.graph.event", "deleted"));
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.ODATA, "Collection(event)");
  }

}

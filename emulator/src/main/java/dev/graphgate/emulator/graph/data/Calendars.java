package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.graph.generate.EventGenerator;
import dev.graphgate.emulator.graph.store.ChangeLog;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import dev.graphgate.emulator.graph.store.IdCodec;
import dev.graphgate.emulator.graph.store.IdKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The default calendar of each user, created on first use; one delta scope per calendar. */
public final class Calendars {

  private final EventGenerator generator;
  private final IdCodec ids;
  private final ChangeLog log;
  private final Map<Long, EntityStore> calendars = new ConcurrentHashMap<>();

  Calendars(EventGenerator generator, IdCodec ids, ChangeLog log) {
    this.generator = generator;
    this.ids = ids;
    this.log = log;
  }

  public static String scope(long userKey) {
    return "events/" + userKey;
  }

  public EntityStore events(long userKey) {
    return calendars.computeIfAbsent(
        userKey, u -> new EntityStore(log, e -> scope(u), generator.eventCount(u), k -> generator.event(u, k)));
  }

  public String eventId(long userKey, long key) {
    return ids.outlook(IdKind.EVENT, userKey, key);
  }

  public Optional<Entity> event(long userKey, String id) {
    return ids.fromOutlook(id, IdKind.EVENT).filter(p -> p.owner() == userKey).flatMap(p -> events(userKey).get(p.item()));
  }

  public Entity calendarEntity(long userKey, Entity owner) {
    Map<String, Object> p = new LinkedHashMap<>();
    String id = ids.outlook(IdKind.CALENDAR, userKey, 0);
    p.put("@odata.etag", "W/\"DwAAABYAAAA=\"");
    p.put("id", id);
    p.put("name", "Calendar");
    p.put("color", "auto");
    p.put("hexColor", "");
    p.put("isDefaultCalendar", true);
    p.put("changeKey", "DwAAABYAAAA=");
    p.put("canShare", true);
    p.put("canViewPrivateItems", true);
    p.put("canEdit", true);
    p.put("allowedOnlineMeetingProviders", java.util.List.of("teamsForBusiness"));
    p.put("defaultOnlineMeetingProvider", "teamsForBusiness");
    p.put("isTallyingResponses", true);
    p.put("isRemovable", false);
    p.put("owner", Map.of("name", String.valueOf(owner.get("displayName")), "address", String.valueOf(owner.get("mail"))));
    return new Entity(0, id, p);
  }

  Entity insert(long userKey, Map<String, Object> props) {
    EntityStore store = events(userKey);
    long key = store.newKey();
    String id = eventId(userKey, key);
    Map<String, Object> withId = new LinkedHashMap<>();
    withId.put("@odata.etag", props.get("@odata.etag"));
    withId.put("id", id);
    withId.putAll(props);
    withId.put("id", id);
    return store.insert(new Entity(key, id, withId));
  }

  Entity update(long userKey, Entity current, Map<String, Object> changes) {
    return events(userKey).replace(current, current.with(changes));
  }

  void delete(long userKey, Entity current) {
    events(userKey).remove(current);
  }
}

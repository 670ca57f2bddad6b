package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.generate.EventGenerator;
import dev.graphgate.emulator.graph.generate.Recipients;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.CollectionPages;
import dev.graphgate.emulator.graph.odata.Dialect;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Paging;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.Hashing;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Outlook calendar: the default calendar, events (list, get, create, update, delete) and {@code calendarView}. */
public final class CalendarResources {

  private static final Writable WRITABLE = new Writable("event", properties(), GraphException::outlookBadRequest);
  private static final List<String> FREE_TEXT = List.of("subject", "bodyPreview");
  private static final String CHANGE_KEY_PREFIX = "DwAAABYAAA";
  /** The Windows time zone names Outlook clients send most, by IANA id. */
  private static final Map<String, String> WINDOWS_ZONES = Map.ofEntries(
      Map.entry("pacific standard time", "America/Los_Angeles"), Map.entry("mountain standard time", "America/Denver"),
      Map.entry("central standard time", "America/Chicago"), Map.entry("eastern standard time", "America/New_York"),
      Map.entry("gmt standard time", "Europe/London"), Map.entry("w. europe standard time", "Europe/Berlin"),
      Map.entry("romance standard time", "Europe/Paris"), Map.entry("central europe standard time", "Europe/Budapest"),
      Map.entry("india standard time", "Asia/Kolkata"), Map.entry("china standard time", "Asia/Shanghai"),
      Map.entry("tokyo standard time", "Asia/Tokyo"), Map.entry("aus eastern standard time", "Australia/Sydney"),
      Map.entry("coordinated universal time", "UTC"));

  /** A calendar view's time window. */
  public record Window(Instant start, Instant end) {
    public boolean overlaps(Entity event) {
      Instant s = instant(event, "start");
      Instant e = instant(event, "end");
      return s != null && e != null && s.isBefore(end) && e.isAfter(start);
    }
  }

  public void register(Router router) {
    for (String base : List.of("users/{user}", "users/{user}/calendar")) {
      router.add(Route.of("GET", base + "/events", Permission.CALENDAR_READ, this::list).mailbox("user"));
      router.add(Route.of("POST", base + "/events", Permission.CALENDAR_WRITE, this::create).mailbox("user"));
      router.add(Route.of("GET", base + "/events/{event}", Permission.CALENDAR_READ, this::get).mailbox("user"));
      router.add(Route.of("PATCH", base + "/events/{event}", Permission.CALENDAR_WRITE, this::update).mailbox("user"));
      router.add(Route.of("DELETE", base + "/events/{event}", Permission.CALENDAR_WRITE, this::delete).mailbox("user"));
      router.add(Route.of("GET", base + "/calendarView", Permission.CALENDAR_READ, this::view).mailbox("user"));
    }
    router.add(Route.of("GET", "users/{user}/calendar", Permission.CALENDAR_READ, this::calendar).mailbox("user"));
    router.add(Route.of("GET", "users/{user}/calendars", Permission.CALENDAR_READ, this::calendars).mailbox("user"));
  }

  /** The window of a calendar view request: {@code startDateTime} and {@code endDateTime}, both required. */
  public static Window window(GraphRequest request) {
    String start = request.param("startDateTime");
    String end = request.param("endDateTime");
    if (start == null || end == null) {
      throw new GraphException(400, "ErrorInvalidParameter",
          "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
    }
    Window window = new Window(parse(start), parse(end));
    if (!window.start().isBefore(window.end())) {
      throw new GraphException(400, "ErrorInvalidParameter", "The value of EndDateTime must be later than StartDateTime.");
    }
    return window;
  }

  private static Instant parse(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeException again) {
        throw new GraphException(400, "ErrorInvalidParameter", "'" + value + "' is not a valid date and time, e.g. 2024-05-01T00:00:00Z.");
      }
    }
  }

  static Instant instant(Entity event, String property) {
    if (!(event.get(property) instanceof Map<?, ?> value) || value.get("dateTime") == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(value.get("dateTime").toString()).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private GraphResponse calendar(GraphCall call) {
    Entity owner = MailResources.owner(call);
    Entity calendar = call.data().calendars().calendarEntity(owner.key(), owner);
    return Views.entity(call.request(), 200, "users" + Views.quoted(owner.id()) + "/calendar/$entity", calendar.props());
  }

  private GraphResponse calendars(GraphCall call) {
    Entity owner = MailResources.owner(call);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", call.request().root() + "/$metadata#users" + Views.quoted(owner.id()) + "/calendars");
    body.put("value", List.of(call.data().calendars().calendarEntity(owner.key(), owner).props()));
    return GraphResponse.json(200, body);
  }

  private GraphResponse list(GraphCall call) {
    Entity owner = MailResources.owner(call);
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.EVENT, Dialect.OUTLOOK, Paging.OUTLOOK, FREE_TEXT);
    TenantData data = call.data();
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.OUTLOOK, after -> data.calendars().events(owner.key()).ascending(-1),
        Views.withSelect("users" + Views.quoted(owner.id()) + "/events", options.select()), e -> EntityType.EVENT.render(e.props(), options.select(), true)));
  }

  private GraphResponse view(GraphCall call) {
    Entity owner = MailResources.owner(call);
    Window window = window(call.request());
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.EVENT, Dialect.OUTLOOK, Paging.OUTLOOK, FREE_TEXT);
    TenantData data = call.data();
    CollectionPages.Source source = after -> {
      List<Entity> inWindow = new ArrayList<>();
      for (Iterator<Entity> it = data.calendars().events(owner.key()).ascending(-1); it.hasNext(); ) {
        Entity event = it.next();
        if (window.overlaps(event)) {
          inWindow.add(event);
        }
      }
      return inWindow.iterator();
    };
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.OUTLOOK, source,
        Views.withSelect("users" + Views.quoted(owner.id()) + "/calendarView", options.select()), e -> EntityType.EVENT.render(e.props(), options.select(), true)));
  }

  private Entity event(GraphCall call, Entity owner) {
    return call.data().calendars().event(owner.key(), call.param("event")).orElseThrow(GraphException::outlookItemNotFound);
  }

  private GraphResponse get(GraphCall call) {
    Entity owner = MailResources.owner(call);
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.EVENT);
    return Views.entity(call.request(), 200, "users" + Views.quoted(owner.id()) + "/events/$entity",
        EntityType.EVENT.render(event(call, owner).props(), select, true));
  }

  private GraphResponse create(GraphCall call) {
    Entity owner = MailResources.owner(call);
    TenantData data = call.data();
    Map<String, Object> body = normalizeTimes(WRITABLE.check(GraphJson.readObject(call.request().body())));
    if (body.get("start") == null || body.get("end") == null) {
      throw GraphException.outlookBadRequest("An event needs 'start' and 'end', each {\"dateTime\": ..., \"timeZone\": ...}.");
    }
    String now = data.now();
    Map<String, Object> me = Recipients.address(owner.string("displayName"), owner.string("mail"));
    Map<String, Object> p = new LinkedHashMap<>(Views.outlookStamp(CHANGE_KEY_PREFIX, data, owner.key()));
    p.put("createdDateTime", now);
    p.put("categories", List.of());
    p.put("transactionId", null);
    p.put("originalStartTimeZone", "UTC");
    p.put("originalEndTimeZone", "UTC");
    p.put("iCalUId", "040000008200E00074C5B7101A82E008" + String.format("%016X", Hashing.hash(owner.key(), data.changes().head())));
    p.put("reminderMinutesBeforeStart", 15);
    p.put("isReminderOn", true);
    p.put("hasAttachments", false);
    p.put("subject", "");
    p.put("bodyPreview", "");
    p.put("importance", "normal");
    p.put("sensitivity", "normal");
    p.put("isAllDay", false);
    p.put("isCancelled", false);
    p.put("isOrganizer", true);
    p.put("responseRequested", true);
    p.put("seriesMasterId", null);
    p.put("showAs", "busy");
    p.put("type", "singleInstance");
    p.put("webLink", null);
    p.put("onlineMeetingUrl", null);
    p.put("isOnlineMeeting", false);
    p.put("onlineMeetingProvider", "unknown");
    p.put("allowNewTimeProposals", true);
    p.put("isDraft", false);
    p.put("hideAttendees", false);
    p.put("responseStatus", Map.of("response", "organizer", "time", "0001-01-01T00:00:00Z"));
    p.put("body", Map.of("contentType", "html", "content", ""));
    p.put("location", Map.of("displayName", "", "locationType", "default"));
    p.put("locations", List.of());
    p.put("recurrence", null);
    p.put("attendees", List.of());
    p.put("organizer", me);
    p.put("onlineMeeting", null);
    p.putAll(body);
    if (body.get("body") instanceof Map<?, ?> b && b.get("content") != null) {
      p.put("bodyPreview", Views.plainText(b.get("content").toString()));
    }
    Entity created = data.createEvent(owner, p);
    return Views.entity(call.request(), 201, "users" + Views.quoted(owner.id()) + "/events/$entity", EntityType.EVENT.render(created.props(), null, true));
  }

  private GraphResponse update(GraphCall call) {
    Entity owner = MailResources.owner(call);
    Entity event = event(call, owner);
    Map<String, Object> changes = normalizeTimes(WRITABLE.check(GraphJson.readObject(call.request().body())));
    changes.putAll(Views.outlookStamp(CHANGE_KEY_PREFIX, call.data(), event.key()));
    Entity updated = call.data().updateEvent(owner, event, changes);
    return Views.entity(call.request(), 200, "users" + Views.quoted(owner.id()) + "/events/$entity", EntityType.EVENT.render(updated.props(), null, true));
  }

  private GraphResponse delete(GraphCall call) {
    Entity owner = MailResources.owner(call);
    call.data().deleteEvent(owner, event(call, owner));
    return GraphResponse.empty(204);
  }

  /** Stores start and end in UTC, as Graph returns them without a {@code Prefer: outlook.timezone}. */
  private static Map<String, Object> normalizeTimes(Map<String, Object> body) {
    for (String property : List.of("start", "end")) {
      if (body.get(property) instanceof Map<?, ?> value) {
        Object dateTime = value.get("dateTime");
        Object zone = value.get("timeZone");
        if (!(dateTime instanceof String text)) {
          throw GraphException.outlookBadRequest("'" + property + "' needs a dateTime such as 2024-05-01T09:00:00.");
        }
        ZoneId zoneId;
        try {
          String name = zone == null ? "UTC" : zone.toString();
          zoneId = ZoneId.of(WINDOWS_ZONES.getOrDefault(name.toLowerCase(Locale.ROOT), name.equalsIgnoreCase("UTC") ? "UTC" : name));
        } catch (DateTimeException e) {
          throw GraphException.outlookBadRequest("The time zone '" + zone + "' is not supported by the emulator; use UTC, an IANA zone id such as Europe/Paris, or a common Windows name such as Pacific Standard Time.");
        }
        Instant instant;
        try {
          instant = text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$") ? OffsetDateTime.parse(text).toInstant()
              : LocalDateTime.parse(text).atZone(zoneId).toInstant();
        } catch (DateTimeException e) {
          throw GraphException.outlookBadRequest("'" + text + "' is not a valid dateTime for '" + property + "'.");
        }
        body.put(property, EventGenerator.dateTimeTimeZone(instant));
      }
    }
    return body;
  }

  private static Map<String, Writable.Kind> properties() {
    Map<String, Writable.Kind> p = new LinkedHashMap<>();
    for (String name : List.of("subject", "importance", "sensitivity", "showAs")) {
      p.put(name, Writable.Kind.STRING);
    }
    for (String name : List.of("body", "start", "end", "location", "organizer")) {
      p.put(name, Writable.Kind.OBJECT);
    }
    p.put("attendees", Writable.Kind.LIST);
    p.put("locations", Writable.Kind.LIST);
    p.put("categories", Writable.Kind.STRING_LIST);
    p.put("isAllDay", Writable.Kind.BOOLEAN);
    p.put("isOnlineMeeting", Writable.Kind.BOOLEAN);
    p.put("isReminderOn", Writable.Kind.BOOLEAN);
    p.put("isCancelled", Writable.Kind.BOOLEAN);
    p.put("responseRequested", Writable.Kind.BOOLEAN);
    p.put("reminderMinutesBeforeStart", Writable.Kind.NUMBER);
    return p;
  }
}

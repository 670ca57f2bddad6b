package dev.graphgate.emulator.graph.generate;

import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.IdKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generated calendar events of generated users, spread evenly over 30 days either side of the anchor, in start order. */
public final class EventGenerator {

  private static final long EVENT = 0xE7E7;
  private static final Duration HALF_SPAN = Duration.ofDays(30);

  private final Generation g;
  private final DirectoryGenerator directory;

  public EventGenerator(Generation generation, DirectoryGenerator directory) {
    this.g = generation;
    this.directory = directory;
  }

  public long eventCount(long ownerKey) {
    return ownerKey < directory.userCount() ? g.spec().eventsPerMailbox() : 0;
  }

  public Entity event(long ownerKey, long k) {
    long h = g.hash(EVENT, ownerKey, k);
    long count = Math.max(1, eventCount(ownerKey));
    Instant first = g.anchor().minus(HALF_SPAN).plus(Duration.ofHours(8));
    long slotMinutes = HALF_SPAN.multipliedBy(2).toMinutes() * k / count;
    Instant start = first.plus(Duration.ofMinutes(slotMinutes - slotMinutes % 30));
    Instant end = start.plus(Duration.ofMinutes(30L * (1 + Long.remainderUnsigned(h >>> 3, 3))));
    Entity owner = directory.user(ownerKey);
    Map<String, Object> ownerAddress = Recipients.address(owner.string("displayName"), owner.string("mail"));
    boolean organizer = (h >>> 7 & 3) != 0;
    List<Map<String, Object>> attendees = new ArrayList<>();
    long users = directory.userCount();
    int attendeeCount = 1 + (int) Long.remainderUnsigned(h >>> 9, 3);
    Map<String, Object> organizerAddress = ownerAddress;
    for (int i = 0; i < attendeeCount && users > 1; i++) {
      long other = Long.remainderUnsigned(g.hash(EVENT, h, i), users);
      if (other == ownerKey) {
        continue;
      }
      Entity user = directory.user(other);
      Map<String, Object> address = Recipients.address(user.string("displayName"), user.string("mail"));
      if (!organizer && i == 0) {
        organizerAddress = address;
      }
      attendees.add(attendee(address, "required", i == 0 ? "accepted" : "none"));
    }
    if (!organizer) {
      attendees.add(attendee(ownerAddress, "required", "accepted"));
    }
    String topic = Generation.pick(Names.TOPICS, h >>> 13);
    String subject = Character.toUpperCase(topic.charAt(0)) + topic.substring(1);
    String location = Generation.pick(Names.LOCATIONS, h >>> 17);
    String text = Generation.pick(Names.SENTENCES, h >>> 21);
    String id = g.ids().outlook(IdKind.EVENT, ownerKey, k);
    String changeKey = "DwAAABYAAA" + Long.toHexString(h).toUpperCase(java.util.Locale.ROOT);
    Instant created = start.minus(Duration.ofDays(1 + Long.remainderUnsigned(h >>> 25, 14)));
    boolean online = location.contains("Teams");
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("@odata.etag", "W/\"" + changeKey + "\"");
    p.put("id", id);
    p.put("createdDateTime", Generation.timestamp(created));
    p.put("lastModifiedDateTime", Generation.timestamp(created));
    p.put("changeKey", changeKey);
    p.put("categories", List.of());
    p.put("transactionId", null);
    p.put("originalStartTimeZone", "UTC");
    p.put("originalEndTimeZone", "UTC");
    p.put("iCalUId", "040000008200E00074C5B7101A82E008" + String.format("%016X", h));
    p.put("reminderMinutesBeforeStart", 15);
    p.put("isReminderOn", true);
    p.put("hasAttachments", false);
    p.put("subject", subject);
    p.put("bodyPreview", text);
    p.put("importance", "normal");
    p.put("sensitivity", "normal");
    p.put("isAllDay", false);
    p.put("isCancelled", false);
    p.put("isOrganizer", organizer);
    p.put("responseRequested", true);
    p.put("seriesMasterId", null);
    p.put("showAs", "busy");
    p.put("type", "singleInstance");
    p.put("webLink", "https://outlook.office365.com/owa/?itemid=" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&exvsurl=1&path=/calendar/item");
    p.put("onlineMeetingUrl", null);
    p.put("isOnlineMeeting", online);
    p.put("onlineMeetingProvider", online ? "teamsForBusiness" : "unknown");
    p.put("allowNewTimeProposals", true);
    p.put("isDraft", false);
    p.put("hideAttendees", false);
    p.put("responseStatus", Map.of("response", organizer ? "organizer" : "accepted", "time", "0001-01-01T00:00:00Z"));
    p.put("body", Map.of("contentType", "html", "content", "<html><body><p>" + text + "</p></body></html>"));
    p.put("start", dateTimeTimeZone(start));
    p.put("end", dateTimeTimeZone(end));
    p.put("location", location(location));
    p.put("locations", List.of(location(location)));
    p.put("recurrence", null);
    p.put("attendees", attendees);
    p.put("organizer", organizerAddress);
    p.put("onlineMeeting", null);
    return new Entity(k, id, p);
  }

  public static Map<String, Object> dateTimeTimeZone(Instant instant) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("dateTime", Generation.outlookLocal(instant));
    value.put("timeZone", "UTC");
    return value;
  }

  private static Map<String, Object> location(String name) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("displayName", name);
    value.put("locationType", "default");
    value.put("uniqueIdType", "unknown");
    return value;
  }

  private static Map<String, Object> attendee(Map<String, Object> address, String type, String response) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("type", type);
    value.put("status", Map.of("response", response, "time", "0001-01-01T00:00:00Z"));
    value.putAll(address);
    return value;
  }
}

package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.Json;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.RequiredPermission;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code create-event}: creates an event in a user's default calendar ({@code POST /users/{userId}/events}); Graph
 * sends the invitations to the attendees. {@code start} and {@code end} are date-times in {@code timeZone} (default
 * UTC), or carry their own offset (then {@code timeZone} may only be UTC). The output is the created event's
 * {@code id}, {@code subject}, {@code start}, {@code end}, {@code webLink} and {@code iCalUId}, as Graph gave them.
 */
final class CreateEventAction implements PreBuiltAction {
  static final int MAX_ATTENDEES = 500;
  private static final Pattern TIME_ZONE = Pattern.compile("[A-Za-z0-9 _+\\-/().,]{1,100}");
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final List<String> OUTPUT = List.of("id", "subject", "start", "end", "webLink", "iCalUId");

  @Override
  public String name() {
    return "create-event";
  }

  @Override
  public RequiredPermission permission() {
    return RequiredPermission.anyOf("Calendars.ReadWrite");
  }

  @Override
  public Set<String> fields() {
    return Set.of("userId", "subject", "start", "end", "timeZone", "body", "bodyType", "location", "attendees");
  }

  @Override
  public Prepared prepare(ActionInput in, String graphOrigin) {
    String user = in.requiredId("userId");
    String subject = in.requiredString("subject", 1, 255);
    String startText = in.requiredString("start", 1, 64);
    String endText = in.requiredString("end", 1, 64);
    String zone = in.string("timeZone", 1, 100).orElse(null);
    if (zone != null && !TIME_ZONE.matcher(zone).matches()) {
      in.error(FieldError.Kind.INVALID_STRING, "Invalid time zone: expected a Windows or IANA time zone name such as UTC, Europe/Paris or Pacific Standard Time", "timeZone");
    }
    String body = in.string("body", 0, SendMailAction.MAX_BODY).orElse(null);
    String type = in.oneOf("bodyType", List.of("text", "html")).orElse("text");
    String location = in.string("location", 1, 255).orElse(null);
    List<String> attendees = in.emails("attendees", 0, MAX_ATTENDEES);
    Time start = time(in, "start", startText);
    Time end = time(in, "end", endText);
    boolean offsets = (start != null && start.hadOffset) || (end != null && end.hadOffset);
    if (offsets && zone != null && !zone.equalsIgnoreCase("UTC")) {
      in.error(FieldError.Kind.INVALID_VALUE, "A date-time with an offset is taken in UTC: leave timeZone out, or give start and end without an offset",
          "timeZone");
    }
    if (start != null && end != null && !end.local.isAfter(start.local)) {
      in.error(FieldError.Kind.INVALID_VALUE, "The event must end after it starts", "end");
    }
    if (in.hasErrors()) {
      return null;
    }
    String timeZone = offsets ? "UTC" : zone == null ? "UTC" : zone;
    ObjectNode event = Json.object();
    event.put("subject", subject);
    event.putObject("start").put("dateTime", LOCAL.format(start.local)).put("timeZone", timeZone);
    event.putObject("end").put("dateTime", LOCAL.format(end.local)).put("timeZone", timeZone);
    if (body != null) {
      event.putObject("body").put("contentType", type.equals("html") ? "HTML" : "Text").put("content", body);
    }
    if (location != null) {
      event.putObject("location").put("displayName", location);
    }
    if (!attendees.isEmpty()) {
      var list = event.putArray("attendees");
      attendees.forEach(a -> {
        ObjectNode attendee = list.addObject();
        attendee.putObject("emailAddress").put("address", a);
        attendee.put("type", "required");
      });
    }
    return new Prepared(GraphWrite.json("POST", GraphPaths.user(user) + "/events", Json.write(event).getBytes(StandardCharsets.UTF_8)),
        applied -> pick(applied.body().orElse(null), OUTPUT));
  }

  /** A date-time as Graph takes it (local, in the event's zone); {@code hadOffset}: it was given with one and is now in UTC. */
  private record Time(LocalDateTime local, boolean hadOffset) {}

  private static Time time(ActionInput in, String key, String text) {
    if (text == null) {
      return null;
    }
    try {
      return new Time(LocalDateTime.parse(text), false);
    } catch (DateTimeParseException e) {
      try {
        return new Time(OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), true);
      } catch (DateTimeParseException e2) {
        in.error(FieldError.Kind.INVALID_STRING, "Invalid date-time: expected ISO 8601 such as 2025-03-14T10:00:00 (in timeZone) or 2025-03-14T10:00:00Z", key);
        return null;
      }
    }
  }

  /** The named fields of Graph's answer, those it gave. */
  static ObjectNode pick(JsonNode answer, List<String> fields) {
    ObjectNode out = Json.object();
    if (answer != null) {
      for (String f : fields) {
        if (answer.has(f)) {
          out.set(f, answer.get(f).deepCopy());
        }
      }
    }
    return out;
  }
}

package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code events} → model {@code Event}: each mailbox's calendar over a window around now, one delta stream per mailbox
 * ({@code /users/{id}/calendarView/delta}). The window is set when a stream's full round starts (its delta link keeps
 * it): {@value #PAST_DAYS} days back and {@value #FUTURE_DAYS} ahead in the connection's metadata, by default
 * {@value #DEFAULT_PAST_DAYS} and {@value #DEFAULT_FUTURE_DAYS}, from midnight UTC. An event leaving the window is
 * removed from the stream. A record's id is {@code {mailbox}/{Graph's id}}. Graph's calendar view delta takes no
 * {@code $select}, so the model picks its fields from the whole event.
 */
public final class EventsSync implements MailboxSync {
  public static final String PAST_DAYS = "calendarPastDays";
  public static final String FUTURE_DAYS = "calendarFutureDays";
  public static final int DEFAULT_PAST_DAYS = 30;
  public static final int DEFAULT_FUTURE_DAYS = 180;
  /** Each side of the window is at most this long (Graph's calendar view spans up to about five years in total). */
  static final int MAX_DAYS = 1825;
  /** Graph's event properties the model keeps, under their Graph names. */
  public static final List<String> GRAPH_FIELDS = List.of("subject", "bodyPreview", "start", "end", "isAllDay", "isCancelled", "showAs",
      "type", "seriesMasterId", "location", "organizer", "attendees", "importance", "sensitivity", "categories", "isOnlineMeeting",
      "onlineMeetingUrl", "webLink", "iCalUId", "createdDateTime", "lastModifiedDateTime");

  @Override
  public String name() {
    return "events";
  }

  @Override
  public String model() {
    return "Event";
  }

  @Override
  public String permission() {
    return "Calendars.Read";
  }

  @Override
  public List<String> satisfiedBy() {
    return List.of("Calendars.Read", "Calendars.ReadWrite");
  }

  @Override
  public List<SyncStream> streams(String mailbox, JsonNode metadata, Instant now) {
    Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
    Instant start = midnight.minus(Duration.ofDays(days(metadata, PAST_DAYS, DEFAULT_PAST_DAYS)));
    Instant end = midnight.plus(Duration.ofDays(days(metadata, FUTURE_DAYS, DEFAULT_FUTURE_DAYS)));
    return List.of(new SyncStream(mailbox, mailbox, null, "/v1.0/users/" + URLEncoder.encode(mailbox, StandardCharsets.UTF_8)
        + "/calendarView/delta?startDateTime=" + start + "&endDateTime=" + end));
  }

  /** The mailbox's calendar: Graph answers 404 for a user without an Exchange mailbox. */
  @Override
  public Optional<String> probe(SyncStream stream) {
    return Optional.of("/users/" + URLEncoder.encode(stream.mailbox(), StandardCharsets.UTF_8) + "/calendar?$select=id");
  }

  @Override
  public Optional<String> metadataProblem(JsonNode metadata) {
    for (String key : List.of(PAST_DAYS, FUTURE_DAYS)) {
      JsonNode v = metadata.get(key);
      if (v != null && !(v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= 0 && v.asInt() <= MAX_DAYS)) {
        return Optional.of("The connection metadata '" + key + "' must be a whole number of days from 0 to " + MAX_DAYS + ".");
      }
    }
    return MailboxSync.super.metadataProblem(metadata);
  }

  private static int days(JsonNode metadata, String key, int fallback) {
    JsonNode v = metadata.get(key);
    return v != null && v.isIntegralNumber() ? v.asInt() : fallback;
  }

  @Override
  public ObjectNode toRecord(SyncStream stream, JsonNode item) {
    ObjectNode r = Json.object();
    r.put("id", stream.recordId(item.path("id").asText()));
    r.put("eventId", item.path("id").asText());
    r.put("mailbox", stream.mailbox());
    for (String field : GRAPH_FIELDS) {
      JsonNode v = item.get(field);
      r.set(field, v == null ? Json.MAPPER.nullNode() : v.deepCopy());
    }
    return r;
  }
}

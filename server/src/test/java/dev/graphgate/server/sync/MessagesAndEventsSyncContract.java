package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code messages} and {@code events} syncs end to end, against the emulator's Graph over real HTTP: one delta
 * stream per mail folder and per calendar of every mailbox; the first run equals the emulator's ground truth, an
 * incremental run reports exactly the changes made, an expired delta link and injected faults still end at ground
 * truth, the {@code mailboxes} metadata narrows the sync, and {@code PATCH /records/prune} empties what it should. The
 * tests run in order on one tenant whose state each leaves for the next. Subclasses pick the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MessagesAndEventsSyncContract {
  private static final int USERS = 7;

  @TempDir static Path dataDir;
  static SyncRig rig;
  static TestDatabase db;
  private static int created;

  static void startOn(TestDatabase database) {
    db = database;
    // Events are spread 30 days either side of the anchor: today's, so they fall in the sync's default window.
    rig = SyncRig.start(dataDir, db, """
        {"users": %d, "groups": 1, "membersPerGroup": 2, "messagesPerMailbox": 13, "eventsPerMailbox": 6, "anchorDate": "%s"}"""
        .formatted(USERS, LocalDate.now(ZoneOffset.UTC)), b -> b);
  }

  @AfterAll
  static void stop() {
    try {
      if (rig != null) {
        rig.close();
      }
    } finally {
      db.close();
    }
  }

  @Test
  @Order(1)
  void theFirstRunsEqualGroundTruthOneRecordPerMessageOfEveryFolderAndPerEventOfEveryMailbox() {
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"messages\",\"events\"]}"), 200);

    JsonNode messages = rig.awaitRunAfter(SyncRig.CONNECTION, "messages", null);
    assertThat(messages.path("status").asText()).as(messages.toString()).isEqualTo("SUCCESS");
    assertThat(messages.path("type").asText()).isEqualTo("INITIAL");
    Map<String, String> truth = messagesTruth();
    assertThat(truth).hasSize(USERS * 13);
    assertThat(messages.path("latestResult").path("Message").toString()).isEqualTo("{\"added\":" + truth.size() + ",\"updated\":0,\"deleted\":0}");
    assertThat(messages.path("recordCount").path("Message").asLong()).isEqualTo(truth.size());
    assertMessagesEqualGroundTruth();

    JsonNode events = rig.awaitRunAfter(SyncRig.CONNECTION, "events", null);
    assertThat(events.path("status").asText()).as(events.toString()).isEqualTo("SUCCESS");
    Map<String, String> eventTruth = eventsTruth();
    assertThat(eventTruth).hasSize(USERS * 6);
    assertThat(events.path("latestResult").path("Event").toString()).isEqualTo("{\"added\":" + eventTruth.size() + ",\"updated\":0,\"deleted\":0}");
    assertEventsEqualGroundTruth();
    assertThat(rig.allRecords("Message", "").stream().map(r -> r.path("_nango_metadata").path("last_action").asText()).distinct())
        .containsExactly("ADDED");
  }

  @Test
  @Order(2)
  void anIncrementalRunReportsExactlyTheChangesOfEveryStreamAndRecordsShowThemWithTheirLastAction() {
    List<JsonNode> before = rig.allRecords("Message", "");
    String cursor = before.get(before.size() - 1).path("_nango_metadata").path("cursor").asText();
    List<String> users = users();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(createMessage(users.get(0), "inbox"), "ADDED");
    expected.put(createMessage(users.get(3), "drafts"), "ADDED");
    JsonNode changed = before.get(4);
    rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + changed.path("mailbox").asText() + "/messages/" + changed.path("messageId").asText(),
        "{\"isRead\": " + !changed.path("isRead").asBoolean() + "}"), 200);
    expected.put(changed.path("id").asText(), "UPDATED");
    JsonNode deleted = before.get(20);
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + deleted.path("mailbox").asText() + "/messages/" + deleted.path("messageId").asText(), null), 204);
    expected.put(deleted.path("id").asText(), "DELETED");

    JsonNode run = rig.runNow("messages", false);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    assertThat(run.path("type").asText()).isEqualTo("INCREMENTAL");
    assertThat(run.path("latestResult").path("Message").toString()).isEqualTo("{\"added\":2,\"updated\":1,\"deleted\":1}");
    Map<String, String> seen = new LinkedHashMap<>();
    rig.allRecords("Message", "cursor=" + cursor).forEach(r -> seen.put(r.path("id").asText(), r.path("_nango_metadata").path("last_action").asText()));
    assertThat(seen).containsExactlyInAnyOrderEntriesOf(expected);
    assertMessagesEqualGroundTruth();

    List<JsonNode> events = rig.allRecords("Event", "");
    String eventCursor = events.get(events.size() - 1).path("_nango_metadata").path("cursor").asText();
    Map<String, String> expectedEvents = new LinkedHashMap<>();
    expectedEvents.put(createEvent(users.get(1)), "ADDED");
    JsonNode moved = events.get(2);
    rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + moved.path("mailbox").asText() + "/events/" + moved.path("eventId").asText(),
        "{\"subject\": \"Moved by the sync test\"}"), 200);
    expectedEvents.put(moved.path("id").asText(), "UPDATED");
    JsonNode cancelled = events.get(9);
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + cancelled.path("mailbox").asText() + "/events/" + cancelled.path("eventId").asText(), null), 204);
    expectedEvents.put(cancelled.path("id").asText(), "DELETED");

    JsonNode eventRun = rig.runNow("events", false);
    assertThat(eventRun.path("status").asText()).as(eventRun.toString()).isEqualTo("SUCCESS");
    assertThat(eventRun.path("latestResult").path("Event").toString()).isEqualTo("{\"added\":1,\"updated\":1,\"deleted\":1}");
    Map<String, String> seenEvents = new LinkedHashMap<>();
    rig.allRecords("Event", "cursor=" + eventCursor).forEach(r -> seenEvents.put(r.path("id").asText(), r.path("_nango_metadata").path("last_action").asText()));
    assertThat(seenEvents).containsExactlyInAnyOrderEntriesOf(expectedEvents);
    assertEventsEqualGroundTruth();

    assertThat(rig.runNow("messages", false).path("latestResult").path("Message").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");
    assertThat(rig.runNow("events", false).path("latestResult").path("Event").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");
  }

  @Test
  @Order(3)
  void expiredDeltaLinksFallBackToFullRoundsOfEachStreamThatStillSeeDeletions() {
    List<JsonNode> messages = new ArrayList<>(rig.liveRecords("Message").values());
    rig.expireDeltaLinks();
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + messages.get(7).path("mailbox").asText() + "/messages/"
        + messages.get(7).path("messageId").asText(), null), 204);
    createMessage(users().get(2), "sentitems");
    JsonNode events = rig.liveRecords("Event").values().iterator().next();
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + events.path("mailbox").asText() + "/events/" + events.path("eventId").asText(), null), 204);

    JsonNode run = rig.runNow("messages", false);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    assertThat(run.path("latestResult").path("Message").toString()).isEqualTo("{\"added\":1,\"updated\":0,\"deleted\":1}");
    assertMessagesEqualGroundTruth();
    JsonNode eventRun = rig.runNow("events", false);
    assertThat(eventRun.path("status").asText()).as(eventRun.toString()).isEqualTo("SUCCESS");
    assertThat(eventRun.path("latestResult").path("Event").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":1}");
    assertEventsEqualGroundTruth();
  }

  @Test
  @Order(4)
  void withTwentyPercentFaultsAndThrottlingTheRunsStillEndAtGroundTruth() {
    rig.emulator.faults("{\"rates\": {\"SERVICE_UNAVAILABLE\": 0.1, \"GATEWAY_TIMEOUT\": 0.05, \"CONNECTION_RESET\": 0.05}, \"seed\": 11}");
    rig.emulator.throttling("{\"appTenant\": {\"requests\": 4, \"windowSeconds\": 1}}");
    try {
      List<String> users = users();
      createMessage(users.get(5), "inbox");
      createEvent(users.get(6));
      JsonNode run = rig.runNow("messages", false);
      assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
      assertThat(run.path("latestResult").path("Message").toString()).isEqualTo("{\"added\":1,\"updated\":0,\"deleted\":0}");
      JsonNode full = rig.runNow("events", true);
      assertThat(full.path("status").asText()).as(full.toString()).isEqualTo("SUCCESS");
      assertThat(full.path("type").asText()).isEqualTo("INITIAL");
      assertThat(full.path("latestResult").path("Event").toString()).isEqualTo("{\"added\":1,\"updated\":0,\"deleted\":0}");
      assertThat(rig.emulator.graphAnswers(429) + rig.emulator.graphAnswers(503) + rig.emulator.graphAnswers(504)).isPositive();
    } finally {
      rig.emulator.faults(null);
      rig.emulator.throttling(null);
    }
    assertMessagesEqualGroundTruth();
    assertEventsEqualGroundTruth();
  }

  @Test
  @Order(5)
  void withoutThePermissionsTheSyncsGetPermissionMissingNamingWhatToGrant() {
    ApiClient.Response events = rig.trigger(SyncRig.BARE_CONNECTION, "events");
    rig.assertPermissionMissing(events, "Calendars.Read", "/adminconsent?");
    // fabrikam granted Mail.Read, but listing its mailboxes needs a directory permission, or the mailboxes metadata.
    ApiClient.Response messages = rig.trigger(SyncRig.BARE_CONNECTION, "messages");
    rig.assertPermissionMissing(messages, "User.ReadBasic.All", "'mailboxes'");

    JsonNode scheduled = rig.awaitRunAfter(SyncRig.BARE_CONNECTION, "events", null);
    assertThat(scheduled.path("status").asText()).isEqualTo("ERROR");
    assertThat(scheduled.path("error").path("code").asText()).isEqualTo("permission_missing");
    assertThat(rig.records(SyncRig.BARE_CONNECTION, "model=Event").json().path("records").size()).isZero();
  }

  @Test
  @Order(6)
  void theMailboxesMetadataNarrowsTheSyncAndTheRecordsOfStreamsNoLongerReadAreDeleted() {
    String kept = users().get(1);
    // A folder Graph does not know (404) is skipped, the run goes on.
    setMetadata("{\"mailboxes\": [\"" + kept + "\"], \"mailFolders\": [\"inbox\", \"nosuchfolder\"]}");
    try {
      long before = rig.liveRecords("Message").size();
      Map<String, String> truth = messagesTruth(List.of(kept), List.of("inbox"));
      JsonNode run = rig.runNow("messages", false);
      assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
      assertThat(run.path("latestResult").path("Message").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":" + (before - truth.size()) + "}");
      Map<String, String> got = new LinkedHashMap<>();
      rig.liveRecords("Message").forEach((id, r) -> got.put(id, messageFields(r)));
      assertThat(got).containsExactlyInAnyOrderEntriesOf(truth);

      setMetadata("{\"mailboxes\": \"" + kept + "\"}");
      JsonNode refused = rig.runNow("messages", false);
      assertThat(refused.path("status").asText()).isEqualTo("ERROR");
      assertThat(refused.path("error").path("code").asText()).isEqualTo("invalid_metadata");
      assertThat(refused.path("error").path("message").asText()).contains("'mailboxes'");
    } finally {
      setMetadata("{}");
    }
    JsonNode back = rig.runNow("messages", false);
    assertThat(back.path("status").asText()).as(back.toString()).isEqualTo("SUCCESS");
    assertMessagesEqualGroundTruth();
  }

  @Test
  @Order(7)
  void pruneEmptiesThePayloadsUpToTheCursorInBatchesAndKeepsTheMetadata() {
    List<JsonNode> all = rig.allRecords("Event", "");
    String until = all.get(4).path("_nango_metadata").path("cursor").asText();
    JsonNode first = prune("{\"model\": \"Event\", \"until_cursor\": \"" + until + "\", \"limit\": 3}", 200).json();
    assertThat(first.toString()).isEqualTo("{\"count\":3,\"has_more\":true}");
    assertThat(prune("{\"model\": \"Event\", \"until_cursor\": \"" + until + "\", \"limit\": 3}", 200).json().toString())
        .isEqualTo("{\"count\":2,\"has_more\":false}");
    assertThat(prune("{\"model\": \"Event\", \"until_cursor\": \"" + until + "\"}", 200).json().toString()).isEqualTo("{\"count\":0,\"has_more\":false}");

    List<JsonNode> after = rig.allRecords("Event", "");
    assertThat(after).hasSameSizeAs(all);
    for (int i = 0; i < after.size(); i++) {
      JsonNode r = after.get(i);
      assertThat(r.path("id").asText()).isEqualTo(all.get(i).path("id").asText());
      assertThat(r.path("_nango_metadata").path("last_action").asText()).isEqualTo(all.get(i).path("_nango_metadata").path("last_action").asText());
      if (i <= 4) {
        assertThat(r.path("_nango_metadata").path("pruned_at").isTextual()).as("record " + i).isTrue();
        assertThat(r.has("subject")).isFalse();
      } else {
        assertThat(r.path("_nango_metadata").path("pruned_at").isNull()).as("record " + i).isTrue();
        assertThat(r).isEqualTo(all.get(i));
      }
    }

    // A pruned event that changes holds its new state again.
    JsonNode pruned = after.stream().filter(r -> !r.path("_nango_metadata").path("last_action").asText().equals("DELETED")).findFirst().orElseThrow();
    String[] parts = pruned.path("id").asText().split("/", 2);
    rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + parts[0] + "/events/" + parts[1], "{\"subject\": \"After the prune\"}"), 200);
    assertThat(rig.runNow("events", false).path("latestResult").path("Event").toString()).isEqualTo("{\"added\":0,\"updated\":1,\"deleted\":0}");
    JsonNode again = rig.allRecords("Event", "ids=" + URLEncoder.encode(pruned.path("id").asText(), StandardCharsets.UTF_8)).get(0);
    assertThat(again.path("subject").asText()).isEqualTo("After the prune");
    assertThat(again.path("_nango_metadata").path("pruned_at").isNull()).isTrue();
  }

  @Test
  @Order(8)
  void pruneRefusesBadInputWithACodeAndChangesNothing() {
    List<JsonNode> all = rig.allRecords("Message", "");
    String cursor = all.get(all.size() - 1).path("_nango_metadata").path("cursor").asText();
    ApiClient.Response noHeaders = rig.api().send(rig.api().request("/records/prune").header("Content-Type", "application/json")
        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"Message\",\"until_cursor\":\"" + cursor + "\"}")));
    assertThat(noHeaders.status()).isEqualTo(400);
    assertThat(noHeaders.code()).isEqualTo("invalid_headers");
    assertThat(prune("{\"model\": \"Message\"}", 400).code()).isEqualTo("invalid_body");
    assertThat(prune("{\"model\": \"Message\", \"until_cursor\": \"not-a-cursor\"}", 400).body()).contains("until_cursor");
    assertThat(prune("{\"model\": \"Message\", \"until_cursor\": \"" + cursor + "\", \"limit\": 0}", 400).body()).contains("limit");
    assertThat(prune("{\"model\": \"Message\", \"until_cursor\": \"" + cursor + "\", \"limit\": 10001}", 400).body()).contains("limit");
    assertThat(prune("{\"model\": \"message\", \"until_cursor\": \"" + cursor + "\"}", 400).body()).contains("model");
    assertThat(prune("{\"model\": \"Message\", \"until_cursor\": \"" + cursor + "\", \"extra\": 1}", 400).body()).contains("extra");
    ApiClient.Response unknown = rig.api().send(rig.api().request("/records/prune").header("Connection-Id", "nobody")
        .header("Provider-Config-Key", SyncRig.INTEGRATION).header("Content-Type", "application/json")
        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"Message\",\"until_cursor\":\"" + cursor + "\"}")));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo("unknown_connection");
    assertThat(rig.allRecords("Message", "")).isEqualTo(all);
  }

  @Test
  @Order(9)
  void theCalendarWindowComesFromTheMetadataWhenAStreamsFullRoundStarts() {
    setMetadata("{\"calendarPastDays\": 0, \"calendarFutureDays\": 10}");
    try {
      JsonNode run = rig.runNow("events", true);
      assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
      Map<String, String> truth = eventsTruth(0, 10);
      assertThat(truth).isNotEmpty().hasSizeLessThan(eventsTruth().size());
      assertEventsEqual(truth);

      setMetadata("{\"calendarPastDays\": -1}");
      JsonNode refused = rig.runNow("events", false);
      assertThat(refused.path("status").asText()).isEqualTo("ERROR");
      assertThat(refused.path("error").path("code").asText()).isEqualTo("invalid_metadata");
      assertThat(refused.path("error").path("message").asText()).contains("'calendarPastDays'");
    } finally {
      setMetadata("{}");
    }
    assertThat(rig.runNow("events", true).path("status").asText()).isEqualTo("SUCCESS");
    assertEventsEqualGroundTruth();
  }

  // ---- helpers

  private static ApiClient.Response prune(String body, int status) {
    return rig.expect(rig.api().send(rig.api().request("/records/prune").header("Connection-Id", SyncRig.CONNECTION)
        .header("Provider-Config-Key", SyncRig.INTEGRATION).header("Content-Type", "application/json")
        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body))), status);
  }

  private static void setMetadata(String metadata) {
    rig.expect(rig.api().post("/connection/metadata", """
        {"connection_id":"%s","provider_config_key":"%s","metadata":%s}""".formatted(SyncRig.CONNECTION, SyncRig.INTEGRATION, metadata)), 201);
  }

  /** The ids of the tenant's users with a mailbox. */
  private static List<String> users() {
    return rig.groundTruth("/v1.0/users?$top=999&$select=id,mail").stream().filter(u -> u.path("mail").isTextual()).map(u -> u.path("id").asText())
        .sorted().toList();
  }

  private static String createMessage(String user, String folder) {
    created++;
    JsonNode m = rig.expect(rig.graphAdmin("POST", "/v1.0/users/" + user + "/mailFolders/" + folder + "/messages", """
        {"subject": "Sync test %d", "body": {"contentType": "Text", "content": "Hello"},
         "toRecipients": [{"emailAddress": {"address": "someone@example.com"}}]}""".formatted(created)), 201).json();
    return user + "/" + folder + "/" + m.path("id").asText();
  }

  private static String createEvent(String user) {
    created++;
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(2));
    JsonNode e = rig.expect(rig.graphAdmin("POST", "/v1.0/users/" + user + "/events", """
        {"subject": "Sync test %d", "start": {"dateTime": "%s", "timeZone": "UTC"}, "end": {"dateTime": "%s", "timeZone": "UTC"}}"""
        .formatted(created, start.toString().replace("Z", ""), start.plus(Duration.ofHours(1)).toString().replace("Z", ""))), 201).json();
    return user + "/" + e.path("id").asText();
  }

  private static Map<String, String> messagesTruth() {
    return messagesTruth(users(), MessagesSync.DEFAULT_FOLDERS);
  }

  private static Map<String, String> messagesTruth(List<String> users, List<String> folders) {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String user : users) {
      for (String folder : folders) {
        for (JsonNode m : rig.groundTruth("/v1.0/users/" + user + "/mailFolders/" + folder + "/messages?$top=999&$select="
            + String.join(",", MessagesSync.GRAPH_FIELDS))) {
          var o = Json.object();
          o.put("messageId", m.path("id").asText());
          o.put("mailbox", user);
          o.put("folder", folder);
          o.setAll(pick(m, MessagesSync.GRAPH_FIELDS));
          expected.put(user + "/" + folder + "/" + m.path("id").asText(), Json.write(o));
        }
      }
    }
    return expected;
  }

  private static void assertMessagesEqualGroundTruth() {
    Map<String, String> got = new LinkedHashMap<>();
    rig.liveRecords("Message").forEach((id, r) -> got.put(id, messageFields(r)));
    assertThat(got).containsExactlyInAnyOrderEntriesOf(messagesTruth());
  }

  private static String messageFields(JsonNode r) {
    var o = Json.object();
    o.set("messageId", r.path("messageId"));
    o.set("mailbox", r.path("mailbox"));
    o.set("folder", r.path("folder"));
    o.setAll(pick(r, MessagesSync.GRAPH_FIELDS));
    return Json.write(o);
  }

  private static Map<String, String> eventsTruth() {
    return eventsTruth(EventsSync.DEFAULT_PAST_DAYS, EventsSync.DEFAULT_FUTURE_DAYS);
  }

  private static Map<String, String> eventsTruth(int pastDays, int futureDays) {
    Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS);
    String window = "startDateTime=" + midnight.minus(Duration.ofDays(pastDays)) + "&endDateTime=" + midnight.plus(Duration.ofDays(futureDays));
    Map<String, String> expected = new LinkedHashMap<>();
    for (String user : users()) {
      for (JsonNode e : rig.groundTruth("/v1.0/users/" + user + "/calendarView?" + window + "&$top=999")) {
        var o = Json.object();
        o.put("eventId", e.path("id").asText());
        o.put("mailbox", user);
        o.setAll(pick(e, EventsSync.GRAPH_FIELDS));
        expected.put(user + "/" + e.path("id").asText(), Json.write(o));
      }
    }
    return expected;
  }

  private static void assertEventsEqualGroundTruth() {
    assertEventsEqual(eventsTruth());
  }

  /** The live events are those of {@code truth}, with its fields unless pruned (a pruned record that did not change stays pruned). */
  private static void assertEventsEqual(Map<String, String> truth) {
    Map<String, String> got = liveEvents(truth);
    assertThat(got).containsExactlyInAnyOrderEntriesOf(truth);
  }

  private static Map<String, String> liveEvents(Map<String, String> truth) {
    Map<String, String> got = new LinkedHashMap<>();
    rig.liveRecords("Event").forEach((id, r) -> {
      if (r.path("_nango_metadata").path("pruned_at").isTextual()) {
        assertThat(r.has("subject")).isFalse();
        got.put(id, truth.getOrDefault(id, "pruned, and not in ground truth"));
        return;
      }
      var o = Json.object();
      o.set("eventId", r.path("eventId"));
      o.set("mailbox", r.path("mailbox"));
      o.setAll(pick(r, EventsSync.GRAPH_FIELDS));
      got.put(id, Json.write(o));
    });
    return got;
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode pick(JsonNode item, List<String> fields) {
    var o = Json.object();
    for (String f : fields) {
      JsonNode v = item.get(f);
      o.set(f, v == null ? Json.MAPPER.nullNode() : v);
    }
    return o;
  }
}

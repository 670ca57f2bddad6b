package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code users} and {@code groups} syncs end to end, against the emulator's Graph over real HTTP: the first run
 * equals the emulator's ground truth, an incremental run reports exactly the changes made, an expired delta link and
 * injected faults and throttling still end at ground truth. The tests run in order on one tenant whose state each
 * leaves for the next; each compares with ground truth on its own. Subclasses pick the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class UsersAndGroupsSyncContract {
  private static final String DATA = """
      {"users": 230, "groups": 6, "membersPerGroup": 40, "anchorDate": "2025-03-14"}""";

  @TempDir static Path dataDir;
  static SyncRig rig;
  static TestDatabase db;
  private static int created;

  static void startOn(TestDatabase database) {
    db = database;
    rig = SyncRig.start(dataDir, db, DATA, b -> b);
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
  void enablingTheSyncsRunsThemAndTheFirstRunEqualsGroundTruth() {
    ApiClient.Response enabled = rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\",\"groups\"]}"), 200);
    assertThat(enabled.json().path("syncs").findValuesAsText("name")).contains("users", "groups");

    JsonNode users = rig.awaitRunAfter(SyncRig.CONNECTION, "users", null);
    assertThat(users.path("status").asText()).as(users.toString()).isEqualTo("SUCCESS");
    assertThat(users.path("type").asText()).isEqualTo("INITIAL");
    assertThat(users.path("latestResult").path("User").path("added").asLong()).isEqualTo(230);
    assertThat(users.path("latestResult").path("User").path("updated").asLong()).isZero();
    assertThat(users.path("latestResult").path("User").path("deleted").asLong()).isZero();
    assertThat(users.path("recordCount").path("User").asLong()).isEqualTo(230);
    assertThat(users.path("frequency").asText()).isEqualTo("every hour");
    assertThat(users.path("nextScheduledSyncAt").isTextual()).isTrue();
    assertUsersEqualGroundTruth();

    JsonNode groups = rig.awaitRunAfter(SyncRig.CONNECTION, "groups", null);
    assertThat(groups.path("status").asText()).as(groups.toString()).isEqualTo("SUCCESS");
    assertGroupsEqualGroundTruth();
    assertThat(rig.allRecords("User", "").stream().map(r -> r.path("_nango_metadata").path("last_action").asText()).distinct())
        .containsExactly("ADDED");
  }

  @Test
  @Order(2)
  void anIncrementalRunReportsExactlyTheChangesAndRecordsShowThemWithTheirLastAction() {
    List<JsonNode> before = rig.allRecords("User", "");
    String cursor = before.get(before.size() - 1).path("_nango_metadata").path("cursor").asText();
    List<String> ids = before.stream().map(r -> r.path("id").asText()).toList();

    List<String> added = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      added.add(createUser().path("id").asText());
    }
    for (String id : ids.subList(0, 2)) {
      rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + id, "{\"jobTitle\":\"Changed " + id.substring(0, 4) + "\"}"), 204);
    }
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + ids.get(5), null), 204);

    JsonNode run = rig.runNow("users", false);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    assertThat(run.path("type").asText()).isEqualTo("INCREMENTAL");
    assertThat(run.path("latestResult").path("User").path("added").asLong()).isEqualTo(3);
    assertThat(run.path("latestResult").path("User").path("updated").asLong()).isEqualTo(2);
    assertThat(run.path("latestResult").path("User").path("deleted").asLong()).isEqualTo(1);

    Map<String, String> changed = new LinkedHashMap<>();
    rig.allRecords("User", "cursor=" + cursor).forEach(r -> changed.put(r.path("id").asText(), r.path("_nango_metadata").path("last_action").asText()));
    Map<String, String> expected = new LinkedHashMap<>();
    added.forEach(id -> expected.put(id, "ADDED"));
    ids.subList(0, 2).forEach(id -> expected.put(id, "UPDATED"));
    expected.put(ids.get(5), "DELETED");
    assertThat(changed).isEqualTo(expected);
    JsonNode deleted = rig.allRecords("User", "ids=" + ids.get(5)).get(0);
    assertThat(deleted.path("_nango_metadata").path("deleted_at").isTextual()).isTrue();
    assertUsersEqualGroundTruth();

    JsonNode again = rig.runNow("users", false);
    assertThat(again.path("latestResult").path("User").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");
  }

  @Test
  @Order(3)
  void everyFilterCombinationReturnsExactlyTheRecordsWithThoseLastActions() {
    List<JsonNode> all = rig.allRecords("User", "");
    assertThat(all.stream().map(r -> r.path("_nango_metadata").path("last_action").asText()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("ADDED", "UPDATED", "DELETED");
    List<List<String>> combinations = List.of(List.of("added"), List.of("updated"), List.of("deleted"), List.of("added", "updated"),
        List.of("updated", "deleted"), List.of("added", "deleted"), List.of("added", "updated", "deleted"));
    for (List<String> filter : combinations) {
      Set<String> actions = filter.stream().map(String::toUpperCase).collect(Collectors.toSet());
      List<String> expected = all.stream().filter(r -> actions.contains(r.path("_nango_metadata").path("last_action").asText()))
          .map(r -> r.path("id").asText()).toList();
      List<String> got = rig.allRecords("User", "filter=" + String.join(",", filter).toUpperCase()).stream().map(r -> r.path("id").asText()).toList();
      assertThat(got).as("filter=" + filter).isEqualTo(expected).isNotEmpty();
    }
  }

  @Test
  @Order(4)
  void anExpiredDeltaLinkFallsBackToAFullRoundThatStillSeesDeletions() {
    List<String> ids = new ArrayList<>(rig.liveRecords("User").keySet());
    rig.expireDeltaLinks();
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + ids.get(10), null), 204);
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + ids.get(11), null), 204);
    rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + ids.get(12), "{\"department\":\"After the resync\"}"), 204);
    String addedId = createUser().path("id").asText();

    JsonNode run = rig.runNow("users", false);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    assertThat(run.path("latestResult").path("User").toString()).isEqualTo("{\"added\":1,\"updated\":1,\"deleted\":2}");
    assertUsersEqualGroundTruth();
    assertThat(rig.allRecords("User", "ids=" + addedId).get(0).path("_nango_metadata").path("last_action").asText()).isEqualTo("ADDED");
    assertThat(rig.allRecords("User", "ids=" + ids.get(10)).get(0).path("_nango_metadata").path("last_action").asText()).isEqualTo("DELETED");
  }

  @Test
  @Order(5)
  void withFaultsAndThrottlingEveryRunStillEndsAtGroundTruth() {
    rig.emulator.faults("{\"rates\": {\"SERVICE_UNAVAILABLE\": 0.1, \"GATEWAY_TIMEOUT\": 0.05, \"CONNECTION_RESET\": 0.05}, \"seed\": 7}");
    rig.emulator.throttling("{\"appTenant\": {\"requests\": 2, \"windowSeconds\": 1}}");
    try {
      List<String> ids = new ArrayList<>(rig.liveRecords("User").keySet());
      rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + ids.get(20), "{\"officeLocation\":\"Under faults\"}"), 204);
      rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + ids.get(21), null), 204);
      createUser();
      JsonNode incremental = rig.runNow("users", false);
      assertThat(incremental.path("status").asText()).as(incremental.toString()).isEqualTo("SUCCESS");
      assertThat(incremental.path("latestResult").path("User").toString()).isEqualTo("{\"added\":1,\"updated\":1,\"deleted\":1}");
      assertUsersEqualGroundTruth();

      JsonNode full = rig.runNow("users", true);
      assertThat(full.path("status").asText()).as(full.toString()).isEqualTo("SUCCESS");
      assertThat(full.path("type").asText()).isEqualTo("INITIAL");
      assertThat(full.path("latestResult").path("User").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");
      assertUsersEqualGroundTruth();
      assertThat(rig.emulator.graphAnswers(429) + rig.emulator.graphAnswers(503) + rig.emulator.graphAnswers(504)).isPositive();
    } finally {
      rig.emulator.faults(null);
      rig.emulator.throttling(null);
    }
  }

  @Test
  @Order(6)
  void aConnectionWithoutThePermissionGetsPermissionMissingWithTheConsentLink() {
    ApiClient.Response r = rig.api().post("/sync/trigger", """
        {"syncs":["users"],"provider_config_key":"%s","connection_id":"%s"}""".formatted(SyncRig.INTEGRATION, SyncRig.BARE_CONNECTION));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("permission_missing");
    assertThat(r.json().path("error").path("message").asText()).contains("User.Read.All").contains("/adminconsent?");
    assertThat(r.json().path("error").path("payload").path("admin_consent_url").asText()).contains("/adminconsent?client_id=" + SyncRig.APP_ID);

    JsonNode scheduled = rig.awaitRunAfter(SyncRig.BARE_CONNECTION, "users", null);
    assertThat(scheduled.path("status").asText()).isEqualTo("ERROR");
    assertThat(scheduled.path("error").path("code").asText()).isEqualTo("permission_missing");
    assertThat(scheduled.path("error").path("message").asText()).contains("User.Read.All");
    assertThat(rig.records(SyncRig.BARE_CONNECTION, "model=User").json().path("records").size()).isZero();
  }

  private static JsonNode createUser() {
    created++;
    String nick = "synctest" + created + "x" + System.nanoTime() % 100000;
    return rig.expect(rig.graphAdmin("POST", "/v1.0/users", """
        {"accountEnabled": true, "displayName": "Sync Test %d", "mailNickname": "%s", "userPrincipalName": "%s@%s",
         "jobTitle": "Tester", "passwordProfile": {"password": "Secret-123456"}}""".formatted(created, nick, nick, SyncRig.TENANT_DOMAIN)), 201).json();
  }

  private static void assertUsersEqualGroundTruth() {
    Map<String, String> expected = new LinkedHashMap<>();
    for (JsonNode u : rig.groundTruth("/v1.0/users?$top=999&$select=" + String.join(",", UsersSync.FIELDS))) {
      expected.put(u.path("id").asText(), userFields(u));
    }
    Map<String, String> got = new LinkedHashMap<>();
    rig.liveRecords("User").forEach((id, r) -> got.put(id, userFields(r)));
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(got).containsExactlyInAnyOrderEntriesOf(expected);
  }

  private static String userFields(JsonNode u) {
    var o = Json.object();
    for (String f : UsersSync.FIELDS) {
      JsonNode v = u.get(f);
      o.set(f, v == null ? Json.MAPPER.nullNode() : v);
    }
    return Json.write(o);
  }

  private static void assertGroupsEqualGroundTruth() {
    Map<String, JsonNode> records = rig.liveRecords("Group");
    List<JsonNode> groups = rig.groundTruth("/v1.0/groups?$top=999&$select=id,displayName,description");
    assertThat(records.keySet()).containsExactlyInAnyOrderElementsOf(groups.stream().map(g -> g.path("id").asText()).toList());
    for (JsonNode g : groups) {
      String id = g.path("id").asText();
      JsonNode r = records.get(id);
      assertThat(r.path("displayName").asText()).isEqualTo(g.path("displayName").asText());
      Set<String> members = new TreeSet<>();
      rig.groundTruth("/v1.0/groups/" + id + "/members?$select=id&$top=999").forEach(m -> members.add(m.path("id").asText()));
      List<String> got = new ArrayList<>();
      r.path("memberIds").forEach(m -> got.add(m.asText()));
      assertThat(got).as("members of " + g.path("displayName").asText()).containsExactlyElementsOf(members);
    }
  }
}

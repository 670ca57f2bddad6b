package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.nio.file.Path;
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
 * The {@code drive-items} and {@code sites} syncs end to end, against the emulator's Graph over real HTTP: one delta
 * stream per user's OneDrive and per site's document library; the first runs equal the emulator's ground truth, an
 * incremental run reports exactly the files added, changed and deleted, a site removed is deleted by the next full
 * refresh of {@code sites} (and its drive's files by the next {@code drive-items} run), a token without the
 * permission gets {@code permission_missing}, and expired delta links under injected faults and throttling still end
 * at ground truth. The tests run in order on one tenant whose state each leaves for the
 * next. Subclasses pick the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DrivesAndSitesSyncContract {
  private static final int USERS = 4;
  private static final int SITES = 3;
  private static final int ITEMS = 6;

  @TempDir static Path dataDir;
  static SyncRig rig;
  static TestDatabase db;

  static void startOn(TestDatabase database) {
    db = database;
    rig = SyncRig.start(dataDir, db, """
        {"users": %d, "groups": 1, "membersPerGroup": 2, "driveItemsPerDrive": %d, "sites": %d}""".formatted(USERS, ITEMS, SITES), b -> b);
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
  void theFirstRunsEqualGroundTruthOneRecordPerItemOfEveryDriveAndPerSite() {
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"drive-items\",\"sites\"]}"), 200);

    JsonNode items = rig.awaitRunAfter(SyncRig.CONNECTION, "drive-items", null);
    assertThat(items.path("status").asText()).as(items.toString()).isEqualTo("SUCCESS");
    assertThat(items.path("type").asText()).isEqualTo("INITIAL");
    Map<String, String> truth = driveItemsTruth();
    assertThat(truth.keySet().stream().filter(id -> id.startsWith("sites/")).map(id -> id.substring(0, id.lastIndexOf('/'))).distinct())
        .hasSize(SITES);
    assertThat(truth.keySet().stream().filter(id -> id.startsWith("users/"))).isNotEmpty();
    assertThat(items.path("latestResult").path("DriveItem").toString()).isEqualTo("{\"added\":" + truth.size() + ",\"updated\":0,\"deleted\":0}");
    assertDriveItemsEqualGroundTruth();

    JsonNode sites = rig.awaitRunAfter(SyncRig.CONNECTION, "sites", null);
    assertThat(sites.path("status").asText()).as(sites.toString()).isEqualTo("SUCCESS");
    assertThat(sites.path("latestResult").path("Site").toString()).isEqualTo("{\"added\":" + SITES + ",\"updated\":0,\"deleted\":0}");
    assertSitesEqualGroundTruth();
  }

  @Test
  @Order(2)
  void anIncrementalRunReportsExactlyTheFilesAddedChangedAndDeletedWithTheirLastAction() {
    List<JsonNode> before = rig.allRecords("DriveItem", "");
    String cursor = before.get(before.size() - 1).path("_nango_metadata").path("cursor").asText();
    List<JsonNode> files = before.stream().filter(r -> r.path("file").isObject()).toList();
    JsonNode userFile = files.stream().filter(r -> r.path("driveOwner").asText().startsWith("users/")).findFirst().orElseThrow();
    JsonNode siteFile = files.stream().filter(r -> r.path("driveOwner").asText().startsWith("sites/")).findFirst().orElseThrow();
    Map<String, String> expected = new LinkedHashMap<>();

    String owner = userFile.path("driveOwner").asText();
    JsonNode created = rig.expect(rig.graphAdmin("POST", "/v1.0/" + owner + "/drive/root/children",
        "{\"name\": \"drive-sync-test.txt\", \"file\": {}, \"size\": 12}"), 201).json();
    expected.put(owner + "/" + created.path("id").asText(), "ADDED");
    rig.expect(rig.graphAdmin("PATCH", "/v1.0/" + owner + "/drive/items/" + userFile.path("itemId").asText(), "{\"name\": \"renamed-by-sync-test.txt\"}"), 200);
    expected.put(userFile.path("id").asText(), "UPDATED");
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/" + siteFile.path("driveOwner").asText() + "/drive/items/" + siteFile.path("itemId").asText(), null), 204);
    expected.put(siteFile.path("id").asText(), "DELETED");

    JsonNode run = rig.runNow("drive-items", false);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    assertThat(run.path("type").asText()).isEqualTo("INCREMENTAL");
    assertThat(run.path("latestResult").path("DriveItem").toString()).isEqualTo("{\"added\":1,\"updated\":1,\"deleted\":1}");
    Map<String, String> seen = new LinkedHashMap<>();
    rig.allRecords("DriveItem", "cursor=" + cursor).forEach(r -> seen.put(r.path("id").asText(), r.path("_nango_metadata").path("last_action").asText()));
    assertThat(seen).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(rig.liveRecords("DriveItem").get(userFile.path("id").asText()).path("name").asText()).isEqualTo("renamed-by-sync-test.txt");
    assertDriveItemsEqualGroundTruth();

    assertThat(rig.runNow("drive-items", false).path("latestResult").path("DriveItem").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");
  }

  @Test
  @Order(3)
  void aSiteRemovedIsDeletedByTheNextFullRefreshAndItsDrivesFilesByTheNextDriveItemsRun() {
    JsonNode unchanged = rig.runNow("sites", false);
    assertThat(unchanged.path("status").asText()).as(unchanged.toString()).isEqualTo("SUCCESS");
    assertThat(unchanged.path("latestResult").path("Site").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");

    List<JsonNode> before = rig.allRecords("Site", "");
    String cursor = before.get(before.size() - 1).path("_nango_metadata").path("cursor").asText();
    JsonNode gone = before.stream().filter(s -> s.path("root").isMissingNode() || s.path("root").isNull()).findFirst()
        .orElseGet(() -> before.get(before.size() - 1));
    String siteId = gone.path("id").asText();
    long siteFiles = rig.liveRecords("DriveItem").keySet().stream().filter(id -> id.startsWith("sites/" + siteId + "/")).count();
    assertThat(siteFiles).isPositive();
    rig.deleteSite(siteId);

    JsonNode run = rig.runNow("sites", false);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    assertThat(run.path("latestResult").path("Site").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":1}");
    Map<String, String> seen = new LinkedHashMap<>();
    rig.allRecords("Site", "cursor=" + cursor).forEach(r -> seen.put(r.path("id").asText(), r.path("_nango_metadata").path("last_action").asText()));
    assertThat(seen).containsExactly(Map.entry(siteId, "DELETED"));
    assertSitesEqualGroundTruth();

    JsonNode items = rig.runNow("drive-items", false);
    assertThat(items.path("status").asText()).as(items.toString()).isEqualTo("SUCCESS");
    assertThat(items.path("latestResult").path("DriveItem").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":" + siteFiles + "}");
    assertDriveItemsEqualGroundTruth();
  }

  @Test
  @Order(4)
  void withoutThePermissionsTheSyncsGetPermissionMissingNamingWhatToGrant() {
    ApiClient.Response items = rig.trigger(SyncRig.BARE_CONNECTION, "drive-items");
    rig.assertPermissionMissing(items, "Files.Read.All", "/adminconsent?");
    ApiClient.Response sites = rig.trigger(SyncRig.BARE_CONNECTION, "sites");
    rig.assertPermissionMissing(sites, "Sites.Read.All", "/adminconsent?");

    JsonNode scheduled = rig.awaitRunAfter(SyncRig.BARE_CONNECTION, "sites", null);
    assertThat(scheduled.path("status").asText()).isEqualTo("ERROR");
    assertThat(scheduled.path("error").path("code").asText()).isEqualTo("permission_missing");
    assertThat(rig.records(SyncRig.BARE_CONNECTION, "model=Site").json().path("records").size()).isZero();
  }

  @Test
  @Order(5)
  void expiredDeltaLinksWithFaultsAndThrottlingStillEndAtGroundTruthAndSeeDeletions() {
    JsonNode file = rig.liveRecords("DriveItem").values().stream().filter(r -> r.path("file").isObject()).findFirst().orElseThrow();
    rig.expireDeltaLinks();
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/" + file.path("driveOwner").asText() + "/drive/items/" + file.path("itemId").asText(), null), 204);
    rig.emulator.faults("{\"rates\": {\"SERVICE_UNAVAILABLE\": 0.1, \"GATEWAY_TIMEOUT\": 0.05, \"CONNECTION_RESET\": 0.05}, \"seed\": 7}");
    rig.emulator.throttling("{\"appTenant\": {\"requests\": 4, \"windowSeconds\": 1}}");
    try {
      JsonNode run = rig.runNow("drive-items", false);
      assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
      assertThat(run.path("latestResult").path("DriveItem").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":1}");
      JsonNode sites = rig.runNow("sites", false);
      assertThat(sites.path("status").asText()).as(sites.toString()).isEqualTo("SUCCESS");
      assertThat(sites.path("latestResult").path("Site").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");
      assertThat(rig.emulator.graphAnswers(429) + rig.emulator.graphAnswers(503) + rig.emulator.graphAnswers(504)).isPositive();
    } finally {
      rig.emulator.faults(null);
      rig.emulator.throttling(null);
    }
    assertDriveItemsEqualGroundTruth();
    assertSitesEqualGroundTruth();
  }

  // ---- helpers

  /** Every drive the sync reads: each user's OneDrive Graph has, each site's document library. */
  private static List<String> driveOwners() {
    List<String> owners = new ArrayList<>();
    for (JsonNode u : rig.groundTruth("/v1.0/users?$top=999&$select=id")) {
      if (rig.graphAdmin("GET", "/v1.0/users/" + u.path("id").asText() + "/drive", null).status() == 200) {
        owners.add("users/" + u.path("id").asText());
      }
    }
    rig.groundTruth("/v1.0/sites?search=*&$select=id").forEach(s -> owners.add("sites/" + s.path("id").asText()));
    return owners;
  }

  private static Map<String, String> driveItemsTruth() {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String owner : driveOwners()) {
      for (JsonNode item : rig.groundTruth("/v1.0/" + owner + "/drive/root/delta?$select=id," + String.join(",", DriveItemsSync.GRAPH_FIELDS))) {
        ObjectNode o = Json.object();
        o.put("itemId", item.path("id").asText());
        o.put("driveOwner", owner);
        o.setAll(pick(item, DriveItemsSync.GRAPH_FIELDS));
        if (o.get("folder") instanceof ObjectNode folder) {
          folder.remove("childCount");
        }
        expected.put(owner + "/" + item.path("id").asText(), Json.write(o));
      }
    }
    return expected;
  }

  private static void assertDriveItemsEqualGroundTruth() {
    Map<String, String> got = new LinkedHashMap<>();
    rig.liveRecords("DriveItem").forEach((id, r) -> {
      ObjectNode o = Json.object();
      o.set("itemId", r.path("itemId"));
      o.set("driveOwner", r.path("driveOwner"));
      o.setAll(pick(r, DriveItemsSync.GRAPH_FIELDS));
      got.put(id, Json.write(o));
    });
    assertThat(got).containsExactlyInAnyOrderEntriesOf(driveItemsTruth());
  }

  private static void assertSitesEqualGroundTruth() {
    Map<String, String> expected = new LinkedHashMap<>();
    rig.groundTruth("/v1.0/sites?search=*&$select=" + String.join(",", SitesSync.FIELDS))
        .forEach(s -> expected.put(s.path("id").asText(), Json.write(pick(s, SitesSync.FIELDS))));
    Map<String, String> got = new LinkedHashMap<>();
    rig.liveRecords("Site").forEach((id, r) -> got.put(id, Json.write(pick(r, SitesSync.FIELDS))));
    assertThat(expected).hasSize(rig.groundTruth("/v1.0/sites?search=*&$select=id").size());
    assertThat(got).containsExactlyInAnyOrderEntriesOf(expected);
  }

  /** The fields, each as the item has it or null, in the given order. */
  private static ObjectNode pick(JsonNode item, List<String> fields) {
    ObjectNode o = Json.object();
    for (String f : fields) {
      JsonNode v = item.get(f);
      o.set(f, v == null ? Json.MAPPER.nullNode() : v.deepCopy());
    }
    return o;
  }
}

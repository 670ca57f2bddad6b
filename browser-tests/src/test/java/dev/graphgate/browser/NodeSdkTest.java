package dev.graphgate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nango's own Node SDK ({@code @nangohq/node}, unchanged, installed by npm from node-sdk-client's lock file) drives
 * Graphgate: {@code triggerSync} and {@code syncStatus} run the {@code users} sync and wait for its end,
 * {@code listRecords} pages through the records by cursor and filters them by last action, {@code triggerAction}
 * creates a user. The script prints what the SDK answered; this test checks it against the emulator's ground truth.
 */
class NodeSdkTest {
  private static final int USERS = 17;
  private static final Path CLIENT = Path.of(System.getProperty("node.sdk.client.dir", "node-sdk-client"));

  @TempDir static Path dataDir;
  static SyncRig rig;
  static TestDatabase db;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    rig = SyncRig.start(dataDir, db, "{\"users\": " + USERS + ", \"groups\": 1, \"membersPerGroup\": 2}", b -> b);
    // create-user needs a role the rig does not grant; a forced token carries it.
    rig.emulator.grant(SyncRig.TENANT_ID, SyncRig.APP_ID, List.of("User.ReadWrite.All", "Group.Read.All", "Mail.Read"));
    rig.graphgate.tokens().token(rig.graphgate.connections().get(SyncRig.INTEGRATION, SyncRig.CONNECTION), true);
  }

  @AfterAll
  static void stop() {
    try {
      rig.close();
    } finally {
      db.close();
    }
  }

  @Test
  void triggerSyncSyncStatusListRecordsAndTriggerActionWorkThroughNangosNodeSdk() throws Exception {
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}"), 200);
    rig.awaitRunAfter(SyncRig.CONNECTION, "users", null);
    List<JsonNode> users = rig.groundTruth("/v1.0/users?$select=id&$top=999");
    String changed = users.get(3).path("id").asText();
    String removed = users.get(5).path("id").asText();
    rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + changed, "{\"jobTitle\": \"Changed through the emulator\"}"), 204);
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + removed, null), 204);

    JsonNode sync = node("sync", SyncRig.INTEGRATION, SyncRig.CONNECTION, "users", "User");

    assertThat(sync.path("run").path("status").asText()).as(sync.path("run").toString()).isEqualTo("SUCCESS");
    assertThat(sync.path("run").path("latestResult").path("User").toString()).isEqualTo("{\"added\":0,\"updated\":1,\"deleted\":1}");
    Set<String> live = ids(rig.groundTruth("/v1.0/users?$select=id&$top=999"));
    Set<String> all = new HashSet<>();
    Set<String> cursors = new HashSet<>();
    for (JsonNode r : sync.path("all")) {
      assertThat(all.add(r.path("id").asText())).isTrue();
      cursors.add(r.path("cursor").asText());
    }
    assertThat(sync.path("pages").asInt()).isEqualTo((USERS + 6) / 7);
    assertThat(cursors).hasSize(USERS);
    assertThat(all).hasSize(USERS).containsAll(live).contains(removed);
    assertThat(strings(sync.path("updated"))).containsExactly(changed);
    assertThat(strings(sync.path("deleted"))).containsExactly(removed);
    assertThat(strings(sync.path("updatedOrDeleted"))).containsExactlyInAnyOrder(changed, removed);
    Set<String> added = new HashSet<>(live);
    added.remove(changed);
    assertThat(strings(sync.path("added"))).containsExactlyInAnyOrderElementsOf(added);

    JsonNode action = node("action", SyncRig.INTEGRATION, SyncRig.CONNECTION, "create-user",
        "{\"displayName\": \"Node SDK Hire\", \"userPrincipalName\": \"node.sdk.hire@" + SyncRig.TENANT_DOMAIN + "\", "
            + "\"password\": \"Str0ng-Initial-Pass!\", \"jobTitle\": \"Analyst\"}");

    String created = action.path("output").path("id").asText();
    assertThat(action.path("output").path("userPrincipalName").asText()).isEqualTo("node.sdk.hire@" + SyncRig.TENANT_DOMAIN);
    JsonNode truth = rig.expect(rig.graphAdmin("GET", "/v1.0/users/" + created + "?$select=displayName,jobTitle", null), 200).json();
    assertThat(truth.path("displayName").asText()).isEqualTo("Node SDK Hire");
    assertThat(truth.path("jobTitle").asText()).isEqualTo("Analyst");
  }

  /** Runs the SDK script with the arguments; its one line of JSON output. */
  private static JsonNode node(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", CLIENT.resolve("sync-client.mjs").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dataDir, "node-out", ".json");
    Path err = Files.createTempFile(dataDir, "node-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("GRAPHGATE_URL", rig.graphgate.baseUrl().toString());
    pb.environment().put("GRAPHGATE_SECRET_KEY", TestServers.SECRET_KEY);
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the Node SDK script did not end");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("node %s: %s%s", args[0], stdout, Files.readString(err, StandardCharsets.UTF_8)).isZero();
    return Json.MAPPER.readTree(stdout);
  }

  private static Set<String> ids(List<JsonNode> items) {
    Set<String> ids = new HashSet<>();
    items.forEach(i -> ids.add(i.path("id").asText()));
    return ids;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

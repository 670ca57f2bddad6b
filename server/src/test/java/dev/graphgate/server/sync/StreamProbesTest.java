package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams of a {@link MailboxSync} not synced yet are probed 20 to a {@code $batch} before their delta requests
 * ({@link MailboxSync#probe}): the first {@code drive-items} run sends one batch per 20 drives and a later run, whose
 * drives all have checkpoints, none; a mailbox Graph answers 404 for is skipped without its delta request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamProbesTest {
  private static final int USERS = 45;

  @TempDir static Path dataDir;
  static SyncRig rig;
  static TestDatabase db;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    rig = SyncRig.start(dataDir, db, """
        {"users": %d, "groups": 1, "membersPerGroup": 2, "driveItemsPerDrive": 2, "eventsPerMailbox": 2, "messagesPerMailbox": 3, "sites": 2}""".formatted(USERS), b -> b);
  }

  @AfterAll
  static void stop() {
    try {
      rig.close();
    } finally {
      db.close();
    }
  }

  private static long batches() {
    return rig.emulator.stats().path("graphRequests").path("byFamily").path("$batch").path("200").asLong();
  }

  private static long answers(String family, int status) {
    return rig.emulator.stats().path("graphRequests").path("byFamily").path(family).path(Integer.toString(status)).asLong();
  }

  @Test
  @Order(1)
  void theFirstDriveItemsRunProbesItsDrivesTwentyToABatchAndALaterRunProbesNone() {
    int drives = USERS + rig.groundTruth("/v1.0/sites?search=*&$select=id").size();
    rig.emulator.resetStats();
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"drive-items\"]}"), 200);
    JsonNode first = rig.awaitRunAfter(SyncRig.CONNECTION, "drive-items", null);
    assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("SUCCESS");
    assertThat(batches()).isEqualTo((drives + 19) / 20);
    assertThat(rig.liveRecords("DriveItem").keySet().stream().map(id -> id.substring(0, id.lastIndexOf('/'))).distinct()).hasSize(drives);

    rig.emulator.resetStats();
    JsonNode second = rig.runNow("drive-items", false);
    assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("SUCCESS");
    assertThat(batches()).isZero();
  }

  @Test
  @Order(2)
  void aMailboxGraphHasNothingForIsSkippedWithoutItsDeltaRequest() {
    // Named by user principal name: the probe's url carries it percent-encoded, as the delta's does.
    String user = rig.groundTruth("/v1.0/users?$top=1&$select=userPrincipalName").get(0).path("userPrincipalName").asText();
    String nobody = "no.such.user@" + SyncRig.TENANT_DOMAIN;
    rig.expect(rig.api().post("/connection/metadata", """
        {"connection_id":"%s","provider_config_key":"%s","metadata":{"mailboxes":["%s","%s"]}}"""
        .formatted(SyncRig.CONNECTION, SyncRig.INTEGRATION, user, nobody)), 201);
    rig.emulator.resetStats();
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"events\"]}"), 200);
    JsonNode run = rig.awaitRunAfter(SyncRig.CONNECTION, "events", null);

    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    // One batch probed both calendars; the one 404 is the probe's: the missing mailbox's calendar view was never asked for.
    assertThat(batches()).isEqualTo(1);
    assertThat(answers("users", 404)).isEqualTo(1);
    List<String> mailboxes = rig.liveRecords("Event").values().stream().map(r -> r.path("mailbox").asText()).distinct().toList();
    assertThat(mailboxes).containsExactly(user);
  }

  @Test
  @Order(3)
  void theFolderStreamsOfOneMailboxShareOneProbeAndThoseOfAMailboxGraphHasNothingForAreSkipped() {
    // The metadata of the previous test: one user's mailbox, and one Graph has nothing for.
    rig.emulator.resetStats();
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"messages\"]}"), 200);
    JsonNode run = rig.awaitRunAfter(SyncRig.CONNECTION, "messages", null);

    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
    // One batch of two probes for ten folder streams; the one 404 is the missing mailbox's probe, none of its five folders' deltas.
    assertThat(batches()).isEqualTo(1);
    assertThat(answers("users", 404)).isEqualTo(1);
    assertThat(rig.liveRecords("Message")).hasSize(3);
    assertThat(rig.liveRecords("Message").values().stream().map(r -> r.path("mailbox").asText()).distinct()).hasSize(1);
  }
}

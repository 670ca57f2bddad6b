package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code messages} sync, one delta stream per mail folder of every mailbox, whose server process is killed with
 * {@code kill -9} in the middle of its first run resumes after a restart: the streams it finished are not read again,
 * the one under way goes on from its last stored page, and the run ends equal to the emulator's messages with every
 * message added exactly once.
 */
class MessagesSyncKillTest {
  static final int USERS = 12;
  static final int MESSAGES = 25;
  static final List<String> FOLDERS = List.of("inbox", "sentitems", "drafts", "deleteditems", "archive");

  @TempDir Path temp;

  @Test
  void killedMidRunThenTheRestartedServerResumesEveryStreamFromItsCheckpointAndEndsAtGroundTruth() throws Exception {
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); HttpClient http = HttpClient.newHttpClient()) {
      EmulatedTenant.seed(emulator);
      emulator.directory().grant(EmulatedTenant.TENANT_ID, EmulatedTenant.APP_ID, List.of("User.Read.All", "Mail.Read"));
      emulator.graphData().tenants().generate(EmulatedTenant.TENANT_ID,
          new GenerationSpec(USERS, 0, 0, MESSAGES, 0, 0, 0, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty()));

      // 4 pages a second over about 70 pages: killed mid-run.
      KilledSyncRun.Result run = KilledSyncRun.run(temp, emulator, http, "messages", "Message", 4, 12, USERS * MESSAGES);

      assertThat(run.ids()).isEqualTo(groundTruth(http, emulator));
    }
  }

  /** Every message of every folder, as the sync keys it: {@code {user}/{folder}/{id}}. */
  private static Set<String> groundTruth(HttpClient http, Emulator emulator) throws Exception {
    Set<String> ids = new HashSet<>();
    for (JsonNode user : KilledSyncRun.items(http, emulator, "/v1.0/users?$select=id&$top=999")) {
      String u = user.path("id").asText();
      for (String folder : FOLDERS) {
        ids.addAll(KilledSyncRun.groundTruth(http, emulator, "/v1.0/users/" + u + "/mailFolders/" + folder + "/messages?$select=id&$top=999",
            m -> u + "/" + folder + "/" + m.path("id").asText()));
      }
    }
    return ids;
  }
}

package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code users} sync whose server process is killed with {@code kill -9} in the middle of its first run resumes,
 * after a restart on the same data directory, from the last page it stored: it ends equal to the emulator's users,
 * with every user added exactly once and the run's counts those of one run.
 */
class SyncKillTest {
  static final int USERS = 3000;

  @TempDir Path temp;

  @Test
  void killedMidRunThenTheRestartedServerResumesFromItsCheckpointAndEndsAtGroundTruth() throws Exception {
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); HttpClient http = HttpClient.newHttpClient()) {
      EmulatedTenant.seed(emulator);
      emulator.graphData().tenants().generate(EmulatedTenant.TENANT_ID,
          new GenerationSpec(USERS, 0, 0, 0, 0, 0, 0, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty()));

      // 4 pages a second over 30 pages: killed mid-run.
      KilledSyncRun.Result run = KilledSyncRun.run(temp, emulator, http, "users", "User", 4, 3, USERS);

      long pagesAtKill = run.statusAtRestart().path("progress").path("pages").asLong();
      assertThat(pagesAtKill).as(run.statusAtRestart().toString()).isBetween(3L, (long) USERS / 100 - 1);
      assertThat(run.cursors()).hasSize(USERS);
      assertThat(run.ids()).isEqualTo(KilledSyncRun.groundTruth(http, emulator, "/v1.0/users?$select=id&$top=999", u -> u.path("id").asText()));
    }
  }
}

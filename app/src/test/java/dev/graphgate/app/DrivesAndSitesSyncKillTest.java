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
 * The {@code drive-items} sync (a delta stream per user OneDrive and site library) and the {@code sites} sync (a full
 * refresh), each with its server process killed with {@code kill -9} in the middle of its first run: after a restart
 * on the same data directory the run resumes from its checkpoint (drives it finished are not read again, the one under
 * way goes on from its last stored page; the site listing from its next link) and ends equal to the emulator's ground
 * truth, every record added exactly once.
 */
class DrivesAndSitesSyncKillTest {
  @TempDir Path temp;

  @Test
  void driveItemsKilledMidRunResumeEveryDriveFromItsCheckpointAndEndAtGroundTruth() throws Exception {
    int users = 5;
    int sites = 2;
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); HttpClient http = HttpClient.newHttpClient()) {
      EmulatedTenant.seed(emulator);
      emulator.directory().grant(EmulatedTenant.TENANT_ID, EmulatedTenant.APP_ID, List.of("User.Read.All", "Files.Read.All", "Sites.Read.All"));
      // 450 items per drive: three delta pages of 200 each, over 7 drives.
      emulator.graphData().tenants().generate(EmulatedTenant.TENANT_ID,
          new GenerationSpec(users, 0, 0, 0, 0, 450, sites, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty()));
      Set<String> truth = driveItemsTruth(http, emulator);

      // 3 requests a second over about 25: killed mid-run.
      KilledSyncRun.Result run = KilledSyncRun.run(temp, emulator, http, "drive-items", "DriveItem", 3, 5, truth.size());

      assertThat(run.statusAtRestart().path("progress").path("pages").asLong()).as(run.statusAtRestart().toString()).isBetween(5L, 20L);
      assertThat(run.ids()).isEqualTo(truth);
    }
  }

  @Test
  void sitesKilledMidFullRefreshResumeFromTheNextLinkAndEndAtGroundTruth() throws Exception {
    int sites = 1400;
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); HttpClient http = HttpClient.newHttpClient()) {
      EmulatedTenant.seed(emulator);
      emulator.directory().grant(EmulatedTenant.TENANT_ID, EmulatedTenant.APP_ID, List.of("Sites.Read.All"));
      emulator.graphData().tenants().generate(EmulatedTenant.TENANT_ID,
          new GenerationSpec(1, 0, 0, 0, 0, 0, sites, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty()));

      // 1 page of 200 sites a second over 7 pages: killed mid-run.
      KilledSyncRun.Result run = KilledSyncRun.run(temp, emulator, http, "sites", "Site", 1, 2, sites);

      assertThat(run.statusAtRestart().path("progress").path("pages").asLong()).as(run.statusAtRestart().toString()).isBetween(2L, 6L);
      assertThat(run.ids()).hasSize(sites)
          .isEqualTo(KilledSyncRun.groundTruth(http, emulator, "/v1.0/sites?search=*&$select=id", s -> s.path("id").asText()));
    }
  }

  /** Every item of every user's OneDrive and every site's library, as the sync keys it: {@code {owner}/{item id}}. */
  private static Set<String> driveItemsTruth(HttpClient http, Emulator emulator) throws Exception {
    List<String> owners = new java.util.ArrayList<>();
    KilledSyncRun.items(http, emulator, "/v1.0/users?$select=id&$top=999").forEach(u -> owners.add("users/" + u.path("id").asText()));
    KilledSyncRun.items(http, emulator, "/v1.0/sites?search=*&$select=id").forEach(s -> owners.add("sites/" + s.path("id").asText()));
    Set<String> ids = new HashSet<>();
    for (String owner : owners) {
      for (JsonNode item : KilledSyncRun.items(http, emulator, "/v1.0/" + owner + "/drive/root/delta?$select=id")) {
        ids.add(owner + "/" + item.path("id").asText());
      }
    }
    return ids;
  }
}

package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.server.testing.ApiClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code users} sync whose server process is killed with {@code kill -9} in the middle of its first run resumes,
 * after a restart on the same data directory, from the last page it stored: it ends equal to the emulator's users,
 * with every user added exactly once and the run's counts those of one run.
 */
class SyncKillTest {
  static final int USERS = 3000;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void killedMidRunThenTheRestartedServerResumesFromItsCheckpointAndEndsAtGroundTruth() throws Exception {
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); HttpClient http = HttpClient.newHttpClient()) {
      EmulatedTenant.seed(emulator);
      emulator.graphData().tenants().generate(EmulatedTenant.TENANT_ID,
          new GenerationSpec(USERS, 0, 0, 0, 0, 0, 0, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty()));
      // Slow enough (4 pages a second) to be killed mid-run.
      send(http, "PUT", URI.create(emulator.loginUrl() + "/_emulator/throttling"), "{\"appTenant\": {\"requests\": 4, \"windowSeconds\": 1}}");
      Map<String, String> settings = new HashMap<>(ServeProcess.baseSettings(temp.resolve("data")));
      settings.putAll(EmulatedTenant.cloudSettings(emulator));
      settings.put("GRAPHGATE_SYNC_POLL_INTERVAL", "500ms");

      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        ApiClient api = serve.api();
        EmulatedTenant.createIntegration(api);
        assertThat(api.post("/connections", EmulatedTenant.importBody("contoso")).status()).isEqualTo(201);
        assertThat(api.send(api.json("PUT", "/integrations/" + EmulatedTenant.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> progress(api).path("pages").asLong() >= 3);
        serve.kill();
      }

      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        ApiClient api = serve.api();
        JsonNode resumed = status(api);
        long pagesAtKill = resumed.path("progress").path("pages").asLong();
        assertThat(pagesAtKill).as(resumed.toString()).isBetween(3L, (long) USERS / 100 - 1);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
            .until(() -> status(api).path("latestExecutionStatus").asText().equals("SUCCESS"));
        JsonNode done = status(api);
        assertThat(done.path("latestResult").path("User").toString()).isEqualTo("{\"added\":" + USERS + ",\"updated\":0,\"deleted\":0}");
        assertThat(serve.output()).contains("sync users for connection contoso: resuming the run started at");

        Set<String> ids = new HashSet<>();
        Set<String> cursors = new HashSet<>();
        for (JsonNode r : EmulatedTenant.allRecords(api, "contoso", "User")) {
          JsonNode meta = r.path("_nango_metadata");
          assertThat(meta.path("last_action").asText()).isEqualTo("ADDED");
          assertThat(meta.path("first_seen_at").asText()).isEqualTo(meta.path("last_modified_at").asText());
          assertThat(ids.add(r.path("id").asText())).isTrue();
          assertThat(cursors.add(meta.path("cursor").asText())).isTrue();
        }
        assertThat(ids).isEqualTo(groundTruth(http, emulator));
      }
    }
  }

  private static JsonNode status(ApiClient api) {
    return EmulatedTenant.syncStatus(api, "contoso", "users");
  }

  private static JsonNode progress(ApiClient api) {
    return status(api).path("progress");
  }

  private static Set<String> groundTruth(HttpClient http, Emulator emulator) throws Exception {
    Set<String> ids = new HashSet<>();
    String next = emulator.loginUrl() + "/_emulator/tenants/" + EmulatedTenant.TENANT_ID + "/graph/v1.0/users?$select=id&$top=999";
    while (next != null) {
      JsonNode page = JSON.readTree(send(http, "GET", URI.create(next), null));
      page.path("value").forEach(u -> ids.add(u.path("id").asText()));
      next = page.path("@odata.nextLink").isTextual() ? page.path("@odata.nextLink").asText() : null;
    }
    return ids;
  }

  private static String send(HttpClient http, String method, URI uri, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    return r.body();
  }

}

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
import java.util.List;
import java.util.Map;
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
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void killedMidRunThenTheRestartedServerResumesEveryStreamFromItsCheckpointAndEndsAtGroundTruth() throws Exception {
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); HttpClient http = HttpClient.newHttpClient()) {
      EmulatedTenant.seed(emulator);
      emulator.directory().grant(EmulatedTenant.TENANT_ID, EmulatedTenant.APP_ID, List.of("User.Read.All", "Mail.Read"));
      emulator.graphData().tenants().generate(EmulatedTenant.TENANT_ID,
          new GenerationSpec(USERS, 0, 0, MESSAGES, 0, 0, 0, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty()));
      // Slow enough (4 pages a second, over about 70 pages) to be killed mid-run.
      send(http, "PUT", URI.create(emulator.loginUrl() + "/_emulator/throttling"), "{\"appTenant\": {\"requests\": 4, \"windowSeconds\": 1}}");
      Map<String, String> settings = new HashMap<>(ServeProcess.baseSettings(temp.resolve("data")));
      settings.putAll(EmulatedTenant.cloudSettings(emulator));
      settings.put("GRAPHGATE_SYNC_POLL_INTERVAL", "500ms");

      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        ApiClient api = serve.api();
        EmulatedTenant.createIntegration(api);
        assertThat(api.post("/connections", EmulatedTenant.importBody("contoso")).status()).isEqualTo(201);
        assertThat(api.send(api.json("PUT", "/integrations/" + EmulatedTenant.INTEGRATION + "/syncs", "{\"syncs\":[\"messages\"]}")).status())
            .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> status(api).path("progress").path("pages").asLong() >= 12);
        serve.kill();
      }

      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        ApiClient api = serve.api();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
            .until(() -> status(api).path("latestExecutionStatus").asText().equals("SUCCESS"));
        JsonNode done = status(api);
        assertThat(done.path("latestResult").path("Message").toString()).isEqualTo("{\"added\":" + USERS * MESSAGES + ",\"updated\":0,\"deleted\":0}");
        assertThat(serve.output()).contains("sync messages for connection contoso: resuming the run started at");

        Set<String> ids = new HashSet<>();
        for (JsonNode r : EmulatedTenant.allRecords(api, "contoso", "Message")) {
          JsonNode meta = r.path("_nango_metadata");
          assertThat(meta.path("last_action").asText()).isEqualTo("ADDED");
          assertThat(meta.path("first_seen_at").asText()).isEqualTo(meta.path("last_modified_at").asText());
          assertThat(ids.add(r.path("id").asText())).isTrue();
        }
        assertThat(ids).isEqualTo(groundTruth(http, emulator));
      }
    }
  }

  private static JsonNode status(ApiClient api) {
    return EmulatedTenant.syncStatus(api, "contoso", "messages");
  }

  /** Every message of every folder, as the sync keys it: {@code {user}/{folder}/{id}}. */
  private static Set<String> groundTruth(HttpClient http, Emulator emulator) throws Exception {
    String base = emulator.loginUrl() + "/_emulator/tenants/" + EmulatedTenant.TENANT_ID + "/graph/v1.0/users";
    Set<String> ids = new HashSet<>();
    for (JsonNode user : JSON.readTree(send(http, "GET", URI.create(base + "?$select=id&$top=999"), null)).path("value")) {
      String u = user.path("id").asText();
      for (String folder : FOLDERS) {
        String next = base + "/" + u + "/mailFolders/" + folder + "/messages?$select=id&$top=999";
        while (next != null) {
          JsonNode page = JSON.readTree(send(http, "GET", URI.create(next), null));
          page.path("value").forEach(m -> ids.add(u + "/" + folder + "/" + m.path("id").asText()));
          next = page.path("@odata.nextLink").isTextual() ? page.path("@odata.nextLink").asText() : null;
        }
      }
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

package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphgate.emulator.Emulator;
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
import java.util.Set;
import java.util.function.Function;

/**
 * The shared course of the sync kill tests: a {@code serve} process on a data directory enables one sync for the
 * contoso connection, is killed with {@code kill -9} once the first run stored some pages, and a new process on the
 * same directory finishes the run. {@link #run} checks what every such test expects (the run ends in SUCCESS counting
 * exactly {@code expectedAdded} additions, the log says it resumed, every record was added once and only once) and
 * answers the record ids for the test to compare with the emulator's ground truth.
 */
final class KilledSyncRun {
  static final ObjectMapper JSON = new ObjectMapper();

  private KilledSyncRun() {}

  /**
   * @param statusAtRestart the sync's status as the restarted process first reports it (its progress is the killed run's)
   * @param ids the ids of the records, each added once
   */
  record Result(JsonNode statusAtRestart, Set<String> ids, Set<String> cursors) {}

  /**
   * Runs the course with the emulator throttled to {@code requestsPerSecond} (slow enough to be killed mid-run),
   * killing once the run reports {@code pagesBeforeKill} pages.
   */
  static Result run(Path temp, Emulator emulator, HttpClient http, String sync, String model, int requestsPerSecond, long pagesBeforeKill,
      long expectedAdded) throws Exception {
    send(http, "PUT", URI.create(emulator.loginUrl() + "/_emulator/throttling"),
        "{\"appTenant\": {\"requests\": " + requestsPerSecond + ", \"windowSeconds\": 1}}");
    Map<String, String> settings = new HashMap<>(ServeProcess.baseSettings(temp.resolve("data")));
    settings.putAll(EmulatedTenant.cloudSettings(emulator));
    settings.put("GRAPHGATE_SYNC_POLL_INTERVAL", "500ms");

    try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
      ApiClient api = serve.api();
      EmulatedTenant.createIntegration(api);
      assertThat(api.post("/connections", EmulatedTenant.importBody("contoso")).status()).isEqualTo(201);
      assertThat(api.send(api.json("PUT", "/integrations/" + EmulatedTenant.INTEGRATION + "/syncs", "{\"syncs\":[\"" + sync + "\"]}")).status())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> status(api, sync).path("progress").path("pages").asLong() >= pagesBeforeKill);
      serve.kill();
    }

    try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
      ApiClient api = serve.api();
      JsonNode atRestart = status(api, sync);
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
          .until(() -> status(api, sync).path("latestExecutionStatus").asText().equals("SUCCESS"));
      JsonNode done = status(api, sync);
      assertThat(done.path("latestResult").path(model).toString()).isEqualTo("{\"added\":" + expectedAdded + ",\"updated\":0,\"deleted\":0}");
      assertThat(serve.output()).contains("sync " + sync + " for connection contoso: resuming the run started at");

      Set<String> ids = new HashSet<>();
      Set<String> cursors = new HashSet<>();
      for (JsonNode r : EmulatedTenant.allRecords(api, "contoso", model)) {
        JsonNode meta = r.path("_nango_metadata");
        assertThat(meta.path("last_action").asText()).isEqualTo("ADDED");
        assertThat(meta.path("first_seen_at").asText()).isEqualTo(meta.path("last_modified_at").asText());
        assertThat(ids.add(r.path("id").asText())).as("record %s twice", r.path("id").asText()).isTrue();
        cursors.add(meta.path("cursor").asText());
      }
      return new Result(atRestart, ids, cursors);
    }
  }

  private static JsonNode status(ApiClient api, String sync) {
    return EmulatedTenant.syncStatus(api, "contoso", sync);
  }

  /** What the emulator's Graph holds at {@code pathAndQuery} (all pages, through its admin pass-through), each item as {@code id} makes it. */
  static Set<String> groundTruth(HttpClient http, Emulator emulator, String pathAndQuery, Function<JsonNode, String> id) throws Exception {
    Set<String> ids = new HashSet<>();
    for (JsonNode item : items(http, emulator, pathAndQuery)) {
      ids.add(id.apply(item));
    }
    return ids;
  }

  /** Every item of a Graph collection or delta round (all pages), through the emulator's admin pass-through. */
  static List<JsonNode> items(HttpClient http, Emulator emulator, String pathAndQuery) throws Exception {
    List<JsonNode> all = new java.util.ArrayList<>();
    String next = emulator.loginUrl() + "/_emulator/tenants/" + EmulatedTenant.TENANT_ID + "/graph" + pathAndQuery;
    while (next != null) {
      JsonNode page = JSON.readTree(send(http, "GET", URI.create(next), null));
      page.path("value").forEach(all::add);
      next = page.path("@odata.nextLink").isTextual() ? page.path("@odata.nextLink").asText() : null;
    }
    return all;
  }

  static String send(HttpClient http, String method, URI uri, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    return r.body();
  }
}

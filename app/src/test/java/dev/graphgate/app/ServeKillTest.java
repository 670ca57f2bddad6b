package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.server.testing.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write the API confirmed survives {@code kill -9} of the embedded-database server, and so do request-log rows
 * already in the database: the process is killed right after a burst of confirmed writes, restarted on the same data
 * directory, and everything is counted.
 */
class ServeKillTest {
  static final int IMPORTS = 200;
  static final int PROXIED = 20;

  @TempDir Path temp;

  @Test
  void killedRightAfterABurstOfConfirmedWritesThenEveryWriteAndEveryWrittenLogRowIsThereAfterRestart() throws Exception {
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral())) {
      EmulatedTenant.seed(emulator);
      Map<String, String> settings = new HashMap<>(ServeProcess.baseSettings(temp.resolve("data")));
      settings.putAll(EmulatedTenant.cloudSettings(emulator));
      Map<String, Integer> confirmed = new ConcurrentHashMap<>();

      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        ApiClient api = serve.api();
        EmulatedTenant.createIntegration(api);
        ApiClient.Response contoso = api.post("/connections", EmulatedTenant.importBody("contoso"));
        assertThat(contoso.status()).as(contoso.body()).isEqualTo(201);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
          List<Future<?>> calls = new ArrayList<>();
          for (int i = 0; i < IMPORTS; i++) {
            String id = "burst-" + i;
            int n = i;
            calls.add(pool.submit(() -> {
              ApiClient.Response created = api.post("/connections", EmulatedTenant.importBody(id));
              assertThat(created.status()).as(created.body()).isEqualTo(201);
              ApiClient.Response patched = api.patch("/connection/metadata", EmulatedTenant.metadataBody(id, n));
              assertThat(patched.status()).as(patched.body()).isEqualTo(200);
              confirmed.put(id, n);
            }));
            if (i % (IMPORTS / PROXIED) == 0) {
              calls.add(pool.submit(() -> {
                ApiClient.Response read = api.send(EmulatedTenant.proxiedRead(api, "contoso"));
                assertThat(read.status()).as(read.body()).isEqualTo(200);
                return null;
              }));
            }
          }
          for (Future<?> call : calls) {
            call.get();
          }
        } finally {
          pool.shutdownNow();
        }
        // Rows GET /logs shows have been handed to the database: from here on, only the database keeps them.
        await().atMost(Duration.ofSeconds(30)).until(() -> EmulatedTenant.logRows(api, "contoso") == PROXIED);
        serve.kill();
      }
      assertThat(confirmed).hasSize(IMPORTS);

      try (ServeProcess restarted = ServeProcess.startHealthy(settings)) {
        ApiClient api = restarted.api();
        ApiClient.Response list = api.get("/connections?limit=2000");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        Map<String, Integer> stored = new HashMap<>();
        for (JsonNode c : list.json().path("connections")) {
          if (c.path("connection_id").asText().startsWith("burst-")) {
            stored.put(c.path("connection_id").asText(), c.path("metadata").path("n").isInt() ? c.path("metadata").path("n").asInt() : null);
          }
        }
        Map<String, String> lost = new TreeMap<>();
        confirmed.forEach((id, n) -> {
          if (!n.equals(stored.get(id))) {
            lost.put(id, stored.containsKey(id) ? "metadata " + stored.get(id) + " instead of " + n : "connection missing");
          }
        });
        int logRows = EmulatedTenant.logRows(api, "contoso");
        SoftAssertions.assertSoftly(softly -> {
          softly.assertThat(lost).as("confirmed writes lost by kill -9, of %d imports and %d PATCHes", IMPORTS, IMPORTS).isEmpty();
          softly.assertThat(stored.keySet()).as("imported connections after restart").isEqualTo(confirmed.keySet());
          softly.assertThat(logRows).as("request-log rows already written before kill -9").isEqualTo(PROXIED);
        });
      }
    }
  }
}

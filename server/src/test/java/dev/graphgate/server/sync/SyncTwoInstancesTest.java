package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database, both asked again and again to run the same sync for the same connection
 * at the same moment: runs never overlap (at most one under way at any time, over both instances), requests made
 * while a run is under way are each followed by a run, and the records end equal to the emulator's users.
 */
class SyncTwoInstancesTest {
  static final String TENANT = "3a4b5c6d-7e8f-4a9b-8c7d-6e5f4a3b2c1d";
  static final String APP = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
  static final String SECRET = "two-instances-secret";

  @TempDir Path dataDir;

  /** Counts the runs under way over both instances, and the most at once. */
  static final class Overlap implements SyncRunListener {
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger most = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public void started(Connection connection, String syncName) {
      runs.incrementAndGet();
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
    }

    @Override
    public void succeeded(Handle handle, RunSummary run) {
      running.decrementAndGet();
    }

    @Override
    public void failed(Handle handle, RunFailure run) {
      running.decrementAndGet();
    }
  }

  @Test
  void runsOfOneSyncForOneConnectionNeverOverlapAcrossInstances() throws Exception {
    try (EmulatorFixture emulator = new EmulatorFixture(); TestDatabase db = TestDatabase.postgres()) {
      emulator.tenant(TENANT, "tailspin.onmicrosoft.com");
      emulator.app(APP, SECRET, null, List.of());
      emulator.grant(TENANT, APP, List.of("User.Read.All"));
      emulator.generate(TENANT, "{\"users\": 450}");
      // Runs of a few pages each, slow enough for triggers to arrive while one is under way.
      emulator.throttling("{\"appTenant\": {\"requests\": 10, \"windowSeconds\": 1}}");
      GraphgateConfig config = TestServers.config(db, dataDir).syncPollInterval(Duration.ofMillis(100))
          .cloud(CloudConfig.custom(URI.create(emulator.loginUrl()), emulator.cloud().graphUrl())).build();
      Overlap onA = new Overlap();
      Overlap onB = new Overlap();
      try (Graphgate a = Graphgate.start(config, Graphgate.Options.defaults().withSyncRunListener(onA));
          Graphgate b = Graphgate.start(config, Graphgate.Options.defaults().withSyncRunListener(onB))) {
        ApiClient apiA = TestServers.client(a);
        ApiClient apiB = TestServers.client(b);
        assertThat(apiA.post("/integrations", "{\"unique_key\":\"microsoft\",\"provider\":\"microsoft-oauth2-cc\"}").status()).isEqualTo(200);
        assertThat(apiA.post("/connections", """
            {"provider_config_key":"microsoft","connection_id":"tailspin","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
             "connection_config":{"tenantId":"%s"}}""".formatted(APP, SECRET, TENANT)).status()).isEqualTo(201);
        assertThat(apiB.put("/integrations/microsoft/syncs", "{\"syncs\":[\"users\"]}").status()).isEqualTo(200);

        // Full rounds (5 pages at 10 requests a second): the next triggers arrive while one is under way.
        String trigger = "{\"syncs\":[\"users\"],\"provider_config_key\":\"microsoft\",\"connection_id\":\"tailspin\",\"opts\":{\"reset\":true}}";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
          for (int round = 0; round < 6; round++) {
            // Counted before the triggers: a run that starts while they are sent takes their request (it clears the
            // request as it starts) and is the run they asked for, so a count taken after them could wait for
            // another that nothing asked for.
            int started = onA.runs.get() + onB.runs.get();
            List<Future<ApiClient.Response>> calls = new ArrayList<>();
            for (ApiClient api : List.of(apiA, apiB, apiA, apiB)) {
              calls.add(pool.submit(() -> api.post("/sync/trigger", trigger)));
            }
            for (Future<ApiClient.Response> call : calls) {
              assertThat(call.get().status()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> onA.runs.get() + onB.runs.get() > started);
          }
        } finally {
          pool.shutdownNow();
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
          ApiClient.Response s = apiA.get("/sync/status?syncs=users&provider_config_key=microsoft&connection_id=tailspin");
          return Overlap.running.get() == 0 && s.json().path("syncs").get(0).path("status").asText().equals("SUCCESS")
              && s.json().path("syncs").get(0).path("nextScheduledSyncAt").isTextual()
              && !s.json().path("syncs").get(0).path("nextScheduledSyncAt").asText().isEmpty() && !stillRequested(apiA);
        });
        assertThat(Overlap.most.get()).as("runs under way at once").isEqualTo(1);
        assertThat(onA.runs.get() + onB.runs.get()).isGreaterThanOrEqualTo(6);
        ApiClient.Response records = apiB.send(apiB.request("/records?model=User&limit=1000").header("Connection-Id", "tailspin")
            .header("Provider-Config-Key", "microsoft").GET());
        assertThat(records.json().path("records").size()).isEqualTo(450);
      }
    }
  }

  /** A run still asked for: its next execution is due now rather than in an hour. */
  private static boolean stillRequested(ApiClient api) {
    String next = api.get("/sync/status?syncs=users&provider_config_key=microsoft&connection_id=tailspin").json().path("syncs").get(0)
        .path("nextScheduledSyncAt").asText();
    return java.time.Instant.parse(next).isBefore(java.time.Instant.now().plus(Duration.ofMinutes(30)));
  }
}

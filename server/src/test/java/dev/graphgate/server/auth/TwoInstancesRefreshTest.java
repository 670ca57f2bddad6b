package dev.graphgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database, one token endpoint counting requests: an expired token read 250 times on
 * each instance at once is requested once. (The same against the emulator's counters lives in the emulator tests.)
 */
class TwoInstancesRefreshTest {
  @TempDir Path dataDir;
  TestDatabase db;
  Graphgate a;
  Graphgate b;
  SettableClock clock = SettableClock.atSystemTime();
  ScriptedTokenEndpoint entra = new ScriptedTokenEndpoint().delay(300);

  @BeforeEach
  void start() {
    db = TestDatabase.postgres();
    Graphgate.Options options = Graphgate.Options.defaults().withClock(clock).withTokenEndpoint(entra);
    a = Graphgate.start(TestServers.config(db, dataDir).databasePoolSize(8).build(), options);
    b = Graphgate.start(TestServers.config(db, dataDir).databasePoolSize(8).build(), options);
    ApiClient api = TestServers.client(a);
    api.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}");
    api.post("/connections", """
        {"provider_config_key":"ms","connection_id":"c","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"s"},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}""");
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    db.close();
  }

  List<Integer> readConcurrently(int perInstance) throws Exception {
    List<Callable<Integer>> reads = new ArrayList<>();
    for (Graphgate g : List.of(a, b)) {
      ApiClient api = TestServers.client(g);
      for (int i = 0; i < perInstance; i++) {
        reads.add(() -> api.get("/connections/c?provider_config_key=ms").status());
      }
    }
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Integer> f : pool.invokeAll(reads)) {
        statuses.add(f.get());
      }
    }
    return statuses;
  }

  @Test
  void concurrentReadsOnTwoInstancesMakeOneTokenRequest() throws Exception {
    assertThat(readConcurrently(250)).containsOnly(200);
    assertThat(entra.requests()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(50)); // due for refresh on both instances
    assertThat(readConcurrently(250)).containsOnly(200);
    assertThat(entra.requests()).isEqualTo(2);
  }
}

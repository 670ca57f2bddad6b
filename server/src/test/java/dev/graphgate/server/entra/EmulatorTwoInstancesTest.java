package dev.graphgate.server.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Graphgate instances on one PostgreSQL database: the emulator's counters show one token request per refresh. */
class EmulatorTwoInstancesTest {
  static final String APP = "7f5e3d4c-6a8b-4cad-9e2f-3a4b5c6d7e8f";
  static final String TENANT = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a";

  @TempDir Path dataDir;
  EmulatorFixture emulator;
  TestDatabase db;
  Graphgate a;
  Graphgate b;
  SettableClock clock = SettableClock.atSystemTime();

  @BeforeEach
  void start() {
    emulator = new EmulatorFixture();
    emulator.tenant(TENANT, "northwind.onmicrosoft.com");
    emulator.app(APP, "secret", null, List.of());
    emulator.grant(TENANT, APP, List.of("User.Read.All"));
    db = TestDatabase.postgres();
    Graphgate.Options options = Graphgate.Options.defaults().withClock(clock);
    a = Graphgate.start(TestServers.config(db, dataDir).cloud(emulator.cloud()).databasePoolSize(8).build(), options);
    b = Graphgate.start(TestServers.config(db, dataDir).cloud(emulator.cloud()).databasePoolSize(8).build(), options);
    ApiClient api = TestServers.client(a);
    api.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}");
    api.post("/connections", """
        {"provider_config_key":"ms","connection_id":"northwind","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"secret"},
         "connection_config":{"tenantId":"%s"}}""".formatted(APP, TENANT));
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    db.close();
    emulator.close();
  }

  List<Integer> readOnBothInstances(int each) throws Exception {
    List<Callable<Integer>> reads = new ArrayList<>();
    for (Graphgate g : List.of(a, b)) {
      ApiClient api = TestServers.client(g);
      for (int i = 0; i < each; i++) {
        reads.add(() -> api.get("/connections/northwind?provider_config_key=ms").status());
      }
    }
    return Concurrently.all(reads);
  }

  /** When the instance's token expires: a new token moves it (the emulator may hand out the same signed token again within a second). */
  String token(Graphgate g) {
    return TestServers.client(g).get("/connections/northwind?provider_config_key=ms").json().path("credentials").path("expires_at").asText();
  }

  @Test
  void concurrentReadsOnTwoInstancesMakeOneTokenRequestPerRefresh() throws Exception {
    assertThat(readOnBothInstances(250)).containsOnly(200);
    assertThat(emulator.tokenRequests()).isEqualTo(1);
    String first = token(a);

    clock.advance(Duration.ofMinutes(50)); // within the refresh margin on both instances, still valid
    assertThat(readOnBothInstances(250)).containsOnly(200);
    // Both instances served the valid token at once and started one background refresh each; one of them wins the
    // lease and asks Entra, the other takes its token from the row.
    await().atMost(Duration.ofSeconds(20)).until(() -> emulator.tokenRequests() == 2);
    await().atMost(Duration.ofSeconds(20)).until(() -> !token(a).equals(first) && !token(b).equals(first));
    assertThat(token(a)).isEqualTo(token(b));
    assertThat(emulator.tokenRequests()).isEqualTo(2);
  }
}

package dev.graphgate.server.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestConnections;
import dev.graphgate.server.testing.TestIntegrations;
import dev.graphgate.server.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two Graphgate instances on one PostgreSQL database: the emulator's counters show one token request per refresh. */
class EmulatorTwoInstancesTest {
  static final String APP = "7f5e3d4c-6a8b-4cad-9e2f-3a4b5c6d7e8f";
  static final String TENANT = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a";

  Graphgate a;
  Graphgate b;
  SettableClock clock = SettableClock.atSystemTime();

  @RegisterExtension final GraphgateExtension graphgate = GraphgateExtension.postgres().withEmulator().instances(2)
      .config(b -> b.databasePoolSize(8)).options(() -> Graphgate.Options.defaults().withClock(clock));

  @BeforeEach
  void start() {
    graphgate.emulator().tenant(TENANT, "northwind.onmicrosoft.com");
    graphgate.emulator().app(APP, "secret", null, List.of());
    graphgate.emulator().grant(TENANT, APP, List.of("User.Read.All"));
    a = graphgate.server(0);
    b = graphgate.server(1);
    ApiClient api = TestServers.client(a);
    TestIntegrations.secret().uniqueKey("ms").create(api);
    TestConnections.secret("ms").connectionId("northwind").clientId(APP).clientSecret("secret").tenant(TENANT).post(api);
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
    assertThat(graphgate.emulator().tokenRequests()).isEqualTo(1);
    String first = token(a);

    clock.advance(Duration.ofMinutes(50)); // within the refresh margin on both instances, still valid
    assertThat(readOnBothInstances(250)).containsOnly(200);
    // Both instances served the valid token at once and started one background refresh each; one of them wins the
    // lease and asks Entra, the other takes its token from the row.
    await().atMost(Duration.ofSeconds(20)).until(() -> graphgate.emulator().tokenRequests() == 2);
    await().atMost(Duration.ofSeconds(20)).until(() -> !token(a).equals(first) && !token(b).equals(first));
    assertThat(token(a)).isEqualTo(token(b));
    assertThat(graphgate.emulator().tokenRequests()).isEqualTo(2);
  }
}

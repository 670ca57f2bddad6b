package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.faults.FaultPolicy;
import dev.graphgate.emulator.support.Http;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  static final List<Duration> slept = new CopyOnWriteArrayList<>();
  static GraphTestEmulator emulator;
  static Http graph;

  @BeforeAll
  static void start() {
    EmulatorConfig config = EmulatorConfig.ephemeral();
    config = config.withGraph(config.graph().withSleeper(slept::add));
    emulator = GraphTestEmulator.start(config);
    Tenant tenant = emulator.tenant("faults", GraphTestEmulator.spec(5, 0, 0, 0, 0, 0, 1));
    graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void faultsOff() {
    emulator.admin().delete("faults");
  }

  private static List<Integer> statuses(int requests) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      statuses.add(graph.get("users?$top=1&$select=id").status());
    }
    return statuses;
  }

  @Test
  void injectedFaultsHitAtTheConfiguredRate() {
    emulator.admin().put("faults", Map.of("rates", Map.of("SERVICE_UNAVAILABLE", 0.2, "INTERNAL_SERVER_ERROR", 0.1), "seed", 11));
    List<Integer> statuses = statuses(600);
    long unavailable = statuses.stream().filter(s -> s == 503).count();
    long broken = statuses.stream().filter(s -> s == 500).count();
    // Binomial(600, p): three standard deviations are about 29 (p = 0.2) and 22 (p = 0.1) requests.
    assertThat(unavailable).isBetween(120L - 30, 120L + 30);
    assertThat(broken).isBetween(60L - 22, 60L + 22);
    assertThat(statuses).containsOnly(200, 500, 503);
  }

  @Test
  void theSameSeedInjectsTheSameFaultsInTheSameOrder() {
    Map<String, Object> config = Map.of("rates", Map.of("GATEWAY_TIMEOUT", 0.3), "seed", 99);
    emulator.admin().put("faults", config);
    List<Integer> first = statuses(80);
    emulator.admin().put("faults", config);
    List<Integer> second = statuses(80);
    assertThat(second).isEqualTo(first).contains(504, 200);
    emulator.admin().put("faults", Map.of("rates", Map.of("GATEWAY_TIMEOUT", 0.3), "seed", 100));
    assertThat(statuses(80)).isNotEqualTo(first);
  }

  @Test
  void injected503sCarryRetryAfterAndGraphsErrorBody() {
    emulator.admin().put("faults", Map.of("rates", Map.of("SERVICE_UNAVAILABLE", 1.0), "retryAfterSeconds", 7));
    Http.Response reply = graph.get("users");
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).contains("7");
    assertThat(reply.errorCode()).isEqualTo("serviceNotAvailable");
    assertThat(reply.header("request-id")).isPresent();
  }

  @Test
  void aConnectionResetReachesTheClientAsAnIoError() {
    emulator.admin().put("faults", Map.of("rates", Map.of(FaultPolicy.CONNECTION_RESET.name(), 1.0)));
    assertThatThrownBy(() -> graph.get("users")).isInstanceOf(UncheckedIOException.class);
    emulator.admin().delete("faults");
    assertThat(graph.get("users").status()).isEqualTo(200);
    assertThat(emulator.emulator.stats().graphRequests("users", 0)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aSlowResponseWaitsThroughTheInjectedSleeperThenAnswers() {
    slept.clear();
    emulator.admin().put("faults", Map.of("rates", Map.of("SLOW_RESPONSE", 1.0), "slowResponseMillis", 1500));
    assertThat(graph.get("users").status()).isEqualTo(200);
    assertThat(slept).containsExactly(Duration.ofMillis(1500));
  }

  @Test
  void badFaultSettingsAreRefusedWithTheReason() {
    Http.Response tooMuch = emulator.admin().put("faults", Map.of("rates", Map.of("SERVICE_UNAVAILABLE", 0.7, "GATEWAY_TIMEOUT", 0.6)));
    assertThat(tooMuch.status()).isEqualTo(400);
    assertThat(tooMuch.json().path("error").path("message").asText()).contains("at most 1");
    assertThat(emulator.admin().put("faults", Map.of("rates", Map.of("METEOR_STRIKE", 0.1))).json().path("error").path("message").asText())
        .contains("unknown fault policy");
  }
}

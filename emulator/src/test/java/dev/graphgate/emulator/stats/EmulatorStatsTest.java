package dev.graphgate.emulator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorStatsTest {

  @Test
  void tokenRequestsUnderEndlesslyNewNamesThenCountedInOneOtherRowOnceTheBoundIsReached() {
    EmulatorStats stats = new EmulatorStats();
    stats.recordTokenRequest("contoso", "app", true);
    int names = EmulatorStats.MAX_TOKEN_KEYS + 500;
    for (int i = 0; i < names; i++) {
      stats.recordTokenRequest("tenant-" + i, "client-" + i, false);
    }
    stats.recordTokenRequest("contoso", "app", true);

    assertThat(stats.tokenRequests("contoso", "app")).as("a pair counted before the bound keeps counting").isEqualTo(2);
    assertThat(stats.tokenRequests(EmulatorStats.OTHER, EmulatorStats.OTHER)).isEqualTo(501);
    Map<String, Object> tokens = tokenSection(stats);
    assertThat(tokens.get("total")).isEqualTo(names + 2L);
    assertThat(tokens.get("failed")).isEqualTo((long) names);
    assertThat((List<?>) tokens.get("byTenantAndApp")).hasSize(EmulatorStats.MAX_TOKEN_KEYS + 1);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tokenSection(EmulatorStats stats) {
    return (Map<String, Object>) stats.snapshot().get("tokenRequests");
  }
}

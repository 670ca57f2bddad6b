package dev.graphgate.emulator.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Scenario;
import dev.graphgate.emulator.support.Scenario.Client;
import dev.graphgate.emulator.support.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token reuse window: repeated identical requests share one signature, anything that changes the claims does not. */
class TokenReuseTest {

  final SettableClock clock = new SettableClock(Instant.now());
  Emulator emulator;

  @AfterEach
  void stop() {
    emulator.close();
  }

  Scenario start(Duration window) {
    emulator = Emulator.start(EmulatorConfig.ephemeral().withClock(clock).withTokenReuseWindow(window));
    return new Scenario(emulator, Http.client());
  }

  static String token(Scenario scenario, Tenant tenant, Map<String, String> form) {
    Http.Response response = scenario.token(tenant.id(), form);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().path("access_token").asText();
  }

  @Test
  void repeatedRequestWithinWindowThenSameTokenAndEveryRequestCounted() {
    Scenario scenario = start(Duration.ofSeconds(5));
    Tenant tenant = scenario.tenant();
    Client client = scenario.grantedApp(tenant, "User.Read.All");

    String first = token(scenario, tenant, scenario.secretForm(client));
    clock.tick(Duration.ofSeconds(2));
    Http.Response second = scenario.token(tenant.id(), scenario.secretForm(client));

    assertThat(second.json().path("access_token").asText()).isEqualTo(first);
    assertThat(second.json().path("expires_in").asLong()).isEqualTo(3597);
    assertThat(emulator.stats().tokenRequests(tenant.id(), client.appId())).isEqualTo(2);
    assertThat(emulator.stats().tokensSigned()).isEqualTo(1);
  }

  @Test
  void requestAfterWindowThenNewToken() {
    Scenario scenario = start(Duration.ofSeconds(1));
    Tenant tenant = scenario.tenant();
    Client client = scenario.grantedApp(tenant, "User.Read.All");

    String first = token(scenario, tenant, scenario.secretForm(client));
    clock.tick(Duration.ofSeconds(1));

    assertThat(token(scenario, tenant, scenario.secretForm(client))).isNotEqualTo(first);
  }

  @Test
  void grantChangeOrOtherAudienceThenNewTokenEvenWithinWindow() {
    Scenario scenario = start(Duration.ofSeconds(30));
    Tenant tenant = scenario.tenant();
    Client client = scenario.grantedApp(tenant, "User.Read.All");
    String first = token(scenario, tenant, scenario.secretForm(client));

    emulator.directory().grant(tenant.id(), client.appId(), List.of("User.Read.All", "Mail.Read"));
    String afterGrant = token(scenario, tenant, scenario.secretForm(client));
    Map<String, String> byAppId = scenario.secretForm(client);
    byAppId.put("scope", "00000003-0000-0000-c000-000000000000/.default");
    String otherAudience = token(scenario, tenant, byAppId);

    assertThat(List.of(first, afterGrant, otherAudience)).doesNotHaveDuplicates();
  }

  @Test
  void zeroWindowThenEveryRequestSignsANewToken() {
    Scenario scenario = start(Duration.ZERO);
    Tenant tenant = scenario.tenant();
    Client client = scenario.grantedApp(tenant, "User.Read.All");

    String first = token(scenario, tenant, scenario.secretForm(client));
    String second = token(scenario, tenant, scenario.secretForm(client));

    assertThat(second).isNotEqualTo(first);
    assertThat(emulator.stats().tokensSigned()).isEqualTo(2);
  }
}

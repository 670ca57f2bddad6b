package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.store.IdCodec;
import dev.graphgate.emulator.graph.store.IdKind;
import dev.graphgate.emulator.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationTest {

  @Test
  void theSameSeedAndSizesGenerateTheSameTenant() {
    String first;
    String second;
    try (GraphTestEmulator a = GraphTestEmulator.start(EmulatorConfig.ephemeral().withSeed(7))) {
      first = page(a);
    }
    try (GraphTestEmulator b = GraphTestEmulator.start(EmulatorConfig.ephemeral().withSeed(7))) {
      second = page(b);
    }
    assertThat(second).isEqualTo(first);
    try (GraphTestEmulator c = GraphTestEmulator.start(EmulatorConfig.ephemeral().withSeed(8))) {
      assertThat(page(c)).isNotEqualTo(first);
    }
  }

  private static String page(GraphTestEmulator emulator) {
    Tenant tenant = emulator.emulator.directory().createTenant(java.util.Optional.of("11111111-2222-3333-4444-555555555555"),
        java.util.Optional.of("Same"), java.util.List.of("same.onmicrosoft.com"));
    emulator.emulator.graphData().tenants().generate(tenant.id(), GraphTestEmulator.spec(20, 1, 3, 2, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All", "Mail.Read"));
    JsonNode users = graph.get("users?$select=id,displayName,userPrincipalName,department").json().path("value");
    String mail = graph.get("users/" + users.get(0).path("id").asText() + "/messages?$select=subject,receivedDateTime,from").json().path("value").toString();
    return users.toString() + mail;
  }

  @Test
  void aTenantOfAHundredThousandUsersAnswersAnyUserById() {
    try (GraphTestEmulator emulator = GraphTestEmulator.start()) {
      Tenant tenant = emulator.emulator.directory().createTenant(java.util.Optional.empty(), java.util.Optional.of("Big"), java.util.List.of("big.onmicrosoft.com"));
      Http.Response generated = emulator.admin().post("tenants/" + tenant.id() + "/generate", Map.of("users", 100_000, "groups", 1_000,
          "membersPerGroup", 50, "messagesPerMailbox", 20, "anchorDate", "2025-03-14"));
      assertThat(generated.status()).as(generated.body()).isEqualTo(200);
      assertThat(generated.json().path("current").path("users").asLong()).isEqualTo(100_000);
      Http graph = emulator.graph(emulator.token(tenant, "User.Read.All", "Mail.Read"));
      IdCodec ids = new IdCodec(EmulatorConfig.DEFAULT_SEED, tenant.id());
      JsonNode last = graph.get("users/" + ids.guid(IdKind.USER, 0, 99_999)).json();
      assertThat(last.path("userPrincipalName").asText()).endsWith("99999@big.onmicrosoft.com");
      assertThat(graph.get("users/" + last.path("userPrincipalName").asText()).json().path("id").asText()).isEqualTo(last.path("id").asText());
      assertThat(graph.get("users/" + last.path("id").asText() + "/messages?$top=20").json().path("value")).hasSize(20);
      assertThat(graph.get("users/$count", "ConsistencyLevel", "eventual").body()).isEqualTo("100000");
    }
  }

  @Test
  void generationRefusesSizesOutOfRangeAndUnknownMembers() {
    try (GraphTestEmulator emulator = GraphTestEmulator.start()) {
      Tenant tenant = emulator.tenant("sizes", GraphTestEmulator.spec(1, 0, 0, 0, 0, 0, 1));
      Http.Response negative = emulator.admin().post("tenants/" + tenant.id() + "/generate", Map.of("users", -1));
      assertThat(negative.status()).isEqualTo(400);
      assertThat(negative.json().path("error").path("message").asText()).contains("users must be between 0");
      assertThat(emulator.admin().post("tenants/" + tenant.id() + "/generate", Map.of("usres", 5)).json().path("error").path("message").asText())
          .contains("unknown member 'usres'");
      assertThat(emulator.admin().post("tenants/00000000-0000-4000-8000-00000000beef/generate", Map.of("users", 5)).status()).isEqualTo(404);
    }
  }

  @Test
  void aFixtureGeneratesDataAndConfiguresThrottlingAndFaults(@TempDir Path dir) throws Exception {
    Path fixture = dir.resolve("fixture.json");
    Files.writeString(fixture, """
        {"tenants": [{"id": "22222222-3333-4444-5555-666666666666", "domains": ["fixture.onmicrosoft.com"]}],
         "graph": {
           "generate": [{"tenantId": "fixture.onmicrosoft.com", "users": 42, "groups": 2, "membersPerGroup": 3, "anchorDate": "2025-01-01"}],
           "throttling": {"mailbox": {"requests": 10000, "windowSeconds": 600, "concurrent": 4}},
           "faults": {"rates": {"SERVICE_UNAVAILABLE": 0.0}, "seed": 5}}}""");
    try (GraphTestEmulator emulator = GraphTestEmulator.start(EmulatorConfig.ephemeral().withFixture(fixture))) {
      JsonNode data = emulator.admin().get("tenants/22222222-3333-4444-5555-666666666666/data").json();
      assertThat(data.path("current").path("users").asInt()).isEqualTo(42);
      assertThat(emulator.admin().get("throttling").json().path("mailbox").path("concurrent").asInt()).isEqualTo(4);
      assertThat(emulator.admin().get("faults").json().path("seed").asLong()).isEqualTo(5);
      JsonNode users = emulator.adminGraph(emulator.emulator.directory().findTenant("fixture.onmicrosoft.com").orElseThrow())
          .get("users?$top=100").json().path("value");
      assertThat(users).hasSize(42);
    }
  }

  @Test
  void aFixtureWithABadGraphSectionStopsTheStartNamingTheProblem(@TempDir Path dir) throws Exception {
    Path fixture = dir.resolve("fixture.json");
    Files.writeString(fixture, """
        {"tenants": [{"domains": ["bad.onmicrosoft.com"]}], "graph": {"generate": [{"tenantId": "bad.onmicrosoft.com", "users": -5}]}}""");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GraphTestEmulator.start(EmulatorConfig.ephemeral().withFixture(fixture)))
        .hasMessageContaining("graph").hasMessageContaining("users must be between 0");
  }
}

package dev.graphgate.emulator.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Jwt;
import dev.graphgate.emulator.support.Scenario;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture file loaded at start: the documented example works, and a bad entry stops the start naming it. */
class FixtureTest {

  static final String FIXTURE = """
      {
        "tenants": [{"id": "11111111-2222-3333-4444-555555555555", "domains": ["contoso.onmicrosoft.com"]}],
        "apps": [{"appId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "displayName": "Acme sync", "multiTenant": true,
                  "requiredRoles": ["User.Read.All"], "secrets": [{"value": "acme-secret-value"}]}],
        "grants": [{"tenantId": "contoso.onmicrosoft.com", "appId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "roles": ["User.Read.All"]}]
      }
      """;

  @TempDir Path dir;

  @Test
  void fixtureFileThenTenantAppAndGrantReadyForTokens() throws IOException {
    Path file = Files.writeString(dir.resolve("fixture.json"), FIXTURE);

    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral().withFixture(file))) {
      Http.Response token = Http.client().postForm(URI.create(emulator.loginUrl() + "/contoso.onmicrosoft.com/oauth2/v2.0/token"),
          Http.formOf("grant_type", "client_credentials", "client_id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
              "client_secret", "acme-secret-value", "scope", Scenario.GRAPH_DEFAULT));

      assertThat(token.status()).isEqualTo(200);
      assertThat(Jwt.claims(token.json().path("access_token").asText()).path("tid").asText())
          .isEqualTo("11111111-2222-3333-4444-555555555555");
    }
  }

  @Test
  void fixtureWithBadEntryThenStartFailsNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.json"),
        "{\"tenants\":[{\"domains\":[\"ok.onmicrosoft.com\"]},{\"id\":\"nope\"}]}");

    assertThatThrownBy(() -> Emulator.start(EmulatorConfig.ephemeral().withFixture(file)).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenants[1]")
        .hasMessageContaining("nope");
  }

  @Test
  void fixtureThatIsNotJsonThenStartFailsSayingWhere() throws IOException {
    Path file = Files.writeString(dir.resolve("broken.json"), "{\"tenants\": [");

    assertThatThrownBy(() -> Emulator.start(EmulatorConfig.ephemeral().withFixture(file)).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }
}

package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphgate.server.config.InvalidConfigException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the demo prints must work: Graphgate hands out contoso's token, and the emulator answers the direct request. */
class DemoCommandTest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void demoThenPrintedRequestsSucceed() throws Exception {
    try (DemoCommand.Demo demo = DemoCommand.start(0, 0, 0)) {
      HttpResponse<String> contoso = http.send(HttpRequest.newBuilder(
              URI.create(demo.baseUrl() + "/connections/contoso?provider_config_key=" + DemoCommand.INTEGRATION))
          .header("Authorization", "Bearer " + DemoCommand.SECRET_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(contoso.statusCode()).as(contoso.body()).isEqualTo(200);
      JsonNode c = new ObjectMapper().readTree(contoso.body());
      assertThat(c.path("status").asText()).isEqualTo("ok");
      assertThat(c.path("granted_permissions").size()).isEqualTo(DemoCommand.ROLES.size());
      assertThat(c.path("credentials").path("token").asText()).startsWith("ey");

      HttpResponse<String> fabrikam = http.send(HttpRequest.newBuilder(
              URI.create(demo.baseUrl() + "/connections/fabrikam?provider_config_key=" + DemoCommand.INTEGRATION))
          .header("Authorization", "Bearer " + DemoCommand.SECRET_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(fabrikam.statusCode()).as(fabrikam.body()).isEqualTo(200);
      JsonNode f = new ObjectMapper().readTree(fabrikam.body());
      assertThat(f.path("status").asText()).isEqualTo("consent_missing");
      assertThat(f.path("admin_consent_url").asText()).startsWith(demo.emulator().loginUrl() + "/").contains("/v2.0/adminconsent?client_id=" + DemoCommand.APP_ID);

      String hint = CurlHints.tokenRequest(demo.emulator(), DemoCommand.TENANT_DOMAIN, DemoCommand.APP_ID, DemoCommand.APP_SECRET);
      assertThat(hint).contains(demo.emulator().loginUrl() + "/contoso.onmicrosoft.com/oauth2/v2.0/token");
      String form = "grant_type=client_credentials&client_id=" + DemoCommand.APP_ID + "&client_secret=" + DemoCommand.APP_SECRET
          + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
      HttpResponse<String> direct = http.send(
          HttpRequest.newBuilder(URI.create(demo.emulator().loginUrl() + "/" + DemoCommand.TENANT_DOMAIN + "/oauth2/v2.0/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(direct.statusCode()).isEqualTo(200);
      assertThat(direct.body()).contains("\"token_type\":\"Bearer\"");
    }
  }

  @Test
  void theDemoSyncsContosoUsersAndGroupsIntoRecords() throws Exception {
    try (DemoCommand.Demo demo = DemoCommand.start(0, 0, 0)) {
      HttpRequest records = HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/records?model=User&limit=3"))
          .header("Authorization", "Bearer " + DemoCommand.SECRET_KEY).header("Connection-Id", "contoso")
          .header("Provider-Config-Key", DemoCommand.INTEGRATION).GET().build();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl()
                + "/sync/status?syncs=users,groups&provider_config_key=" + DemoCommand.INTEGRATION + "&connection_id=contoso"))
            .header("Authorization", "Bearer " + DemoCommand.SECRET_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode syncs = new ObjectMapper().readTree(status.body()).path("syncs");
        return syncs.size() == 2 && syncs.get(0).path("status").asText().equals("SUCCESS") && syncs.get(1).path("status").asText().equals("SUCCESS");
      });
      HttpResponse<String> page = http.send(records, HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(page.body());
      assertThat(body.path("records").size()).isEqualTo(3);
      assertThat(body.path("next_cursor").isTextual()).isTrue();
      assertThat(body.path("records").get(0).path("_nango_metadata").path("last_action").asText()).isEqualTo("ADDED");
    }
  }

  @Test
  void theDemosConnectLinkOpensTheConnectUiWithALiveSession() throws Exception {
    try (DemoCommand.Demo demo = DemoCommand.start(0, 0, 0)) {
      String link = demo.connectLink();
      assertThat(link).startsWith(demo.baseUrl() + "/connect/?session_token=nango_connect_session_");
      assertThat(java.time.Instant.parse(demo.connectLinkExpiresAt())).isAfter(java.time.Instant.now());
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("/connect/assets/connect.js");
      String token = link.substring(link.indexOf("session_token=") + "session_token=".length());
      HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/connect/session"))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(session.body()).path("data").path("allowed_integrations").get(0).asText())
          .isEqualTo(DemoCommand.INTEGRATION);
    }
  }

  @Test
  void graphgatePortIsReadWhenTheDemoRunsAndABadOneIsNamed() {
    // Building the command reads no environment, so a bad GRAPHGATE_PORT cannot break every subcommand.
    assertThat(new DemoCommand().port).isNull();
    assertThat(DemoCommand.defaultPort(Map.of())).isEqualTo(3003);
    assertThat(DemoCommand.defaultPort(Map.of("GRAPHGATE_PORT", "3010"))).isEqualTo(3010);
    assertThatThrownBy(() -> DemoCommand.defaultPort(Map.of("GRAPHGATE_PORT", "eighty")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("GRAPHGATE_PORT must be a whole number, got 'eighty'");
  }
}

package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the demo prints must work: the seeded tenant and app answer the printed token request. */
class DemoCommandTest {

  @Test
  void demoSeedThenPrintedTokenRequestSucceeds() throws Exception {
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral())) {
      DemoCommand.seed(emulator);
      String hint = CurlHints.tokenRequest(emulator, DemoCommand.TENANT_DOMAIN, DemoCommand.APP_ID, DemoCommand.APP_SECRET);
      assertThat(hint).contains(emulator.loginUrl() + "/contoso.onmicrosoft.com/oauth2/v2.0/token");

      String form = "grant_type=client_credentials&client_id=" + DemoCommand.APP_ID + "&client_secret=" + DemoCommand.APP_SECRET
          + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(emulator.loginUrl() + "/" + DemoCommand.TENANT_DOMAIN + "/oauth2/v2.0/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"token_type\":\"Bearer\"");
    }
  }
}

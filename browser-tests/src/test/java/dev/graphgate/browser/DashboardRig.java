package dev.graphgate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's world for the dashboard's tests, on this machine: the emulator with Contoso (the app's permissions
 * granted, Graph data generated) and Fabrikam (the app installed, nothing granted), Graphgate in front of it with the
 * integration {@code microsoft}, the connections {@code contoso} and {@code fabrikam} and the users sync, a webhook
 * receiver the app would run, and one browser.
 */
final class DashboardRig implements AutoCloseable {
  static final String CONTOSO = "7f0c9b1e-2d3a-4c5b-8e6f-9a0b1c2d3e4f";
  static final String FABRIKAM = "3a9e5c1d-7b2f-4e8a-9c6d-1f0e2d3c4b5a";
  static final String APP = "5d3c1b2a-4e6f-4a8b-9c0d-1e2f3a4b5c6d";
  static final String SECRET = "Qx8~dashboard-app-secret";
  static final List<String> ROLES = List.of("User.Read.All", "Group.Read.All", "Mail.Read", "Calendars.Read", "Files.Read.All", "Sites.Read.All");
  static final Path ARTIFACTS = Path.of(System.getProperty("dashboard.artifacts.dir", "target/dashboard"));

  final Path dataDir;
  final EmulatorFixture emulator;
  final TestDatabase db;
  final WebhookReceiver receiver;
  final Graphgate graphgate;
  final ApiClient api;
  final Browsers browsers;

  DashboardRig() {
    try {
      dataDir = Files.createTempDirectory("gg-dashboard-rig");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    emulator = new EmulatorFixture();
    emulator.tenant(CONTOSO, "contoso.onmicrosoft.com");
    emulator.tenant(FABRIKAM, "fabrikam.onmicrosoft.com");
    emulator.generate(CONTOSO, "{\"users\": 250, \"groups\": 6, \"membersPerGroup\": 4, \"anchorDate\": \"2025-03-14\"}");
    db = TestDatabase.h2();
    // The app's endpoint answers 500 until a test says otherwise; one attempt each, so a delivery fails at once.
    receiver = WebhookReceiver.started().answer(500);
    graphgate = Graphgate.start(TestServers.config(db, dataDir).cloud(emulator.cloud()).syncPollInterval(Duration.ofMillis(200))
        .webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true)
            .withDelivery(Duration.ofSeconds(5), 1, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(50))).build());
    // The app, registered with Graphgate's consent callback; Contoso's admin granted it, Fabrikam's installed it only.
    emulator.consentApp(APP, SECRET, ROLES, List.of(url() + "/admin-consent/callback"));
    emulator.grant(CONTOSO, APP, ROLES);
    emulator.grant(FABRIKAM, APP, List.of());
    api = TestServers.client(graphgate);
    expect(api.patch("/webhooks/settings", "{\"primary_url\":\"%s\",\"on_auth_creation\":true}".formatted(receiver.url("/hooks"))), 200);
    expect(api.post("/integrations", "{\"unique_key\":\"microsoft\",\"provider\":\"microsoft-oauth2-cc\",\"display_name\":\"Microsoft 365\"}"), 200);
    for (String[] c : new String[][] {{"contoso", CONTOSO}, {"fabrikam", FABRIKAM}}) {
      expect(api.post("/connections", """
          {"provider_config_key":"microsoft","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
           "connection_config":{"tenantId":"%s"},"tags":{"plan":"enterprise"},
           "end_user":{"id":"admin-%s","email":"admin@%s.com","display_name":"%s admin"}}"""
          .formatted(c[0], APP, SECRET, c[1], c[0], c[0], c[0].substring(0, 1).toUpperCase() + c[0].substring(1))), 201);
    }
    expect(api.put("/integrations/microsoft/syncs", "{\"syncs\":[\"users\"]}"), 200);
    browsers = new Browsers();
  }

  URI url() {
    return URI.create("http://localhost:" + graphgate.port());
  }

  URI dashboard(String hash) {
    return URI.create(url() + "/dashboard/" + hash);
  }

  static ApiClient.Response expect(ApiClient.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r;
  }

  @Override
  public void close() {
    try {
      browsers.close();
      graphgate.close();
      receiver.close();
      emulator.close();
    } finally {
      db.close();
    }
  }
}

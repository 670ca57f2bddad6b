package dev.graphgate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.TestCertificates;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a Connect UI test drives, real and on this machine: the Microsoft emulator with a customer tenant and
 * the apps each outcome needs, Graphgate in front of it with three integrations, the customer's app page, and one
 * browser.
 */
final class ConnectRig implements AutoCloseable {
  static final String CONTOSO = "7f0c9b1e-2d3a-4c5b-8e6f-9a0b1c2d3e4f";
  static final String CONTOSO_DOMAIN = "contoso.onmicrosoft.com";
  /** A tenant no directory knows. */
  static final String NOWHERE = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
  static final String APP = "5d3c1b2a-4e6f-4a8b-9c0d-1e2f3a4b5c6d";
  static final String SECRET = "Qx8~app-secret-value";
  static final String SECOND_SECRET = "Zr2~second-secret-value";
  static final String ROTATED_APP = "2e5f6a7b-8c9d-4e0f-9a1b-3c4d5e6f7a8b";
  static final String EXPIRED_APP = "8a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
  static final String EXPIRED_SECRET = "old~secret-value";
  static final String FOREIGN_APP = "9b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
  static final String UNCONSENTED_APP = "0c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
  static final String CERT_APP = "6e4d2c3b-5f7a-4b9c-8d1e-2f3a4b5c6d7e";
  static final String SHARED_APP = "1d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a";
  static final String SHARED_SECRET = "shared~app-secret";
  static final List<String> ROLES = List.of("User.Read.All", "Mail.Read");

  final EmulatorFixture emulator;
  final TestDatabase db;
  final Graphgate graphgate;
  final ApiClient api;
  final AppPageServer app;
  final Browsers browsers;
  final TestCertificates certificate = TestCertificates.generate("graphgate-connect-ui");

  ConnectRig(Path dataDir) {
    emulator = new EmulatorFixture();
    emulator.tenant(CONTOSO, CONTOSO_DOMAIN);
    emulator.app(APP, SECRET, null, List.of());
    emulator.grant(CONTOSO, APP, ROLES);
    emulator.app(EXPIRED_APP, EXPIRED_SECRET, "2020-01-01T00:00:00Z", List.of());
    emulator.grant(CONTOSO, EXPIRED_APP, ROLES);
    emulator.app(FOREIGN_APP, SECRET, null, List.of());
    emulator.app(UNCONSENTED_APP, SECRET, null, List.of());
    emulator.grant(CONTOSO, UNCONSENTED_APP, List.of());
    emulator.app(CERT_APP, null, null, List.of(certificate.certificatePem()));
    emulator.grant(CONTOSO, CERT_APP, ROLES);
    db = TestDatabase.h2();
    graphgate = Graphgate.start(TestServers.config(db, dataDir).cloud(emulator.cloud()).build());
    emulator.consentApp(SHARED_APP, SHARED_SECRET, ROLES, List.of(graphgateUrl() + "/admin-consent/callback"));
    api = TestServers.client(graphgate);
    expect(api.post("/integrations", """
        {"unique_key":"microsoft","provider":"microsoft-oauth2-cc","display_name":"Microsoft 365"}"""), 200);
    expect(api.post("/integrations", """
        {"unique_key":"microsoft-cert","provider":"microsoft-oauth2-cc-cert","display_name":"Microsoft 365 (certificate)"}"""), 200);
    expect(api.post("/integrations", """
        {"unique_key":"microsoft-shared","provider":"microsoft-oauth2-cc","display_name":"Microsoft 365 for Example app",
         "credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"}}""".formatted(SHARED_APP, SHARED_SECRET)), 200);
    app = new AppPageServer();
    browsers = new Browsers();
  }

  /** Graphgate as the browser reaches it: its public URL (http://localhost:port by default), where the callback posts back to. */
  URI graphgateUrl() {
    return URI.create("http://localhost:" + graphgate.port());
  }

  /** A connect session for end user {@code user} ({@code more}: further fields of the body, or empty); its token. */
  String session(String user, String more) {
    return sessionAnswer(user, more).path("token").asText();
  }

  JsonNode sessionAnswer(String user, String more) {
    ApiClient.Response r = expect(api.post("/connect/sessions", """
        {"end_user":{"id":"%s","email":"%s@example.com","display_name":"Ann Admin"},"organization":{"id":"org-%s","display_name":"Contoso"}%s}"""
        .formatted(user, user, user, more.isEmpty() ? "" : "," + more)), 201);
    return r.json().path("data");
  }

  /** The app's page, its "Connect" button pressed: the SDK's frame with the Connect UI, once the UI has shown its first screen. */
  FrameLocator openInApp(Page page, String token, String extra) {
    page.navigate(app.page(graphgateUrl(), token, extra).toString());
    page.click("#open");
    page.waitForFunction("() => window.connectEvents.some(e => e.type === 'ready')");
    return page.frameLocator("#connect-ui");
  }

  /** Waits until the Connect UI shows the screen whose heading is {@code title}. */
  static void heading(FrameLocator ui, String title) {
    ui.locator("h1", new FrameLocator.LocatorOptions().setHasText(title)).waitFor();
    assertThat(ui.locator("h1").textContent()).isEqualTo(title);
  }

  /** Waits until the app heard an event of {@code type} from the Connect UI and answers its payload. */
  static JsonNode event(Page page, String type) {
    page.waitForFunction("t => window.connectEvents.some(e => e.type === t)", type);
    Object events = page.evaluate("t => JSON.stringify(window.connectEvents.filter(e => e.type === t))", type);
    JsonNode list = Json.parse((String) events);
    return list.get(list.size() - 1).path("payload");
  }

  static long events(Page page, String type) {
    return ((Number) page.evaluate("t => window.connectEvents.filter(e => e.type === t).length", type)).longValue();
  }

  ApiClient.Response connection(String key, String connectionId) {
    return api.get("/connections/" + connectionId + "?provider_config_key=" + key);
  }

  /** The connections of end user {@code user}. */
  JsonNode connectionsOf(String user) {
    return expect(api.get("/connections?endUserId=" + user), 200).json().path("connections");
  }

  static ApiClient.Response expect(ApiClient.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r;
  }

  @Override
  public void close() {
    browsers.close();
    app.close();
    graphgate.close();
    db.close();
    emulator.close();
  }
}

package dev.graphgate.browser;

import static dev.graphgate.browser.ConnectRig.APP;
import static dev.graphgate.browser.ConnectRig.CONTOSO;
import static dev.graphgate.browser.ConnectRig.EXPIRED_APP;
import static dev.graphgate.browser.ConnectRig.EXPIRED_SECRET;
import static dev.graphgate.browser.ConnectRig.FOREIGN_APP;
import static dev.graphgate.browser.ConnectRig.NOWHERE;
import static dev.graphgate.browser.ConnectRig.SECRET;
import static dev.graphgate.browser.ConnectRig.UNCONSENTED_APP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import dev.graphgate.server.testing.ApiClient;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A customer's admin connecting a tenant with a client secret in the Connect UI, opened by {@code @nangohq/frontend}
 * in the app's page: every screen, every failure's wording, what the app hears, and what Graphgate stored.
 */
class ConnectUiFlowTest {
  @RegisterExtension static final ConnectRigExtension connect = new ConnectRigExtension();

  static Locator button(FrameLocator ui, String name) {
    return ui.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName(name).setExact(true));
  }

  static void fill(FrameLocator ui, String tenant, String clientId, String secret) {
    ui.getByLabel("Tenant ID").fill(tenant);
    ui.getByLabel("Client ID").fill(clientId);
    ui.getByLabel("Client Secret", new FrameLocator.GetByLabelOptions().setExact(true)).fill(secret);
  }

  @Test
  void anAdminPicksTheIntegrationTypesTheDetailsAndTheAppHearsConnect() {
    String token = connect.rig().session("u-list", "\"allowed_integrations\":[\"microsoft\",\"microsoft-cert\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Choose what to connect");
      assertThat(ui.getByRole(AriaRole.LISTITEM).count()).isEqualTo(2);
      Browsers.screenshot(page, "01-integration-list");
      Browsers.assertAccessible(page, "01-integration-list", true);

      ui.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Microsoft 365").setExact(true)).click();
      ConnectRig.heading(ui, "Connect Microsoft 365");
      Browsers.screenshot(page, "02-form-client-secret");
      Browsers.assertAccessible(page, "02-form-client-secret", true);

      // Validation as the admin types: a domain where a GUID belongs, a secret's ID where its value belongs.
      ui.getByLabel("Tenant ID").pressSequentially(ConnectRig.CONTOSO_DOMAIN);
      assertThat(ui.locator("[data-field=tenantId] .error").textContent()).contains("not a domain name");
      assertThat(ui.getByLabel("Tenant ID").getAttribute("aria-invalid")).isEqualTo("true");
      ui.getByLabel("Client ID").pressSequentially("11112222-bbbb");
      assertThat(ui.locator("[data-field=client_id] .error").textContent()).as("a GUID still being typed is not an error yet").isEmpty();
      ui.getByLabel("Client Secret", new FrameLocator.GetByLabelOptions().setExact(true)).fill("2f3a4b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c");
      assertThat(ui.locator("[data-field=client_secret] .error").textContent()).contains("secret\u2019s ID");
      Browsers.screenshot(page, "03-validation-while-typing");
      Browsers.assertAccessible(page, "03-validation-while-typing", true);

      fill(ui, CONTOSO, APP, SECRET);
      assertThat(ui.locator(".error:not(:empty)").count()).isZero();
      // Hold the creation request until the loading state is on screen, then let it go on to Graphgate.
      AtomicReference<Route> held = new AtomicReference<>();
      page.route("**/oauth2/auth/**", held::set);
      button(ui, "Connect").click();
      page.waitForCondition(() -> held.get() != null);
      assertThat(button(ui, "Connecting\u2026").isDisabled()).isTrue();
      Browsers.screenshot(page, "04-loading");
      held.get().resume();

      JsonNode connected = ConnectRig.event(page, "connect");
      assertThat(connected.path("providerConfigKey").asText()).isEqualTo("microsoft");
      ConnectRig.heading(ui, "Connected");
      Browsers.screenshot(page, "05-success");
      Browsers.assertAccessible(page, "05-success", true);

      ApiClient.Response stored = connect.rig().connection("microsoft", connected.path("connectionId").asText());
      assertThat(stored.status()).as(stored.body()).isEqualTo(200);
      assertThat(stored.json().path("connection_config").path("tenantId").asText()).isEqualTo(CONTOSO);
      assertThat(stored.json().path("credentials").path("client_id").asText()).isEqualTo(APP);
      assertThat(stored.json().path("end_user").path("id").asText()).isEqualTo("u-list");
      assertThat(stored.json().path("status").asText()).isEqualTo("ok");

      button(ui, "Finish").click();
      page.waitForFunction("() => document.getElementById('connect-ui') === null");
      assertThat(ConnectRig.events(page, "close")).isEqualTo(1);
    }
  }

  @Test
  void eachRefusalIsWordedForTheAdminAndTheAppHearsError() {
    String token = connect.rig().session("u-failures", "\"allowed_integrations\":[\"microsoft\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Connect Microsoft 365");

      record Case(String name, String tenant, String clientId, String secret, String title, String status) {}
      for (Case c : new Case[] {
          new Case("06-failure-wrong-secret", CONTOSO, APP, "not-the-secret", "Microsoft did not accept the client secret", "invalid_credentials"),
          new Case("07-failure-expired-secret", CONTOSO, EXPIRED_APP, EXPIRED_SECRET, "The client secret has expired", "secret_expired"),
          new Case("08-failure-app-not-in-tenant", CONTOSO, FOREIGN_APP, SECRET, "The app is not in this tenant", "app_not_in_tenant"),
          new Case("09-failure-consent-missing", CONTOSO, UNCONSENTED_APP, SECRET, "An administrator must grant consent", "consent_missing"),
          new Case("10-failure-tenant-not-found", NOWHERE, APP, SECRET, "Tenant not found", "tenant_not_found")}) {
        long errorsBefore = ConnectRig.events(page, "error");
        fill(ui, c.tenant(), c.clientId(), c.secret());
        button(ui, "Connect").click();
        ui.locator("h1", new FrameLocator.LocatorOptions().setHasText(c.title())).waitFor();
        page.waitForCondition(() -> ConnectRig.events(page, "error") > errorsBefore);
        JsonNode error = ConnectRig.event(page, "error");
        assertThat(error.path("errorType").asText()).as(c.name()).isEqualTo("client_credentials_fetch_error");
        assertThat(error.path("errorMessage").asText()).as(c.name()).isNotBlank();
        assertThat(ui.locator(".details .meta").textContent()).as(c.name()).contains("status: " + c.status());
        if (c.status().equals("consent_missing") || c.status().equals("app_not_in_tenant")) {
          Locator link = ui.getByRole(AriaRole.LINK, new FrameLocator.GetByRoleOptions().setName("Grant admin consent (opens Microsoft\u2019s page)"));
          assertThat(link.getAttribute("href")).as(c.name()).startsWith(connect.rig().emulator.loginUrl() + "/");
        }
        assertThat(ui.locator("body").textContent()).as("a secret is never shown back").doesNotContain(c.secret());
        Browsers.screenshot(page, c.name());
        Browsers.assertAccessible(page, c.name(), true);
        button(ui, "Try again").click();
        assertThat(ui.getByLabel("Client ID").inputValue()).as("what was typed is kept").isEqualTo(c.clientId());
      }
      assertThat(connect.rig().connectionsOf("u-failures")).as("no refused attempt made a connection").isEmpty();
    }
  }

  @Test
  void anUnknownSessionSaysItExpiredAndTheAppHearsError() {
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, "nango_connect_session_" + "ab".repeat(32), null);
      ui.locator("h1", new FrameLocator.LocatorOptions().setHasText("This session has expired")).waitFor();
      assertThat(ConnectRig.event(page, "error").path("errorType").asText()).isEqualTo("unknown_connect_session_token");
      Browsers.screenshot(page, "18-session-expired");
      Browsers.assertAccessible(page, "18-session-expired", true);
    }
  }

  @Test
  void aReconnectSessionReplacesTheCredentialsOfTheExistingConnection() {
    String first = connect.rig().session("u-reconnect", "\"allowed_integrations\":[\"microsoft\"]");
    String connectionId;
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, first, null);
      ConnectRig.heading(ui, "Connect Microsoft 365");
      fill(ui, CONTOSO, APP, SECRET);
      button(ui, "Connect").click();
      connectionId = ConnectRig.event(page, "connect").path("connectionId").asText();
    }
    connect.rig().emulator.app(ConnectRig.ROTATED_APP, ConnectRig.SECOND_SECRET, null, java.util.List.of());
    connect.rig().emulator.grant(CONTOSO, ConnectRig.ROTATED_APP, ConnectRig.ROLES);
    String reconnect = ConnectRig.expect(connect.rig().api.post("/connect/sessions/reconnect", """
        {"connection_id":"%s","integration_id":"microsoft"}""".formatted(connectionId)), 201).json().path("data").path("token").asText();
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, reconnect, null);
      ConnectRig.heading(ui, "Reconnect Microsoft 365");
      fill(ui, CONTOSO, ConnectRig.ROTATED_APP, ConnectRig.SECOND_SECRET);
      Browsers.screenshot(page, "17-reconnect-form");
      Browsers.assertAccessible(page, "17-reconnect-form", true);
      button(ui, "Reconnect").click();
      JsonNode connected = ConnectRig.event(page, "connect");
      assertThat(connected.path("connectionId").asText()).as("the same connection, overridden").isEqualTo(connectionId);
      ConnectRig.heading(ui, "Reconnected");
    }
    ApiClient.Response stored = connect.rig().connection("microsoft", connectionId);
    assertThat(stored.json().path("credentials").path("client_id").asText()).isEqualTo(ConnectRig.ROTATED_APP);
    assertThat(connect.rig().connectionsOf("u-reconnect")).hasSize(1);
  }

  @Test
  void darkModeFollowsTheBrowserAndTheAppsThemeOverride() {
    String token = connect.rig().session("u-dark", "\"allowed_integrations\":[\"microsoft\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.DARK)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Connect Microsoft 365");
      assertThat(ui.locator(".dialog").evaluate("e => getComputedStyle(e).backgroundColor")).isEqualTo("rgb(29, 32, 37)");
      ui.getByLabel("Tenant ID").pressSequentially("not-a-guid");
      Browsers.screenshot(page, "19-dark-form");
      Browsers.assertAccessible(page, "19-dark-form", true);
      fill(ui, CONTOSO, APP, "not-the-secret");
      button(ui, "Connect").click();
      ConnectRig.heading(ui, "Microsoft did not accept the client secret");
      Browsers.screenshot(page, "20-dark-failure");
      Browsers.assertAccessible(page, "20-dark-failure", true);
    }
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, "theme=dark");
      ConnectRig.heading(ui, "Connect Microsoft 365");
      assertThat(ui.locator(".dialog").evaluate("e => getComputedStyle(e).backgroundColor")).as("themeOverride wins").isEqualTo("rgb(29, 32, 37)");
    }
  }

  @Test
  void onAPhoneTheDialogTakesTheScreenAndStaysUsable() {
    String token = connect.rig().session("u-phone", "\"allowed_integrations\":[\"microsoft\",\"microsoft-cert\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.PHONE, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Choose what to connect");
      Browsers.screenshot(page, "21-phone-list");
      Browsers.assertAccessible(page, "21-phone-list", true);
      ui.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Microsoft 365").setExact(true)).click();
      ConnectRig.heading(ui, "Connect Microsoft 365");
      ui.getByText("Where do I find the tenant ID?").click();
      assertThat(((Number) ui.locator(".dialog").evaluate("e => e.getBoundingClientRect().width")).intValue()).isEqualTo(Browsers.Window.PHONE.width);
      assertThat(((Number) ui.locator("html").evaluate("e => e.scrollWidth")).intValue()).as("nothing wider than the screen")
          .isLessThanOrEqualTo(Browsers.Window.PHONE.width);
      Browsers.screenshot(page, "22-phone-form-with-guide");
      Browsers.assertAccessible(page, "22-phone-form-with-guide", true);
      fill(ui, ConnectRig.NOWHERE, APP, SECRET);
      button(ui, "Connect").click();
      ConnectRig.heading(ui, "Tenant not found");
      Browsers.screenshot(page, "23-phone-failure");
      Browsers.assertAccessible(page, "23-phone-failure", true);
    }
  }

  @Test
  void theFormIsUsableWithTheKeyboardAloneAndEscapeCloses() {
    String token = connect.rig().session("u-keys", "\"allowed_integrations\":[\"microsoft\"],"
        + "\"overrides\":{\"microsoft\":{\"docs_connect\":\"https://docs.example.com/connect-microsoft\"}}");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Connect Microsoft 365");
      // The session's docs_connect is the guide every field links to.
      for (String href : ui.locator("details.guide a").evaluateAll("as => as.map(a => a.href)").toString().replaceAll("[\\[\\] ]", "").split(",")) {
        assertThat(href).isEqualTo("https://docs.example.com/connect-microsoft");
      }
      // The frame takes the keyboard once the admin is in it (a page cannot take focus from its parent page).
      ui.locator("h1").click();
      page.keyboard().press("Tab");
      page.keyboard().type(CONTOSO);
      assertThat(ui.getByLabel("Tenant ID").inputValue()).as("from the heading, Tab reaches the tenant ID").isEqualTo(CONTOSO);
      page.keyboard().press("Tab");
      Browsers.screenshot(page, "24-keyboard-focus");
      assertThat(ui.locator(":focus").textContent()).isEqualTo("Where do I find the tenant ID?");
      page.keyboard().press("Enter");
      assertThat(ui.locator("[data-field=tenantId] details").getAttribute("open")).isNotNull();
      // Key down only: the Connect UI closes on keydown and its host page removes the frame, and a key up sent to a
      // frame already gone can wait forever in Chromium (Keyboard.press has no timeout; it hung a CI run).
      page.keyboard().down("Escape");
      page.waitForFunction("() => document.getElementById('connect-ui') === null");
      assertThat(ConnectRig.events(page, "close")).isEqualTo(1);
    }
  }

  @Test
  void theConnectLinkOpensAWorkingConnectUiOnItsOwn() {
    JsonNode session = connect.rig().sessionAnswer("u-link", "\"allowed_integrations\":[\"microsoft\"]");
    String link = session.path("connect_link").asText();
    assertThat(link).startsWith(connect.rig().graphgateUrl() + "/connect/?session_token=");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      page.navigate(link);
      page.locator("h1", new Page.LocatorOptions().setHasText("Connect Microsoft 365")).waitFor();
      page.getByLabel("Tenant ID").fill(CONTOSO);
      page.getByLabel("Client ID").fill(APP);
      page.getByLabel("Client Secret", new Page.GetByLabelOptions().setExact(true)).fill(SECRET);
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Connect").setExact(true)).click();
      page.locator("h1", new Page.LocatorOptions().setHasText("Connected")).waitFor();
      assertThat(page.locator(".lead").textContent()).contains("You can close this tab.");
      Browsers.screenshot(page, "25-connect-link-success");
      Browsers.assertAccessible(page, "25-connect-link-success", false);
    }
    assertThat(connect.rig().connectionsOf("u-link")).hasSize(1);
  }
}

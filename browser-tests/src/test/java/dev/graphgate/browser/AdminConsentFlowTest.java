package dev.graphgate.browser;

import static dev.graphgate.browser.ConnectRig.CONTOSO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import dev.graphgate.server.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admin-consent onboarding: for an integration holding shared app credentials the Connect UI offers "Grant access as
 * an administrator", opens the emulator's consent page in a window, and ends with a connection (Accept) or without
 * one (Cancel), telling the app either way.
 */
class AdminConsentFlowTest {
  @RegisterExtension static final ConnectRigExtension connect = new ConnectRigExtension();

  /** Presses "Grant access as an administrator", then {@code decision} on the emulator's page in the window that opens. */
  static void consent(Page page, FrameLocator ui, String decision, String screenshot) {
    Page popup = page.waitForPopup(() -> ui.getByRole(AriaRole.BUTTON,
        new FrameLocator.GetByRoleOptions().setName("Grant access as an administrator").setExact(true)).click());
    popup.waitForURL("**/adminconsent**");
    popup.locator("h1", new Page.LocatorOptions().setHasText("Permissions requested")).waitFor();
    if (screenshot != null) {
      popup.setViewportSize(560, 720);
      Browsers.screenshot(popup, screenshot);
    }
    popup.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(decision).setExact(true)).click();
  }

  @Test
  void theAdminAcceptsAndTheConnectionIsMadeWithTheSessionsEndUser() {
    String token = connect.rig().session("u-consent", "\"allowed_integrations\":[\"microsoft-shared\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Connect Microsoft 365 for Example app");
      Browsers.screenshot(page, "13-admin-consent-offer");
      Browsers.assertAccessible(page, "13-admin-consent-offer", true);
      ui.getByLabel("Your organization\u2019s domain or tenant ID (optional)").fill(ConnectRig.CONTOSO_DOMAIN);

      consent(page, ui, "Accept", "14-emulator-consent-page");
      JsonNode connected = ConnectRig.event(page, "connect");
      ConnectRig.heading(ui, "Connected");
      Browsers.screenshot(page, "15-admin-consent-granted");
      Browsers.assertAccessible(page, "15-admin-consent-granted", true);

      assertThat(connected.path("providerConfigKey").asText()).isEqualTo("microsoft-shared");
      ApiClient.Response stored = connect.rig().connection("microsoft-shared", connected.path("connectionId").asText());
      assertThat(stored.status()).as(stored.body()).isEqualTo(200);
      // The tenant as the admin named it (the domain), or the id Entra answered for it: both are contoso.
      assertThat(stored.json().path("connection_config").path("tenantId").asText()).isIn(CONTOSO, ConnectRig.CONTOSO_DOMAIN);
      assertThat(stored.json().path("end_user").path("id").asText()).isEqualTo("u-consent");
      assertThat(stored.json().path("status").asText()).isEqualTo("ok");
    }
  }

  @Test
  void theAdminCancelsAndNothingIsConnected() {
    String token = connect.rig().session("u-declined", "\"allowed_integrations\":[\"microsoft-shared\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Connect Microsoft 365 for Example app");
      consent(page, ui, "Cancel", null);
      JsonNode error = ConnectRig.event(page, "error");
      assertThat(error.path("errorType").asText()).isNotBlank();
      ConnectRig.heading(ui, "Access was not granted");
      Browsers.screenshot(page, "16-admin-consent-declined");
      Browsers.assertAccessible(page, "16-admin-consent-declined", true);
      assertThat(ConnectRig.events(page, "connect")).isZero();
    }
    assertThat(connect.rig().connectionsOf("u-declined")).isEmpty();
  }
}

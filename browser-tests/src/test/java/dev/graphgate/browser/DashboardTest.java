package dev.graphgate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.SelectOption;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator's dashboard in Chromium against the demo's world ({@link DashboardRig}): sign-in, every page
 * (screenshots and axe-core reports in {@code target/dashboard/}), the Explorer's calls that succeed and that Graph
 * refuses, a sync triggered and watched, a webhook delivery sent again, and Fabrikam's connection turning {@code ok}
 * on its page once its admin consents in the emulator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {
  static final Path SHOTS = DashboardRig.ARTIFACTS.resolve("screenshots");
  static final Path AXE = DashboardRig.ARTIFACTS.resolve("axe");
  static DashboardRig rig;

  @BeforeAll
  static void start() {
    rig = new DashboardRig();
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  static void capture(Page page, String name) {
    Browsers.screenshot(page, SHOTS, name, true);
    Browsers.assertAccessible(page, AXE, name, false);
  }

  /** The window as a small JPEG for docs/dashboard.md ({@code target/dashboard/docs/}, copied into docs/images/ by hand). */
  static void docsShot(Page page, String name) {
    Path dir = DashboardRig.ARTIFACTS.resolve("docs");
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".jpg")).setType(com.microsoft.playwright.options.ScreenshotType.JPEG)
        .setQuality(80));
  }

  /** A signed-in page of a fresh browser context. */
  static Page signIn(BrowserContext context) {
    Page page = context.newPage();
    page.navigate(rig.dashboard("").toString());
    page.getByLabel("Secret key or dashboard password").fill(TestServers.SECRET_KEY);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.locator("h1", new Page.LocatorOptions().setHasText("Connections")).waitFor();
    return page;
  }

  static void heading(Page page, String text) {
    page.locator("#title", new Page.LocatorOptions().setHasText(text)).waitFor();
  }

  @Test
  @Order(1)
  void signInRefusesAWrongKeyThenWalksEveryPage() {
    try (BrowserContext context = rig.browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      page.navigate(rig.dashboard("").toString());
      heading(page, "Sign in");
      page.getByLabel("Secret key or dashboard password").fill(TestServers.randomKey());
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
      page.locator("#signin-error", new Page.LocatorOptions().setHasText("Sign-in refused")).waitFor();
      // Signed out, the page shows nothing but the sign-in form.
      assertThat(page.locator("#nav").isVisible()).isFalse();
      assertThat(page.locator("#signout").isVisible()).isFalse();
      capture(page, "01-sign-in");

      page.getByLabel("Secret key or dashboard password").fill(TestServers.SECRET_KEY);
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
      heading(page, "Connections");
      page.locator("td a", new Page.LocatorOptions().setHasText("fabrikam")).waitFor();
      assertThat(page.locator("tbody tr").count()).isEqualTo(2);
      assertThat(page.locator("tbody").textContent()).contains("consent_missing", "ok", "plan: enterprise");
      capture(page, "02-connections");
      docsShot(page, "dashboard-connections");
      // The cookie is HttpOnly: the page's scripts cannot read it.
      assertThat((String) page.evaluate("() => document.cookie")).doesNotContain("graphgate_dashboard");

      page.getByLabel("Search connections").fill("fabri");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search").setExact(true)).click();
      page.waitForCondition(() -> page.locator("tbody tr").count() == 1);

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Integrations")).click();
      heading(page, "Integrations");
      page.locator("td", new Page.LocatorOptions().setHasText("Microsoft 365")).first().waitFor();
      capture(page, "03-integrations");

      page.navigate(rig.dashboard("#/connections/microsoft/contoso").toString());
      heading(page, "contoso");
      page.locator("#granted li", new Page.LocatorOptions().setHasText("User.Read.All")).waitFor();
      page.locator("[data-sync=users]").waitFor();
      capture(page, "04-connection-contoso");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Request log")).click();
      heading(page, "Request log");
      page.locator("#log-results").waitFor();
      capture(page, "05-request-log");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Connect link").setExact(true)).click();
      heading(page, "Connect link");
      page.getByLabel("End user id").fill("new-customer");
      page.getByLabel("Email").fill("it@northwind.com");
      page.getByLabel("Organization name").fill("Northwind");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create connect link")).click();
      Locator link = page.locator("#connect-link");
      link.waitFor();
      assertThat(link.inputValue()).contains("/connect/?session_token=nango_connect_session_");
      capture(page, "06-connect-link");

      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Explorer")).click();
      heading(page, "Explorer");
      capture(page, "07-explorer");
    }
  }

  @Test
  @Order(2)
  void theExplorerShowsASuccessWithItsNextLinkAndA403() {
    try (BrowserContext context = rig.browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = signIn(context);
      page.navigate(rig.dashboard("#/explorer").toString());
      heading(page, "Explorer");
      page.getByLabel("Connection").selectOption(new SelectOption().setLabel("contoso (microsoft)"));
      page.getByLabel("Path and query").fill("/users?$top=3&$select=id,displayName,mail");
      page.locator("#ex-permissions", new Page.LocatorOptions().setHasText("carries User.Read.All")).waitFor();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
      page.locator("#ex-result .badge", new Page.LocatorOptions().setHasText("200")).waitFor();
      assertThat(page.locator("#ex-timing").textContent()).contains("1 attempt");
      Locator next = page.locator("#response-body [data-next]");
      assertThat(next.textContent()).contains("/v1.0/users");
      capture(page, "08-explorer-200");
      next.click();
      page.waitForCondition(() -> page.locator("#ex-path").inputValue().contains("skiptoken") || page.locator("#ex-path").inputValue().contains("token"));
      page.locator("#ex-result .badge", new Page.LocatorOptions().setHasText("200")).waitFor();

      // Fabrikam's admin has granted nothing: Graph refuses.
      page.getByLabel("Connection").selectOption(new SelectOption().setLabel("fabrikam (microsoft) \u2013 consent_missing"));
      page.getByLabel("Path and query").fill("/users");
      // The requirement shows before the call is sent.
      page.locator("#ex-permissions", new Page.LocatorOptions().setHasText("carries none of them")).waitFor();
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
      page.locator("#ex-result .badge", new Page.LocatorOptions().setHasText("403")).waitFor();
      assertThat(page.locator("#ex-result .notice").textContent()).contains("User.Read.All", "carries none");
      capture(page, "09-explorer-403");
      docsShot(page, "dashboard-explorer-403");
      // The history keeps each request, in this browser.
      assertThat(page.locator("#ex-history li").count()).isGreaterThanOrEqualTo(2);

      // Each Explorer call is in the request log, with its attempts and Microsoft's request id.
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Request log")).click();
      heading(page, "Request log");
      page.waitForCondition(() -> page.locator("#log-results tbody tr").count() >= 3);
      page.getByLabel("Status").fill("403");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
      page.waitForCondition(() -> page.locator("#log-results tbody tr").count() == 1);
      // The proxy's permission hint of the 403 is in its entry.
      assertThat(page.locator("#log-results tbody tr").textContent()).contains("User.Read.All");
      page.getByLabel("Status").fill("");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
      page.waitForCondition(() -> page.locator("#log-results tbody tr").count() >= 3);
      capture(page, "16-request-log-entries");
      docsShot(page, "dashboard-request-log");
    }
  }

  @Test
  @Order(3)
  void aTriggeredSyncShowsItsProgressThenItsCounts() {
    try (BrowserContext context = rig.browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = signIn(context);
      page.navigate(rig.dashboard("#/connections/microsoft/contoso").toString());
      Locator card = page.locator("[data-sync=users]");
      // The first run started when the sync was enabled; wait for its end.
      card.locator(".badge", new Locator.LocatorOptions().setHasText("success")).waitFor(new Locator.WaitForOptions().setTimeout(60_000));
      // Slow Graph down so the run can be watched. The triggered run is incremental: one page, read from the delta
      // link. Graph allows one request per 4 s here, and a proxied call takes this window's, so the run's page is
      // answered 429 and waits out the Retry-After: the run lasts a few seconds, several of the page's 2 s refreshes,
      // however fast or loaded the machine (before, the run's one request passed and the run could end between two).
      rig.emulator.throttling("{\"appTenant\": {\"requests\": 1, \"windowSeconds\": 4}}");
      try {
        assertThat(rig.api.send(rig.api.request("/proxy/v1.0/users?$top=1").header("Connection-Id", "contoso")
            .header("Provider-Config-Key", "microsoft").GET()).status()).isEqualTo(200);
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Trigger run")).click();
        page.locator("#flash", new Page.LocatorOptions().setHasText("run requested")).waitFor();
        card.locator(".badge", new Locator.LocatorOptions().setHasText("running")).waitFor(new Locator.WaitForOptions().setTimeout(30_000));
        capture(page, "10-sync-running");
        // One step in the page (it redraws every 2 s, so a located element may be replaced meanwhile).
        page.evaluate("() => document.getElementById('h-syncs').scrollIntoView()");
        docsShot(page, "dashboard-sync-running");
      } finally {
        rig.emulator.throttling(null);
      }
      card.locator(".badge", new Locator.LocatorOptions().setHasText("success")).waitFor(new Locator.WaitForOptions().setTimeout(60_000));
      assertThat(card.textContent()).contains("250");
    }
  }

  @Test
  @Order(4)
  void aFailedWebhookDeliveryIsSentAgain() {
    try (BrowserContext context = rig.browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = signIn(context);
      page.navigate(rig.dashboard("#/connections/microsoft/contoso").toString());
      Locator failed = page.locator("#h-hooks + div tbody tr", new Page.LocatorOptions().setHasText("failed")).first();
      failed.waitFor(new Locator.WaitForOptions().setTimeout(30_000));
      rig.receiver.answer(200);
      failed.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry")).click();
      page.locator("#flash", new Page.LocatorOptions().setHasText("Delivery queued")).waitFor();
      page.locator("#h-hooks + div tbody tr .badge", new Page.LocatorOptions().setHasText("delivered")).first()
          .waitFor(new Locator.WaitForOptions().setTimeout(30_000));
      assertThat(rig.receiver.received()).isNotEmpty();
      capture(page, "11-webhook-retried");
    }
  }

  @Test
  @Order(5)
  void fabrikamTurnsOkOnItsPageOnceItsAdminConsents() {
    try (BrowserContext context = rig.browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = signIn(context);
      page.navigate(rig.dashboard("#/connections/microsoft/fabrikam").toString());
      heading(page, "fabrikam");
      page.locator("#connection-reason").waitFor();
      assertThat(page.locator("#title .badge").textContent()).isEqualTo("consent_missing");
      assertThat(page.locator("#missing-permissions").textContent()).contains("users", "User.Read.All");
      capture(page, "12-connection-consent-missing");
      docsShot(page, "dashboard-consent-missing");

      // The page polls while consent is missing, and a poll redraws only what changed: a focused button keeps the focus
      // (the very element, marked here by a property no redraw would copy to a new one) across two polls.
      page.locator("[data-sync=users]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Trigger run")).focus();
      page.evaluate("() => { document.activeElement.focusProbe = true; }");
      for (int poll = 0; poll < 2; poll++) {
        page.waitForResponse(r -> r.url().contains("/dashboard/api/connection?"), () -> {});
      }
      assertThat((Boolean) page.evaluate("() => document.activeElement.focusProbe === true")).isTrue();
      assertThat((String) page.evaluate("() => document.activeElement.textContent")).isEqualTo("Trigger run");

      Page popup = page.waitForPopup(() -> page.locator("#consent-link").click());
      popup.waitForURL("**/adminconsent**");
      popup.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Accept").setExact(true)).click();
      popup.waitForURL("**/admin-consent/callback**");
      popup.close();

      // The page refreshes itself: no reload.
      page.locator("#title .badge", new Page.LocatorOptions().setHasText("ok")).waitFor(new Locator.WaitForOptions().setTimeout(30_000));
      assertThat(page.locator("#connection-reason").count()).isZero();
      page.locator("#granted li", new Page.LocatorOptions().setHasText("User.Read.All")).waitFor();
      capture(page, "13-connection-consented");
    }
  }

  @Test
  @Order(6)
  void onAPhoneInTheDarkThePagesStillRead() {
    try (BrowserContext context = rig.browsers.context(Browsers.Window.PHONE, ColorScheme.DARK)) {
      Page page = signIn(context);
      capture(page, "14-connections-phone-dark");
      page.navigate(rig.dashboard("#/logs").toString());
      heading(page, "Request log");
      page.locator("#log-results tbody tr").first().waitFor();
      capture(page, "15-request-log-phone-dark");
    }
  }
}

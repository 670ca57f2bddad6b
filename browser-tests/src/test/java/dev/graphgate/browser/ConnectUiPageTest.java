package dev.graphgate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Connect UI's page before any session: opened by the SDK in the app's frame, and opened without a session. */
class ConnectUiPageTest {
  @TempDir
  static Path dataDir;
  static TestDatabase db;
  static Graphgate graphgate;
  static AppPageServer app;
  static Browsers browsers;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    graphgate = Graphgate.start(TestServers.config(db, dataDir).build());
    app = new AppPageServer();
    browsers = new Browsers();
  }

  @AfterAll
  static void stop() {
    if (browsers != null) browsers.close();
    if (app != null) app.close();
    if (graphgate != null) graphgate.close();
    if (db != null) db.close();
  }

  /** Graphgate as the browser reaches it: its public URL (http://localhost:port by default). */
  static URI graphgateUrl() {
    return URI.create("http://localhost:" + graphgate.port());
  }

  @Test
  void theSdkOpensTheConnectUiInAFrameAndTheConnectUiSaysReady() {
    try (BrowserContext context = browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      page.navigate(app.page(graphgateUrl(), null, null).toString());
      page.click("#open");
      page.waitForFunction("() => window.connectEvents.some(e => e.type === 'ready')");
      FrameLocator frame = page.frameLocator("#connect-ui");
      assertThat(frame.locator("h1").textContent()).isNotBlank();
    }
  }
}

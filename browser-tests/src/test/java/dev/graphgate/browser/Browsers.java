package dev.graphgate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.args.FromFrames;
import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One headless Chromium (Debian's {@code chromium} package, never a browser Playwright downloads) for a test class,
 * with a fresh context per test: a desktop or a phone window, light or dark. Screenshots and axe-core reports land
 * in {@code target/connect-ui/}.
 */
final class Browsers implements AutoCloseable {
  /** Without the background-networking switches Chromium reaches out to Google's services, which this machine refuses. */
  static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run");
  static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/connect-ui/screenshots"));
  static final Path AXE = SCREENSHOTS.resolveSibling("axe");

  /** A window: 1280×800 for a desktop, 375×740 for a phone. */
  enum Window {
    DESKTOP(1280, 800),
    PHONE(375, 740);

    final int width;
    final int height;

    Window(int width, int height) {
      this.width = width;
      this.height = height;
    }
  }

  private final Playwright playwright;
  private final Browser browser;

  Browsers() {
    Path chromium = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      throw new IllegalStateException(chromium + " is missing: install Debian's chromium package (apt-get install chromium; .ci/run does it)");
    }
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true).setArgs(FLAGS));
  }

  BrowserContext context(Window window, ColorScheme scheme) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setViewportSize(window.width, window.height)
        .setColorScheme(scheme)
        .setHasTouch(window == Window.PHONE)
        .setIsMobile(window == Window.PHONE)
        .setDeviceScaleFactor(1));
    context.setDefaultTimeout(15_000);
    return context;
  }

  /** Saves what {@code page} shows (the whole window) as {@code name}.png. */
  static void screenshot(Page page, String name) {
    screenshot(page, SCREENSHOTS, name, false);
  }

  /** Saves what {@code page} shows as {@code dir/name}.png, the whole page when {@code fullPage}. */
  static void screenshot(Page page, Path dir, String name, boolean fullPage) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(fullPage));
  }

  /**
   * Runs axe-core on the Connect UI, in the app's frame ({@code #connect-ui}) or, on a page that is the Connect UI
   * itself (a connect link), on the whole page, and fails on any serious or critical violation. The report is kept
   * as {@code name}.txt.
   */
  static void assertAccessible(Page page, String name, boolean framed) {
    assertAccessible(page, AXE, name, framed);
  }

  /** The same, with the report kept in {@code reports}. */
  static void assertAccessible(Page page, Path reports, String name, boolean framed) {
    AxeBuilder axe = new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"));
    if (framed) {
      axe.include(new FromFrames("#connect-ui", "html"));
    }
    AxeResults results = axe.analyze();
    List<Rule> blocking = results.getViolations().stream()
        .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact())).toList();
    String report = "passes: " + results.getPasses().size() + "\nviolations:\n" + results.getViolations().stream()
        .map(r -> "  " + r.getImpact() + " " + r.getId() + ": " + r.getHelp() + "\n" + r.getNodes().stream()
            .map(n -> "    " + n.getTarget() + "\n      " + n.getFailureSummary()).collect(Collectors.joining("\n")))
        .collect(Collectors.joining("\n"));
    try {
      Files.createDirectories(reports);
      Files.writeString(reports.resolve(name + ".txt"), report + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(blocking).as("serious or critical axe-core violations on " + name + ":\n" + report).isEmpty();
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}

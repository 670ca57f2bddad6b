package dev.graphgate.server.dashboard;

import dev.graphgate.server.web.HtmlPage;
import dev.graphgate.server.web.StaticAssets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's page and its files ({@code resources/…/dashboard/ui/}: HTML, CSS and ES modules, no build step).
 * The page is a shell; its scripts draw every view from the dashboard's JSON routes. It is never framed (an operator's
 * page in someone else's frame is a clickjacking target), and the page itself holds nothing before sign-in.
 */
public final class DashboardUi {
  public static final String PATH = "/dashboard/";
  public static final String ASSETS = PATH + "assets/";
  /** The JSON routes of the page's scripts. */
  public static final String API = PATH + "api/";

  private final String body;
  private final StaticAssets assets = new StaticAssets(DashboardUi.class, "ui/");

  public DashboardUi() {
    body = resource("ui/index.html");
  }

  public HtmlPage page() {
    return HtmlPage.of(200, "Graphgate dashboard", body).asApplication(new HtmlPage.Application(ASSETS + "dashboard.css", ASSETS + "dashboard.js"));
  }

  public StaticAssets assets() {
    return assets;
  }

  private static String resource(String name) {
    try (InputStream in = DashboardUi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the server jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

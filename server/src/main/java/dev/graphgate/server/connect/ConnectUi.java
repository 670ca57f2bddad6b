package dev.graphgate.server.connect;

import dev.graphgate.server.web.HtmlPage;
import dev.graphgate.server.web.StaticAssets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Connect UI: the page a customer's admin connects a tenant on, shown by {@code @nangohq/frontend} in a frame of
 * the app or opened from a connect link, and its script and stylesheet files. The page is a shell; its script builds
 * every view from the API (the connect session, the integrations, the provider's fields) with the session token.
 *
 * <p>Any {@code https} page may frame it (and pages on this machine, for development): the app's origin is not known
 * to Graphgate, and framing grants nothing, since the page does nothing without the session token that only the app
 * holds, and a framing page cannot read it.
 */
public final class ConnectUi {
  /** Where the page is served, and its files. */
  public static final String PATH = "/connect/";
  public static final String ASSETS = PATH + "assets/";

  private final String body;
  private final StaticAssets assets = new StaticAssets(ConnectUi.class, "ui/");

  public ConnectUi() {
    body = resource("ui/index.html");
  }

  public HtmlPage page() {
    return HtmlPage.of(200, "Connect", body).asApplication(new HtmlPage.Application(ASSETS + "connect.css", ASSETS + "connect.js"))
        .framedByAnyHttpsOrigin();
  }

  public StaticAssets assets() {
    return assets;
  }

  private static String resource(String name) {
    try (InputStream in = ConnectUi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the server jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

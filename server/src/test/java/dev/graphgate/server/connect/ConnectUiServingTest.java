package dev.graphgate.server.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.GraphgateExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Connect UI's page and files over HTTP: public, framable by an app, its own stylesheet and script only (no inline
 * code), calls to Graphgate only; the files by name from one folder, revalidated by ETag.
 */
class ConnectUiServingTest {
  private static final Pattern IMPORT = Pattern.compile("^import .* from '\\./([a-z0-9-]+\\.js)';$", Pattern.MULTILINE);

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2();
  static ApiClient browser;

  @BeforeAll
  static void start() {
    browser = new ApiClient(graphgate.server().baseUrl(), null);
  }

  @Test
  void thePageIsPublicFramableByAnAppAndRunsOnlyGraphgatesOwnFiles() {
    ApiClient.Response page = browser.get("/connect/");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.header("Content-Type")).matches("text/html;\\s*charset=utf-8");
    assertThat(page.header("Content-Security-Policy")).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors https: http://localhost:* http://127.0.0.1:* http://[::1]:*");
    assertThat(page.header("X-Frame-Options")).as("X-Frame-Options cannot allow a frame of another origin").isNull();
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    assertThat(page.body())
        .contains("<link rel=\"stylesheet\" href=\"/connect/assets/connect.css\">")
        .contains("<script type=\"module\" src=\"/connect/assets/connect.js\"></script>")
        .doesNotContainPattern("<script(?![^>]*\\ssrc=)")
        .doesNotContain("<style")
        .doesNotContainPattern("\\sstyle=")
        .doesNotContainPattern("\\son[a-z]+=");
  }

  @Test
  void everyScriptThePageImportsIsServedAsJavaScript() {
    List<String> pending = new ArrayList<>(List.of("connect.js"));
    List<String> seen = new ArrayList<>();
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (seen.contains(name)) {
        continue;
      }
      seen.add(name);
      ApiClient.Response file = browser.get("/connect/assets/" + name);
      assertThat(file.status()).as(name).isEqualTo(200);
      assertThat(file.header("Content-Type")).as(name).isEqualTo("text/javascript; charset=utf-8");
      assertThat(file.header("X-Content-Type-Options")).isEqualTo("nosniff");
      Matcher m = IMPORT.matcher(file.body());
      while (m.find()) {
        pending.add(m.group(1));
      }
    }
    assertThat(seen).contains("connect.js", "form.js", "certificate.js", "failures.js", "guides.js", "dom.js");
    ApiClient.Response css = browser.get("/connect/assets/connect.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
  }

  @Test
  void anUnchangedFileIsAnsweredNotModified() {
    ApiClient.Response first = browser.get("/connect/assets/connect.js");
    String etag = first.header("ETag");
    assertThat(etag).matches("\"[A-Za-z0-9_-]{43}\"");
    assertThat(first.header("Cache-Control")).isEqualTo("no-cache");
    ApiClient.Response again = browser.send(browser.request("/connect/assets/connect.js").header("If-None-Match", etag).GET());
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void onlyTheFolderScriptsAndStylesheetsAreServed() {
    for (String path : List.of("/connect/assets/nothing.js", "/connect/assets/index.html", "/connect/assets/..%2Fconnect%2FConnectUi.class",
        "/connect/assets/%2e%2e%2fui%2findex.html", "/connect/assets/Connect.JS")) {
      ApiClient.Response r = browser.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.code()).as(path).isEqualTo("not_found");
    }
  }
}

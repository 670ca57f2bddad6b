package dev.graphgate.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy every HTML page is sent with, and the two switches a page may turn: forms, and being framed. */
class HtmlResponsesTest {

  @Test
  void aPageAllowsOnlyItsOwnStylesheetAndIsNeverFramed() {
    assertThat(HtmlResponses.policy(HtmlPage.of(200, "t", "")))
        .matches("default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  }

  @Test
  void aPagePostingFormsMayPostOnlyToGraphgate() {
    assertThat(HtmlResponses.policy(HtmlPage.of(200, "t", "").postingForms())).contains("form-action 'self'").contains("frame-ancestors 'none'");
  }

  @Test
  void aFramedPageNamesOnlyTheOriginsItWasGiven() {
    HtmlPage page = HtmlPage.of(200, "t", "").framedBy(List.of(URI.create("https://App.Example.com"), URI.create("http://localhost:5173/")));
    assertThat(HtmlResponses.policy(page)).endsWith("frame-ancestors https://app.example.com http://localhost:5173");
  }

  @Test
  void anythingButABareOriginIsRefusedAsAFrameAncestor() {
    for (String bad : List.of("https://app.example.com/path", "http://app.example.com", "https://app.example.com?x=1", "javascript:alert(1)",
        "https://user@app.example.com", "*", "https://a.example.com;script-src *")) {
      assertThatThrownBy(() -> HtmlPage.of(200, "t", "").framedBy(List.of(URI.create(bad.replace(" ", "%20").replace(";", "%3B")))))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> HtmlPage.of(200, "t", "").framedBy(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anApplicationPageRunsOnlyGraphgatesFilesAndCallsOnlyGraphgate() {
    HtmlPage page = HtmlPage.of(200, "t", "").asApplication(new HtmlPage.Application("/a/app.css", "/a/app.js"));
    assertThat(HtmlResponses.policy(page)).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    for (String bad : List.of("https://cdn.example.com/app.js", "//cdn.example.com/app.js", "/a/../b.js", "/a/app.js?x", "app.js", "/a/app.html")) {
      assertThatThrownBy(() -> new HtmlPage.Application("/a/app.css", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aPageAnyAppMayFrameAllowsHttpsOriginsAndThisMachineOnly() {
    assertThat(HtmlResponses.policy(HtmlPage.of(200, "t", "").framedByAnyHttpsOrigin()))
        .endsWith("frame-ancestors https: http://localhost:* http://127.0.0.1:* http://[::1]:*");
  }

  @Test
  void escapeCoversEverythingThatCanEndTextOrAnAttribute() {
    assertThat(Html.escape("<a href=\"x\" title='y'>&</a>")).isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    assertThat(Html.escape(null)).isEmpty();
  }
}

package dev.graphgate.server.web;

import dev.graphgate.server.GraphgateException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that sends HTML: every page in one layout with one stylesheet (or, for the Connect UI, its own
 * stylesheet file), and on every HTML response the same protections. The Content-Security-Policy allows nothing but
 * that stylesheet, named by its hash ({@code default-src 'none'}, so no script, image, font or connection; {@code
 * base-uri 'none'}; {@code form-action 'none'} unless the page {@link HtmlPage#postingForms posts forms}; {@code
 * frame-ancestors 'none'} unless it is {@link HtmlPage#framedBy framed}), and what the page's switches add: script
 * files and API calls to Graphgate only, never inline script; {@code X-Frame-Options: DENY}, {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy:
 * no-referrer} (a page's URL may carry a one-time state) and {@code Cache-Control: no-store}.
 */
public final class HtmlResponses {
  private static final Logger log = LoggerFactory.getLogger(HtmlResponses.class);

  static final String STYLESHEET = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5;"
      + "color:#1b1b1b}h1{font-size:1.5rem}code{background:#f3f3f3;padding:0 .2em;border-radius:3px;word-break:break-all}"
      + "ul{padding-left:1.5rem}.meta{color:#616161;font-size:.9rem}";
  private static final String STYLE_SOURCE = "'sha256-" + sha256(STYLESHEET) + "'";

  private HtmlResponses() {}

  public static void send(Context ctx, HtmlPage page) {
    ctx.header("Content-Security-Policy", policy(page));
    if (page.frameAncestors().isEmpty()) {
      ctx.header("X-Frame-Options", "DENY");
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    ctx.status(page.status()).contentType("text/html; charset=utf-8").result(render(page));
  }

  /**
   * Sends the page {@code page} builds; when building it fails, sends a page that says so instead (never JSON, never a
   * stack trace), with the failure's status: its own for a {@link GraphgateException}, else 500 with an id that is
   * logged with the failure.
   */
  public static void serve(Context ctx, Supplier<HtmlPage> page) {
    HtmlPage built;
    try {
      built = page.get();
    } catch (GraphgateException e) {
      log.warn("{} {}: page not served: {}", ctx.method(), ctx.path(), e.code());
      built = HtmlPage.of(e.status(), "This page is not available right now", Html.p(e.getMessage()) + Html.p("Reload this page in a moment."));
    } catch (RuntimeException e) {
      String id = UUID.randomUUID().toString();
      log.error("unexpected error {} on {} {}", id, ctx.method(), ctx.path(), e);
      built = HtmlPage.of(500, "This page is not available right now",
          Html.p("Graphgate could not finish this page. Reload it in a moment; if it keeps failing, tell the app's provider this id: " + id + "."));
    }
    send(ctx, built);
  }

  static String policy(HtmlPage page) {
    String ancestors = page.frameAncestors().isEmpty() ? "'none'" : String.join(" ", page.frameAncestors());
    if (page.application().isPresent()) {
      return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action "
          + (page.postsForms() ? "'self'" : "'none'") + "; frame-ancestors " + ancestors;
    }
    return "default-src 'none'; style-src " + STYLE_SOURCE + (page.scripts().isEmpty() ? "" : "; script-src 'self'")
        + "; base-uri 'none'; form-action " + (page.postsForms() ? "'self'" : "'none'") + "; frame-ancestors " + ancestors;
  }

  private static String render(HtmlPage page) {
    if (page.application().isPresent()) {
      HtmlPage.Application app = page.application().get();
      return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          + "<title>" + Html.escape(page.title()) + "</title><link rel=\"stylesheet\" href=\"" + Html.escape(app.stylesheet()) + "\">"
          + "<script type=\"module\" src=\"" + Html.escape(app.module()) + "\"></script>" + scripts(page) + "</head>\n<body>\n"
          + page.bodyHtml() + "\n</body></html>\n";
    }
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + Html.escape(page.title()) + "</title><style>" + STYLESHEET + "</style>" + scripts(page)
        + "</head>\n<body><main>\n<h1>" + Html.escape(page.title())
        + "</h1>\n" + page.bodyHtml() + "\n</main></body></html>\n";
  }

  private static String scripts(HtmlPage page) {
    StringBuilder html = new StringBuilder();
    page.scripts().forEach(path -> html.append("<script src=\"").append(Html.escape(path)).append("\" defer></script>"));
    return html.toString();
  }

  /**
   * Sends a script file that a page loads ({@link HtmlPage#withScript}): JavaScript, never sniffed as anything else,
   * kept by browsers for an hour.
   */
  public static void sendScript(Context ctx, byte[] javascript) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.status(200).contentType("text/javascript; charset=utf-8").result(javascript);
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}

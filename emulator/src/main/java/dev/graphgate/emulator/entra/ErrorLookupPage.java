package dev.graphgate.emulator.entra;

import io.javalin.http.Context;
import java.time.InstantSource;

/**
 * {@code GET /error?code=7000215}: what an error's {@code error_uri} links to, as on Entra's own host; the emulator
 * describes the codes it answers.
 */
public final class ErrorLookupPage {

  public static final String PATH = "/error";

  private final InstantSource clock;

  public ErrorLookupPage(InstantSource clock) {
    this.clock = clock;
  }

  public void show(Context ctx) {
    String code = ctx.queryParam("code");
    StringBuilder body = new StringBuilder("<h1>AADSTS error lookup</h1>\n");
    EntraError found = null;
    if (code != null && code.strip().matches("(?i)(AADSTS)?\\d{1,9}")) {
      found = EntraError.byCode(Integer.parseInt(code.strip().replaceFirst("(?i)^AADSTS", ""))).orElse(null);
    }
    if (found != null) {
      body.append("<p><strong>AADSTS").append(found.code()).append("</strong>: <code>")
          .append(Html.escape(found.error())).append("</code>, HTTP ").append(found.status()).append("</p>\n<p>")
          .append(Html.escape(found.template())).append("</p>");
    } else {
      body.append("<p>The emulator answers these codes:</p>\n<ul>");
      java.util.Set<Integer> listed = new java.util.HashSet<>();
      for (EntraError e : EntraError.values()) {
        if (!listed.add(e.code())) {
          continue;
        }
        body.append("<li><a href=\"/error?code=").append(e.code()).append("\">AADSTS").append(e.code()).append("</a> ")
            .append(Html.escape(e.error())).append("</li>");
      }
      body.append("</ul>");
    }
    RequestIds ids = RequestIds.of(ctx, clock.instant());
    EntraResponses.common(ctx, ids);
    Html.page(ctx, found != null || code == null ? 200 : 404, "AADSTS error lookup", body.toString());
  }
}

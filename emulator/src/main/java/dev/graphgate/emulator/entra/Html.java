package dev.graphgate.emulator.entra;

import io.javalin.http.Context;

/** The login host's few HTML pages: one layout, every value escaped, nothing loaded from elsewhere. */
final class Html {

  private static final String STYLE =
      "body{font-family:system-ui,Segoe UI,sans-serif;background:#f2f2f2;margin:0}"
          + "main{max-width:34rem;margin:4rem auto;background:#fff;padding:2rem 2.5rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}"
          + "h1{font-size:1.5rem;font-weight:600}code{font-size:.9em}ul{padding-left:1.2rem}"
          + ".meta{color:#555;font-size:.85rem}.buttons{display:flex;gap:.75rem;justify-content:flex-end;margin-top:1.5rem}"
          + "button{font-size:1rem;padding:.45rem 1.4rem;border:1px solid #8a8886;background:#fff;cursor:pointer}"
          + "button.primary{background:#0067b8;border-color:#0067b8;color:#fff}select{font-size:1rem;padding:.3rem;width:100%}";

  private Html() {}

  static String escape(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Writes a whole page; {@code bodyHtml} must already be escaped where it holds values. */
  static void page(Context ctx, int status, String title, String bodyHtml) {
    ctx.header("Cache-Control", "no-store, no-cache");
    ctx.header("Pragma", "no-cache");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    ctx.status(status).contentType("text/html; charset=utf-8").result(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>" + escape(title) + "</title><style>" + STYLE + "</style></head>\n<body><main>\n"
            + bodyHtml
            + "\n<p class=\"meta\">Microsoft emulator (Graphgate): a local stand-in for Microsoft Entra ID. No one signs in here;"
            + " whoever opens this page acts as the tenant's administrator.</p>\n</main></body></html>\n");
  }

  /** Entra's error page: its heading, the AADSTS message, and the ids a support engineer would ask for. */
  static void errorPage(Context ctx, RequestIds ids, EntraException e) {
    page(ctx, 400, "Sign in to your account",
        "<h1>Sorry, but we're having trouble signing you in.</h1>\n"
            + "<p><code>" + escape(e.aadstsMessage()) + "</code></p>\n"
            + "<p class=\"meta\">Request Id: " + escape(ids.traceId()) + "<br>Correlation Id: " + escape(ids.correlationId())
            + "<br>Timestamp: " + escape(ids.formattedTimestamp()) + "</p>");
  }
}

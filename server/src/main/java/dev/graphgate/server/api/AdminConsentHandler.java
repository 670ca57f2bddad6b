package dev.graphgate.server.api;

import dev.graphgate.server.GraphgateException.InvalidTenantId;
import dev.graphgate.server.auth.AadstsClassifier;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.entra.TenantId;
import io.javalin.http.Context;

/**
 * Where Entra sends the tenant's admin back after admin consent ({@code redirect_uri} of the consent link). It shows
 * the admin the outcome, and lets the tenant's connections that lacked consent refresh on their next read. The
 * {@code tenant} parameter is not proof of anything (anyone can open this URL), so it only brings a refresh forward.
 */
final class AdminConsentHandler {
  private final ConnectionService connections;

  AdminConsentHandler(ConnectionService connections) {
    this.connections = connections;
  }

  void callback(Context ctx) {
    String error = ctx.queryParam("error");
    if (error != null) {
      String description = ctx.queryParam("error_description");
      page(ctx, 200, "Permissions not granted",
          "Microsoft answered <code>" + escape(error) + "</code>" + (description == null ? "." : ": " + escape(AadstsClassifier.firstLine(description)))
              + "</p><p>Nothing changed. An administrator of the tenant can open the consent link again.");
      return;
    }
    String consent = ctx.queryParam("admin_consent");
    String tenant = ctx.queryParam("tenant");
    if (!"true".equalsIgnoreCase(consent) || tenant == null) {
      page(ctx, 400, "Not an admin consent answer",
          "This page is where Microsoft sends an administrator back after granting an app's permissions; it was opened without that answer.");
      return;
    }
    TenantId id;
    try {
      id = TenantId.parse(tenant);
    } catch (InvalidTenantId e) {
      page(ctx, 400, "Not an admin consent answer", "The tenant in this answer is not a tenant id.");
      return;
    }
    int n = connections.consentGranted(id.value());
    page(ctx, 200, "Permissions granted",
        "The app's permissions were granted in tenant <code>" + escape(id.value()) + "</code>. "
            + (n == 0 ? "Connections to this tenant use them from their next token request."
                : n + (n == 1 ? " connection that was waiting for them uses" : " connections that were waiting for them use")
                    + " them from its next token request.")
            + " You can close this window.");
  }

  private static void page(Context ctx, int status, String title, String paragraphHtml) {
    ctx.status(status).contentType("text/html; charset=utf-8").result("""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
        </head><body><h1>%s</h1><p>%s</p></body></html>""".formatted(escape(title), escape(title), paragraphHtml));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}

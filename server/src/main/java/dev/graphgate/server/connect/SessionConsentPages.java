package dev.graphgate.server.connect;

import static dev.graphgate.server.web.Html.code;
import static dev.graphgate.server.web.Html.escape;
import static dev.graphgate.server.web.Html.p;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.auth.AadstsClassifier;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.web.HtmlPage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin consent callback's pages for links made through a connect session. Once the state is verified, a page
 * carries its result for the Connect UI that opened the window: {@code {"ok":true,"providerConfigKey","connectionId"}}
 * or {@code {"ok":false,"errorType","errorMessage"}}, in data attributes that {@value #SCRIPT} (a static file: the
 * pages allow no inline script) posts to the window's opener on Graphgate's own origin. Every value is escaped.
 */
final class SessionConsentPages {
  /** Where the result script is served. */
  static final String SCRIPT = "/admin-consent/result.js";
  private static final int MAX_SHOWN = 500;

  private final Supplier<URI> callback;

  SessionConsentPages(Supplier<URI> callback) {
    this.callback = callback;
  }

  /** The result script's source. */
  static byte[] script() {
    try (InputStream in = SessionConsentPages.class.getResourceAsStream("admin-consent-result.js")) {
      if (in == null) {
        throw new IllegalStateException("admin-consent-result.js is missing from the server jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HtmlPage connected(Connection c, String tenantShown) {
    List<String> roles = c.token().flatMap(AccessToken::roles).orElse(List.of());
    StringBuilder list = new StringBuilder("<ul>");
    roles.forEach(r -> list.append("<li>").append(code(r)).append("</li>"));
    list.append("</ul>");
    ObjectNode result = Json.object().put("ok", true).put("providerConfigKey", c.integrationKey()).put("connectionId", c.connectionId());
    return withResult(HtmlPage.of(200, "Connected",
        "<p>Microsoft grants the app (client id " + code(c.credentials().clientId()) + ") these application permissions in tenant "
            + code(tenantShown) + ":</p>\n" + list + "\n" + p("The connection is made. You can close this window.")), result);
  }

  HtmlPage notConnected(String errorType, String message, int status) {
    return withResult(HtmlPage.of(status, "No connection was made", p(bounded(message)) + "\n"
        + p("Nothing was stored. You can close this window; in the app's connect window, grant access again once this is fixed.")),
        failure(errorType, message));
  }

  HtmlPage notGranted(ConsentState.Purpose purpose, String error, Optional<String> description) {
    String said = description.map(AadstsClassifier::firstLine).map(SessionConsentPages::bounded).map(d -> ": " + escape(d)).orElse(".");
    HtmlPage page = HtmlPage.of(200, "Permissions not granted", "<p>Microsoft answered " + code(bounded(error)) + said + "</p>\n"
        + p("Nothing was granted and no connection was made. You can close this window."));
    return purpose == ConsentState.Purpose.ONBOARD
        ? withResult(page, failure(bounded(error), "Admin consent was not granted: " + description.map(AadstsClassifier::firstLine).orElse(error)))
        : page;
  }

  /** A grant to the app the end user entered: recorded, to be proved by the end user's next attempt. */
  HtmlPage consentRecorded(String tenantShown, String clientId) {
    return HtmlPage.of(200, "Consent recorded",
        "<p>Microsoft recorded the consent to the app (client id " + code(clientId) + ") in tenant " + code(tenantShown) + ".</p>\n"
            + p("Go back to the window where the app's credentials were entered and press Connect again: the connection is made "
                + "once a token for the tenant carries the app's permissions. Entra can take a few minutes to apply a grant.") + "\n"
            + p("You can close this window."));
  }

  HtmlPage refused(Refusal reason) {
    return HtmlPage.of(400, "This admin consent link cannot be used", p(reason.explanation()) + "\n" + p(AdminConsentPages.NOTHING_CREATED));
  }

  private static ObjectNode failure(String errorType, String message) {
    return Json.object().put("ok", false).put("errorType", errorType).put("errorMessage", bounded(message));
  }

  /** The page, with its result where the script finds it, and the origin it may be posted to. */
  private HtmlPage withResult(HtmlPage page, ObjectNode result) {
    String body = page.bodyHtml() + "\n<div id=\"graphgate-admin-consent\" hidden data-origin=\"" + escape(origin(callback.get()))
        + "\" data-result=\"" + escape(Json.write(result)) + "\"></div>";
    return new HtmlPage(page.status(), page.title(), body, page.frameAncestors(), page.postsForms(), page.scripts()).withScript(SCRIPT);
  }

  /** Graphgate's public origin: where the callback (and the Connect UI) is served. */
  static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  private static String bounded(String s) {
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…";
  }
}

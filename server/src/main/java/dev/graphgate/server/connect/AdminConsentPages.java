package dev.graphgate.server.connect;

import static dev.graphgate.server.web.Html.code;
import static dev.graphgate.server.web.Html.escape;
import static dev.graphgate.server.web.Html.p;

import dev.graphgate.server.auth.AadstsClassifier;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.web.HtmlPage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The pages the admin consent callback answers, for the tenant's admin: what Microsoft now grants, that nothing was
 * granted, or why the link cannot be used and what to do. Every value from the answer or the connection is escaped.
 */
final class AdminConsentPages {
  private static final String NOTHING_CHANGED = "Nothing was changed. Ask whoever sent you this link for a new admin consent link: "
      + "Graphgate shows a fresh one as admin_consent_url on the connection.";
  /** What to do after a refused link of a connect session: the Connect UI makes a new one. */
  static final String NOTHING_CREATED = "Nothing was changed and no connection was made. Close this window and, in the app's connect "
      + "window, choose \"Grant access as an administrator\" again for a new link.";
  /** Entra's descriptions are one line of advice and lines of trace ids; the page shows at most this much of the first. */
  private static final int MAX_SHOWN = 500;

  private final Duration lifetime;

  AdminConsentPages(Duration lifetime) {
    this.lifetime = lifetime;
  }

  HtmlPage refused(Refusal reason) {
    String why = reason == Refusal.EXPIRED
        ? reason.explanation() + " Admin consent links work for " + words(lifetime) + " after Graphgate shows them."
        : reason.explanation();
    return HtmlPage.of(400, "This admin consent link cannot be used", p(why) + "\n" + p(reason.isAboutSessionLink() ? NOTHING_CREATED : NOTHING_CHANGED));
  }

  HtmlPage notAnAnswer() {
    return HtmlPage.of(400, "Not an admin consent answer",
        p("This page is where Microsoft sends an administrator back after answering an admin consent request, and it was opened "
            + "without such an answer (a grant names admin_consent and the tenant, a refusal names an error). Nothing was changed; "
            + "open the admin consent link again."));
  }

  HtmlPage tenantNotConfirmed(String tenantShown, String reason) {
    return HtmlPage.of(503, "Microsoft could not be asked",
        p("Graphgate could not confirm with Microsoft which tenant " + tenantShown + " is (" + reason + "), so it cannot yet tell "
            + "whether this answer is for the link's tenant.") + "\n"
            + p("Nothing was changed and the link still works: reload this page in a minute."));
  }

  HtmlPage notGranted(String error, Optional<String> description) {
    String said = description.map(AadstsClassifier::firstLine).map(AdminConsentPages::bounded).map(d -> ": " + escape(d)).orElse(".");
    return HtmlPage.of(200, "Permissions not granted",
        "<p>Microsoft answered " + code(bounded(error)) + said + "</p>\n"
            + p("Nothing was granted, and this link has been used. To try again, ask whoever sent it for a new admin consent link."));
  }

  /**
   * After an accepted grant and the token requested right after it: what that token says Microsoft grants.
   * {@code others}: other connections to the tenant that were waiting for consent.
   */
  HtmlPage granted(String tenantShown, String clientId, TokenAnswer answer, int others) {
    String app = "the app (client id " + code(clientId) + ")";
    String tenant = code(tenantShown);
    String rest = "\n" + otherConnections(others) + p("You can close this window.");
    return switch (answer) {
      case TokenAnswer.Valid v when v.token().roles().map(r -> !r.isEmpty()).orElse(false) -> HtmlPage.of(200, "Permissions granted",
          "<p>Microsoft now grants " + app + " these application permissions in tenant " + tenant + ":</p>\n" + list(v.token().roles().get())
              + "\n" + p("The connection uses them from now on.") + rest);
      case TokenAnswer.Valid v when v.token().roles().isPresent() -> HtmlPage.of(200, "No permissions granted yet",
          "<p>Microsoft recorded the answer, but a token issued just now for " + app + " in tenant " + tenant
              + " still carries no application permissions.</p>\n"
              + p("Check that the app registration asks for application permissions (Microsoft Entra admin center, App registrations, "
                  + "the app, API permissions: of type Application, not Delegated) and that the consent was given for this app. Entra can "
                  + "take a few minutes to apply a grant: Graphgate asks again on the connection's next token requests. To consent "
                  + "again, ask for a new admin consent link.") + rest);
      case TokenAnswer.Valid v -> HtmlPage.of(200, "Consent recorded",
          "<p>Microsoft issued a new token for " + app + " in tenant " + tenant
              + ", in a form Graphgate cannot read, so the permissions it grants cannot be listed here.</p>" + rest);
      case TokenAnswer.Refused r -> HtmlPage.of(200, "Consent recorded, but no token yet",
          "<p>Microsoft refused a token for " + app + " in tenant " + tenant + " right after the consent: " + escape(bounded(r.message()))
              + "</p>\n" + p("Entra can take a few minutes to apply a grant: Graphgate asks again on the connection's next token request.")
              + rest);
      case TokenAnswer.Unavailable u -> notChecked(app, tenant, u.message(), rest);
      case TokenAnswer.BackingOff b -> notChecked(app, tenant, b.lastError(), rest);
      case TokenAnswer.Exhausted x -> notChecked(app, tenant, x.lastError(), rest);
      case TokenAnswer.Gone g -> HtmlPage.of(200, "Consent recorded",
          p("The connection this link was made for was deleted while its token was requested.") + rest);
    };
  }

  private static HtmlPage notChecked(String app, String tenant, String why, String rest) {
    return HtmlPage.of(200, "Consent recorded",
        "<p>Graphgate could not get a new token for " + app + " in tenant " + tenant + " to show what Microsoft now grants ("
            + escape(bounded(why)) + "). The connection's next token request will.</p>" + rest);
  }

  private static String otherConnections(int others) {
    if (others == 0) {
      return "";
    }
    return p(others == 1 ? "1 other connection to this tenant that was waiting for consent asks for a new token on its next use."
        : others + " other connections to this tenant that were waiting for consent ask for a new token on their next use.") + "\n";
  }

  private static String list(List<String> roles) {
    StringBuilder html = new StringBuilder("<ul>");
    roles.forEach(r -> html.append("<li>").append(code(r)).append("</li>"));
    return html.append("</ul>").toString();
  }

  private static String bounded(String s) {
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…";
  }

  /** A lifetime as people say it: 7 days, 12 hours, 30 minutes. */
  static String words(Duration d) {
    if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
      return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    }
    if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
      return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
    }
    long minutes = Math.max(1, d.toMinutes());
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }
}

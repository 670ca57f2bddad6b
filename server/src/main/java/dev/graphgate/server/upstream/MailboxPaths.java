package dev.graphgate.server.upstream;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises Outlook requests, which Microsoft throttles per mailbox (4 concurrent, 10,000 per 10 minutes): anything
 * under {@code /users/{id}/} that reads or writes mail, calendars or contacts, in either path spelling
 * ({@code users/{id}} or {@code users('{id}')}), on v1.0 and beta.
 */
final class MailboxPaths {
  private static final Pattern OUTLOOK = Pattern.compile(
      "^/(?:v1\\.0|beta)/users(?:/([^/()]+)|\\('([^']+)'\\))/(?:messages|mailfolders|events|calendar|calendars|calendarview|calendargroups"
          + "|contacts|contactfolders|mailboxsettings|sendmail|outlook|inferenceclassification|findmeetingtimes|reminderview|getmailtips)(?:[/(?]|$)");

  private MailboxPaths() {}

  /** The mailbox (user id or principal name, lower case) an Outlook path addresses; empty for anything else. */
  static Optional<String> mailbox(String rawPath) {
    // Cheap refusals first: most paths are not Outlook ones, and this runs for every proxied call.
    if (rawPath.length() < 16 || !(rawPath.regionMatches(true, 0, "/v1.0/users", 0, 11) || rawPath.regionMatches(true, 0, "/beta/users", 0, 11))
        || rawPath.length() == 11 || (rawPath.charAt(11) != '/' && rawPath.charAt(11) != '(') || rawPath.indexOf('/', 12) < 0) {
      return Optional.empty();
    }
    Matcher m = OUTLOOK.matcher(OutboundPolicy.decode(rawPath).toLowerCase(Locale.ROOT));
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
  }
}

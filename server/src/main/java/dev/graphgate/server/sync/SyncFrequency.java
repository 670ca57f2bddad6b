package dev.graphgate.server.sync;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a sync runs for a connection, written as Nango writes it: {@code every hour}, {@code every 30 minutes},
 * {@code every 1h}, {@code 2d}. From 30 seconds to 7 days: a directory delta link expires after 7 days, so a sync run
 * less often would always start over with a full round.
 */
public final class SyncFrequency {
  public static final Duration DEFAULT = Duration.ofHours(1);
  public static final Duration MIN = Duration.ofSeconds(30);
  public static final Duration MAX = Duration.ofDays(7);
  private static final Pattern TEXT = Pattern.compile("(?:every\\s+)?(?:(\\d{1,7})\\s*)?([a-z]+)");

  private SyncFrequency() {}

  /** The duration, or empty when the text is not a frequency within the bounds. */
  public static Optional<Duration> parse(String text) {
    Matcher m = TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
    Duration unit = switch (m.group(2)) {
      case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(1);
      case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(1);
      case "h", "hr", "hrs", "hour", "hours" -> Duration.ofHours(1);
      case "d", "day", "days" -> Duration.ofDays(1);
      default -> null;
    };
    if (unit == null) {
      return Optional.empty();
    }
    Duration d = unit.multipliedBy(n);
    return d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(d);
  }

  /** {@code every hour}, {@code every 30m}, {@code every 2d}, {@code every 45s}. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s == 3600) {
      return "every hour";
    }
    if (s == 86_400) {
      return "every day";
    }
    if (s % 86_400 == 0) {
      return "every " + s / 86_400 + "d";
    }
    if (s % 3600 == 0) {
      return "every " + s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return "every " + s / 60 + "m";
    }
    return "every " + s + "s";
  }
}

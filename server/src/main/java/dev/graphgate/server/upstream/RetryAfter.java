package dev.graphgate.server.upstream;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header: seconds (Graph sends whole and fractional ones, such as {@code 2.128}) or an HTTP
 * date. A date in the past, or zero, means "now". Anything unreadable is treated as absent, so backoff applies. Read the
 * same way from Microsoft Graph (the proxy) and from Entra's token endpoint.
 */
public final class RetryAfter {
  private RetryAfter() {}

  public static Optional<Duration> parse(String value, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    char first = v.charAt(0);
    if (Character.isDigit(first) || first == '.') {
      try {
        BigDecimal seconds = new BigDecimal(v);
        if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(86_400L * 365)) > 0) {
          return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(seconds.movePointRight(9).longValue()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}

package dev.graphgate.server.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Nango's two timestamp renderings: {@code …+00:00} on connections, {@code …Z} elsewhere, both with milliseconds. */
final class Timestamps {
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ZULU = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  static String offset(Instant t) {
    return t == null ? null : OFFSET.format(t.truncatedTo(ChronoUnit.MILLIS));
  }

  static String zulu(Instant t) {
    return t == null ? null : ZULU.format(t.truncatedTo(ChronoUnit.MILLIS));
  }
}

package dev.graphgate.server.config;

import java.time.Duration;

/** Durations written back to people the way they write them in settings: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 7d}. */
final class DurationText {
  private DurationText() {}

  static String of(Duration d) {
    if (d == null) {
      return "nothing";
    }
    long ms = d.toMillis();
    if (ms != 0 && !d.isNegative()) {
      if (ms % 86_400_000 == 0) {
        return ms / 86_400_000 + "d";
      }
      if (ms % 3_600_000 == 0) {
        return ms / 3_600_000 + "h";
      }
      if (ms % 60_000 == 0) {
        return ms / 60_000 + "m";
      }
      if (ms % 1_000 == 0) {
        return ms / 1_000 + "s";
      }
    }
    return ms + "ms";
  }
}

package dev.graphgate.emulator.graph.notify;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How change notifications are delivered; changed at run time through {@code PUT /_emulator/notifications/settings}.
 *
 * @param mode {@code deliver}; {@code pause} (notifications wait, and go out once delivery resumes); {@code drop}
 *     (notifications are recorded as dropped and never sent: what a receiver sees when Graph loses them)
 * @param timeScale multiplies the retry delays and the 4-hour retry horizon, so tests see a day of retries in seconds
 *     (1 is Graph's pace, 0.001 turns 4 hours into 14.4 seconds)
 * @param batchWindow how long a first notification waits for others to the same URL, which then share its POST
 * @param maxBatchSize the most notifications in one POST
 * @param concurrency the most POSTs in flight to one URL at a time; default 1, so a receiver gets its notifications in
 *     the order of the changes (Graph promises no order: raise it to see a receiver cope)
 * @param deliveryTimeout how long a receiver has to answer a notification POST (Graph: 3 s); later is a failed attempt
 * @param validationTimeout how long a receiver has to answer the validation handshake (Graph: 10 s)
 * @param outlookMaxLifetime the longest subscription on messages and events: 4,230 minutes (the limit Graph's errors
 *     still report), or 10,080 as the current subscription-lifetime table says (reference section 11, a conflict)
 */
public record NotificationSettings(
    Mode mode, double timeScale, Duration batchWindow, int maxBatchSize, int concurrency, Duration deliveryTimeout,
    Duration validationTimeout, Duration outlookMaxLifetime) {

  public enum Mode {
    DELIVER,
    PAUSE,
    DROP;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String value) {
      for (Mode mode : values()) {
        if (mode.wire().equalsIgnoreCase(value)) {
          return mode;
        }
      }
      throw new IllegalArgumentException("mode must be deliver, pause or drop, was '" + value + "'");
    }
  }

  public static final Duration GRAPH_DELIVERY_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration GRAPH_VALIDATION_TIMEOUT = Duration.ofSeconds(10);
  /** Graph retries a notification "for up to 4 hours", then drops it. */
  public static final Duration GRAPH_RETRY_HORIZON = Duration.ofHours(4);

  public static final NotificationSettings DEFAULTS = new NotificationSettings(
      Mode.DELIVER, 1.0, Duration.ofMillis(100), 100, 1, GRAPH_DELIVERY_TIMEOUT, GRAPH_VALIDATION_TIMEOUT, Duration.ofMinutes(4230));

  public NotificationSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(batchWindow, "batchWindow");
    Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    Objects.requireNonNull(validationTimeout, "validationTimeout");
    Objects.requireNonNull(outlookMaxLifetime, "outlookMaxLifetime");
    if (!(timeScale >= 0.0001 && timeScale <= 1.0)) {
      throw new IllegalArgumentException("timeScale must be between 0.0001 and 1, was " + timeScale);
    }
    requireBetween("batchWindowMillis", batchWindow, Duration.ZERO, Duration.ofSeconds(10));
    requireBetween("deliveryTimeoutMillis", deliveryTimeout, Duration.ofMillis(10), Duration.ofSeconds(60));
    requireBetween("validationTimeoutMillis", validationTimeout, Duration.ofMillis(10), Duration.ofSeconds(60));
    requireBetween("outlookMaxLifetimeMinutes", outlookMaxLifetime, Duration.ofMinutes(45), Duration.ofMinutes(10_080));
    if (maxBatchSize < 1 || maxBatchSize > 1000) {
      throw new IllegalArgumentException("maxBatchSize must be between 1 and 1000, was " + maxBatchSize);
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new IllegalArgumentException("concurrency must be between 1 and 64, was " + concurrency);
    }
  }

  public NotificationSettings withMode(Mode newMode) {
    return new NotificationSettings(newMode, timeScale, batchWindow, maxBatchSize, concurrency, deliveryTimeout, validationTimeout, outlookMaxLifetime);
  }

  public NotificationSettings withTimeScale(double scale) {
    return new NotificationSettings(mode, scale, batchWindow, maxBatchSize, concurrency, deliveryTimeout, validationTimeout, outlookMaxLifetime);
  }

  public NotificationSettings withBatchWindow(Duration window) {
    return new NotificationSettings(mode, timeScale, window, maxBatchSize, concurrency, deliveryTimeout, validationTimeout, outlookMaxLifetime);
  }

  public NotificationSettings withDeliveryTimeout(Duration timeout) {
    return new NotificationSettings(mode, timeScale, batchWindow, maxBatchSize, concurrency, timeout, validationTimeout, outlookMaxLifetime);
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}: 1, 2, 4 and 8 minutes, then every 10 minutes (the pace Graph
   * keeps for an endpoint it has flagged), scaled by {@link #timeScale}.
   */
  public Duration retryDelay(int failedAttempts) {
    long minutes = Math.min(10, 1L << Math.min(failedAttempts - 1, 4));
    return scaled(Duration.ofMinutes(minutes));
  }

  public Duration retryHorizon() {
    return scaled(GRAPH_RETRY_HORIZON);
  }

  /** {@code duration} on the compressed clock of retries. */
  public Duration scaled(Duration duration) {
    return Duration.ofNanos(Math.max(1_000_000, Math.round(duration.toNanos() * timeScale)));
  }

  private static void requireBetween(String name, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be between " + min.toMillis() + " and " + max.toMillis() + " ms, was " + value.toMillis());
    }
  }
}

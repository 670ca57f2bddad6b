package dev.graphgate.emulator.graph;

import dev.graphgate.emulator.graph.faults.FaultSettings;
import dev.graphgate.emulator.graph.faults.Sleeper;
import dev.graphgate.emulator.graph.throttle.ThrottleSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How the emulated Graph behaves beyond its data: delta token lifetime, throttling and faults at start (both can be
 * changed at run time through the admin API), the largest simple upload, and how the slow-response fault sleeps.
 *
 * @param deltaTokenLifetime how long a delta link stays usable; default 7 days, the directory's documented lifetime
 * @param maxUploadBytes the largest {@code PUT .../content}; default 4 MiB, Graph's long-standing simple-upload limit
 */
public record GraphOptions(
    Duration deltaTokenLifetime, ThrottleSettings throttling, FaultSettings faults, long maxUploadBytes, Sleeper sleeper) {

  public static final Duration DEFAULT_DELTA_TOKEN_LIFETIME = Duration.ofDays(7);
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 4L * 1024 * 1024;

  public GraphOptions {
    Objects.requireNonNull(deltaTokenLifetime, "deltaTokenLifetime");
    Objects.requireNonNull(throttling, "throttling");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(sleeper, "sleeper");
    if (deltaTokenLifetime.compareTo(Duration.ofMinutes(1)) < 0 || deltaTokenLifetime.compareTo(Duration.ofDays(90)) > 0) {
      throw new IllegalArgumentException("deltaTokenLifetime must be between 1 minute and 90 days, was " + deltaTokenLifetime);
    }
    if (maxUploadBytes < 1 || maxUploadBytes > 256L * 1024 * 1024) {
      throw new IllegalArgumentException("maxUploadBytes must be between 1 and 268435456, was " + maxUploadBytes);
    }
  }

  public static GraphOptions defaults() {
    return new GraphOptions(DEFAULT_DELTA_TOKEN_LIFETIME, ThrottleSettings.NONE, FaultSettings.NONE, DEFAULT_MAX_UPLOAD_BYTES, Sleeper.SYSTEM);
  }

  public GraphOptions withThrottling(ThrottleSettings settings) {
    return new GraphOptions(deltaTokenLifetime, settings, faults, maxUploadBytes, sleeper);
  }

  public GraphOptions withFaults(FaultSettings settings) {
    return new GraphOptions(deltaTokenLifetime, throttling, settings, maxUploadBytes, sleeper);
  }

  public GraphOptions withDeltaTokenLifetime(Duration lifetime) {
    return new GraphOptions(lifetime, throttling, faults, maxUploadBytes, sleeper);
  }

  public GraphOptions withSleeper(Sleeper newSleeper) {
    return new GraphOptions(deltaTokenLifetime, throttling, faults, maxUploadBytes, newSleeper);
  }
}

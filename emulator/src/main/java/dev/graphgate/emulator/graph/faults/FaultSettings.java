package dev.graphgate.emulator.graph.faults;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which faults to inject and how often: each policy's rate is the fraction of Graph requests it hits (together at most
 * 1). Decisions come from a random generator seeded with {@code seed} (default: the emulator's seed), one draw per
 * request, so the same sequence of requests meets the same faults on every run.
 *
 * @param tenantId limit injection to one tenant; empty: all tenants
 * @param slowResponse how long {@link FaultPolicy#SLOW_RESPONSE} delays; default 2 s
 * @param retryAfterSeconds the {@code Retry-After} of injected 503s; default 1
 */
public record FaultSettings(
    Map<FaultPolicy, Double> rates, Duration slowResponse, int retryAfterSeconds, Optional<Long> seed, Optional<String> tenantId) {

  public static final Duration DEFAULT_SLOW_RESPONSE = Duration.ofSeconds(2);

  public FaultSettings {
    Objects.requireNonNull(slowResponse, "slowResponse");
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(tenantId, "tenantId");
    EnumMap<FaultPolicy, Double> copy = new EnumMap<>(FaultPolicy.class);
    double total = 0;
    for (Map.Entry<FaultPolicy, Double> entry : rates.entrySet()) {
      double rate = entry.getValue();
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("the rate of " + entry.getKey() + " must be between 0 and 1, was " + rate);
      }
      total += rate;
      copy.put(entry.getKey(), rate);
    }
    if (total > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault rates add up to " + total + "; together they must be at most 1");
    }
    if (slowResponse.isNegative() || slowResponse.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("slowResponse must be between 0 and 10 minutes, was " + slowResponse);
    }
    if (retryAfterSeconds < 0 || retryAfterSeconds > 3600) {
      throw new IllegalArgumentException("retryAfterSeconds must be between 0 and 3600, was " + retryAfterSeconds);
    }
    rates = java.util.Collections.unmodifiableMap(copy);
  }

  public static final FaultSettings NONE = new FaultSettings(Map.of(), DEFAULT_SLOW_RESPONSE, 1, Optional.empty(), Optional.empty());

  public boolean isOff() {
    return rates.values().stream().allMatch(r -> r == 0);
  }
}

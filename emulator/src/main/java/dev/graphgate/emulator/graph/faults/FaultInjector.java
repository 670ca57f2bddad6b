package dev.graphgate.emulator.graph.faults;

import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Decides, per request, whether to inject a fault. One draw from a seeded generator per request (while any rate is
 * set), so a run that sends the same requests in the same order meets exactly the same faults.
 */
public final class FaultInjector {

  private static final String ALGORITHM = "L64X128MixRandom";

  private final long defaultSeed;
  // Read without the lock on every request: while faults are off (the usual case) a request takes no lock.
  private volatile FaultSettings settings;
  private volatile boolean off;
  private RandomGenerator random;

  public FaultInjector(long defaultSeed, FaultSettings initial) {
    this.defaultSeed = defaultSeed;
    configure(initial);
  }

  public FaultSettings settings() {
    return settings;
  }

  /** Replaces the settings and restarts the random sequence from the seed. */
  public synchronized void configure(FaultSettings newSettings) {
    random = RandomGeneratorFactory.of(ALGORITHM).create(newSettings.seed().orElse(defaultSeed));
    settings = newSettings;
    off = newSettings.isOff();
  }

  public Optional<FaultPolicy> decide(String tenantId) {
    if (off) {
      return Optional.empty();
    }
    return draw(tenantId);
  }

  private synchronized Optional<FaultPolicy> draw(String tenantId) {
    if (settings.isOff() || (settings.tenantId().isPresent() && !settings.tenantId().get().equalsIgnoreCase(tenantId))) {
      return Optional.empty();
    }
    double draw = random.nextDouble();
    double cumulative = 0;
    for (FaultPolicy policy : FaultPolicy.values()) {
      cumulative += settings.rates().getOrDefault(policy, 0.0);
      if (draw < cumulative) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }
}

package dev.graphgate.emulator.graph.faults;

import java.time.Duration;

/** How the slow-response fault waits; tests inject one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  Sleeper SYSTEM = duration -> Thread.sleep(duration);
}

package dev.graphgate.server.upstream;

import java.time.Duration;

/** Waiting, as a constructor argument, so tests can wait without time passing. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps; false, with the thread's interrupt flag set again, when interrupted. */
  default boolean pause(Duration duration) {
    try {
      sleep(duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The real one; the only place the server waits on the wall clock. */
  Sleeper SYSTEM = d -> Thread.sleep(d);
}

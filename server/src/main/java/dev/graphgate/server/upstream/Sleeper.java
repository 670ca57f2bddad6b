package dev.graphgate.server.upstream;

import java.time.Duration;

/** Waiting, as a constructor argument, so tests can wait without time passing. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** The real one; the only place the server waits on the wall clock. */
  Sleeper SYSTEM = d -> Thread.sleep(d);
}

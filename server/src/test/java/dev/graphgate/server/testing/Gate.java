package dev.graphgate.server.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds whatever passes through it until the test opens it: a token endpoint, an upstream or a check blocks in
 * {@link #pass()}, the test waits for that with {@link #awaitArrival()}, looks at the system while the call is held,
 * then {@link #open()}s. Nothing is timed: the test knows the call is held, not merely that some time has gone by.
 */
public final class Gate {
  static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(30);

  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch opened = new CountDownLatch(1);

  /** For the held code: says it is here, then waits until the gate is open (an interrupt lets it through, flagged). */
  public void pass() {
    arrived.countDown();
    try {
      opened.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until a call is held at the gate; fails the test when none comes. */
  public void awaitArrival() throws InterruptedException {
    awaitArrival(ARRIVAL_TIMEOUT);
  }

  /** As {@link #awaitArrival()}, for a call that takes long to get here (a large transfer). */
  public void awaitArrival(Duration atMost) throws InterruptedException {
    if (!arrived.await(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("nothing reached the gate within " + atMost);
    }
  }

  public boolean hasArrival() {
    return arrived.getCount() == 0;
  }

  /** Lets every held call, and every later one, through. */
  public void open() {
    opened.countDown();
  }
}

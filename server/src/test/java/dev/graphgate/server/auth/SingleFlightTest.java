package dev.graphgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One run per key: waiters share the outcome, whatever it is, and the key is free again afterwards. */
class SingleFlightTest {
  final SingleFlight<String, String> flights = new SingleFlight<>();
  final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Starts a run of {@code work} on key "k" that blocks until released, and a waiter that joins it. */
  private Future<String> waiterOf(CountDownLatch release, Runnable failure, Future<?>[] owner) throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    owner[0] = pool.submit(() -> flights.run("k", () -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      failure.run();
      return "token";
    }));
    running.await();
    Thread[] waiting = new Thread[1];
    CountDownLatch started = new CountDownLatch(1);
    Future<String> waiter = pool.submit(() -> {
      waiting[0] = Thread.currentThread();
      started.countDown();
      return flights.run("k", () -> "a second run");
    });
    started.await();
    // The waiter has joined the run once it parks (the run cannot end before release).
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(() -> waiting[0].getState() == Thread.State.WAITING);
    return waiter;
  }

  @Test
  void waitersShareTheResult() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?>[] owner = new Future<?>[1];
    Future<String> waiter = waiterOf(release, () -> { }, owner);
    release.countDown();
    assertThat(owner[0].get()).isEqualTo("token");
    assertThat(waiter.get()).isEqualTo("token");
    assertThat(flights.run("k", () -> "next")).as("the key is free again").isEqualTo("next");
  }

  @Test
  void aRunThatDiesWithAnErrorReleasesItsWaitersWithThatError() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?>[] owner = new Future<?>[1];
    Future<String> waiter = waiterOf(release, () -> {
      throw new StackOverflowError("deep");
    }, owner);
    release.countDown();
    assertThatThrownBy(() -> owner[0].get()).hasCauseInstanceOf(StackOverflowError.class);
    // A stuck waiter is the bug: it would wait for a result that never comes. The bound only detects the hang.
    assertThatThrownBy(() -> waiter.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(StackOverflowError.class);
    assertThat(flights.run("k", () -> "next")).isEqualTo("next");
  }

  @Test
  void aRunThatFailsPassesTheSameExceptionToItsWaiters() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?>[] owner = new Future<?>[1];
    IllegalStateException failure = new IllegalStateException("refused");
    Future<String> waiter = waiterOf(release, () -> {
      throw failure;
    }, owner);
    release.countDown();
    assertThatThrownBy(() -> owner[0].get()).hasCause(failure);
    assertThatThrownBy(() -> waiter.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(failure);
  }
}

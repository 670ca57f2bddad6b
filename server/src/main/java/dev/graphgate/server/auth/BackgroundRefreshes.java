package dev.graphgate.server.auth;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Where token refreshes that run ahead of expiry run: a virtual thread each, named {@code graphgate-…} (so their
 * database statements are not counted as request statements), let finish for a few seconds at shutdown.
 */
final class BackgroundRefreshes implements Executor, AutoCloseable {
  private static final long GRACE_SECONDS = 5;

  private final ExecutorService threads;

  BackgroundRefreshes(String name) {
    this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("graphgate-" + name + "-", 0).factory());
  }

  @Override
  public void execute(Runnable task) {
    threads.execute(task);
  }

  @Override
  public void close() {
    threads.shutdown();
    try {
      if (!threads.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

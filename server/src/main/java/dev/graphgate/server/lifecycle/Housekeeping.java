package dev.graphgate.server.lifecycle;

import dev.graphgate.server.storage.Database;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic work of one instance, on one background thread: writing last-fetched times behind, pruning the
 * throttle gates and token caches. A task that fails is logged and runs again at its next turn (a scheduled task that
 * throws would otherwise never run again). {@link #stop} lets a running task finish; it never interrupts one, since
 * a thread inside the embedded database must not be interrupted.
 */
public final class Housekeeping {
  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

  /** One periodic task: its name for the log, how often, what. */
  public record Task(String name, Duration every, Runnable work) {}

  private final ScheduledExecutorService thread;
  private final List<Task> tasks;

  private Housekeeping(List<Task> tasks) {
    this.tasks = List.copyOf(tasks);
    // Named graphgate-*: its statements are background work, not requests' (see Database#statementCount).
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, Database.BACKGROUND_THREAD_PREFIX + "housekeeping");
      t.setDaemon(true);
      return t;
    });
  }

  /** Schedules every task, each first run one period from now. */
  public static Housekeeping start(List<Task> tasks) {
    Housekeeping h = new Housekeeping(tasks);
    for (Task task : h.tasks) {
      long every = task.every().toMillis();
      h.thread.scheduleWithFixedDelay(() -> h.runSafely(task), every, every, TimeUnit.MILLISECONDS);
    }
    return h;
  }

  private void runSafely(Task task) {
    try {
      task.work().run();
    } catch (RuntimeException e) {
      log.warn("housekeeping task '{}' failed: {}; it runs again at its next turn", task.name(), e.getClass().getSimpleName());
    }
  }

  /** Runs no task again; waits up to {@code wait} for one that is running. */
  public void stop(Duration wait) throws InterruptedException {
    thread.shutdown();
    if (!thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("a housekeeping task is still running after {} ms; leaving it", wait.toMillis());
    }
  }
}

package dev.graphgate.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.IntFunction;

/** Callers at once, each on its own virtual thread: what a burst of clients does to one instance or several. */
public final class Concurrently {
  private Concurrently() {}

  /** Runs {@code n} calls at once ({@code call} gets the caller's index) and returns their results in that order. */
  public static <T> List<T> times(int n, IntFunction<T> call) {
    List<Callable<T>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      calls.add(() -> call.apply(index));
    }
    return all(calls);
  }

  /** Runs every call at once and returns their results in order; a call that throws fails the test with its cause. */
  public static <T> List<T> all(List<? extends Callable<T>> calls) {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(calls)) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while callers ran", e);
    } catch (ExecutionException e) {
      throw new AssertionError("a concurrent caller failed: " + e.getCause(), e.getCause());
    }
  }

  /** One call started now on a virtual thread, while the test goes on. */
  public static <T> Future<T> inBackground(Callable<T> call) {
    FutureTask<T> task = new FutureTask<>(call);
    Thread.ofVirtual().name("test-background").start(task);
    return task;
  }
}

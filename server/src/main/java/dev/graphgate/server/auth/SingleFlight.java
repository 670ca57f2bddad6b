package dev.graphgate.server.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most one run per key at a time in this process: a caller that finds a run in progress for its key waits for it
 * and shares its result or failure; a background start finding one does nothing. Keys are forgotten as soon as their
 * run ends.
 */
final class SingleFlight<K, V> {
  private static final Logger log = LoggerFactory.getLogger(SingleFlight.class);

  private final ConcurrentMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  /** Runs {@code work} on this thread, or waits for the run already in progress for {@code key}. */
  V run(K key, Supplier<V> work) {
    return runOrJoin(key, work).value();
  }

  /** A run's result, and whether this caller joined a run another caller had started. */
  record Flight<V>(V value, boolean joined) {}

  /** As {@link #run}, saying whether the result came from a run already in progress. */
  Flight<V> runOrJoin(K key, Supplier<V> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return new Flight<>(await(running), true);
    }
    return new Flight<>(complete(key, mine, work), false);
  }

  /**
   * Starts {@code work} on {@code executor} unless a run for {@code key} is in progress, and returns at once: callers
   * that arrive meanwhile and need the result wait for it through {@link #run}. True when this call started a run.
   */
  boolean runInBackground(K key, Supplier<V> work, Executor executor) {
    if (inFlight.containsKey(key)) {
      return false; // the common case under load: a plain read, no allocation
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    if (inFlight.putIfAbsent(key, mine) != null) {
      return false;
    }
    try {
      executor.execute(() -> {
        try {
          complete(key, mine, work);
        } catch (RuntimeException | Error e) {
          log.warn("background run for {} failed: {}", key, e.getClass().getSimpleName());
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
      return false;
    }
  }

  boolean isRunning(K key) {
    return inFlight.containsKey(key);
  }

  private V complete(K key, CompletableFuture<V> mine, Supplier<V> work) {
    try {
      V result = work.get();
      mine.complete(result);
      return result;
    } catch (Throwable e) {
      // Errors too (a StackOverflowError, an AssertionError): a run that never completes its future leaves every
      // waiter parked forever.
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private static <V> V await(CompletableFuture<V> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}

package dev.graphgate.server.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * At most one run per key at a time in this process: a caller that finds a run in progress for its key waits for it
 * and shares its result or failure. Keys are forgotten as soon as their run ends.
 */
final class SingleFlight<K, V> {
  private final ConcurrentMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  V run(K key, Supplier<V> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return await(running);
    }
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

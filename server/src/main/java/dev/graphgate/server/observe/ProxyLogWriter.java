package dev.graphgate.server.observe;

import dev.graphgate.server.storage.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes request log entries behind the proxy: {@link #record} only puts the entry in a bounded lock-free queue (never
 * blocks, never touches the database); one background thread inserts what accumulated, a twentieth of a second's worth
 * at a time in batches of up to {@value #BATCH}, and deletes entries older than the retention period every {@link #PRUNE_EVERY}. When the queue is full (the
 * database is slower than the traffic) new entries are dropped and counted ({@code graphgate.proxy.log.dropped}): the
 * proxy never waits for its log.
 */
public final class ProxyLogWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyLogWriter.class);
  static final int BATCH = 5000;
  // With H2's WRITE_DELAY=0 every commit stores a chunk of the file. Most of what made that dear was the id sequence
  // storing the database every 32 rows (V15 fixed it); since then a twentieth of a second per batch measured no more
  // CPU than a quarter second, and entries held for a quarter second outlived the young collections, filling the old
  // generation of a small heap (its full collections were the proxy's p99 at 64 clients: benchmarks/README.md).
  static final Duration GATHER = Duration.ofMillis(50);
  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final ProxyLogRepository repository;
  // Lock-free: with many concurrent callers a locked queue parks them on every entry.
  private final ConcurrentLinkedQueue<ProxyLogEntry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final int capacity;
  private final Duration retention;
  private final InstantSource clock;
  private final Counter dropped;
  private final Counter failed;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private Instant lastPrune = Instant.EPOCH;

  public ProxyLogWriter(ProxyLogRepository repository, int capacity, Duration retention, InstantSource clock, MeterRegistry meters) {
    this.repository = repository;
    this.capacity = capacity;
    this.retention = retention;
    this.clock = clock;
    this.dropped = Counter.builder(MeterNames.PROXY_LOG_DROPPED).description("request log entries dropped because the queue was full").register(meters);
    this.failed = Counter.builder(MeterNames.PROXY_LOG_FAILED).description("request log entries lost to database errors").register(meters);
    // Named graphgate-*: its statements are background work, not the proxy's (see Database#statementCount).
    this.thread = new Thread(this::run, Database.BACKGROUND_THREAD_PREFIX + "proxy-log");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the entry; drops it (counted) when the queue is full. Never blocks. */
  public void record(ProxyLogEntry entry) {
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    accepted.incrementAndGet();
    queue.offer(entry);
  }

  /** Waits until every entry queued so far is written (or lost to an error); for tests and shutdown. */
  public boolean awaitWritten(Duration timeout) {
    long target = accepted.get();
    long end = System.nanoTime() + timeout.toNanos();
    while (settled.get() < target) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void run() {
    List<ProxyLogEntry> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        // Let a batch gather: one transaction per few rows would cost more than the proxying it records.
        if (running) {
          // Parked, not slept: close() unparks it without an interrupt (which would close the embedded database's file).
          LockSupport.parkNanos(GATHER.toNanos());
          if (Thread.currentThread().isInterrupted()) {
            running = false;
          }
        }
        ProxyLogEntry e;
        while ((e = queue.poll()) != null) {
          queued.decrementAndGet();
          batch.add(e);
          if (batch.size() == BATCH) {
            write(batch);
            batch.clear();
          }
        }
        if (!batch.isEmpty()) {
          write(batch);
          batch.clear();
        }
        if (running) {
          // Not while stopping: a large delete would hold up the stop for entries that expire anyway.
          pruneWhenDue();
        }
      } catch (RuntimeException e) {
        log.warn("request log writer: {}", e.getClass().getSimpleName());
      }
    }
  }

  private void write(List<ProxyLogEntry> batch) {
    try {
      repository.insert(batch);
    } catch (RuntimeException e) {
      failed.increment(batch.size());
      log.warn("could not write {} request log entries: {}", batch.size(), e.getClass().getSimpleName());
    } finally {
      settled.addAndGet(batch.size());
    }
  }

  private void pruneWhenDue() {
    Instant now = clock.instant();
    if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
      return;
    }
    lastPrune = now;
    try {
      int deleted = repository.deleteBefore(now.minus(retention));
      if (deleted > 0) {
        log.debug("deleted {} request log entries older than {}", deleted, retention);
      }
    } catch (RuntimeException e) {
      log.warn("could not delete old request log entries: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * Writes every entry queued so far, then stops (the last step of a graceful stop before the database closes). The
   * writer is never interrupted: an interrupt inside the embedded database closes its file. If it is still writing
   * after {@link #CLOSE_WAIT} (a database that hangs), it is left to the process's exit and what it had not written is
   * lost, counted in the log line.
   */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(CLOSE_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("the request log writer is still writing after {} s; up to {} entries may not be written",
          CLOSE_WAIT.toSeconds(), accepted.get() - settled.get());
    }
  }
}

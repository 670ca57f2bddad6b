package dev.graphgate.server.health;

import dev.graphgate.server.storage.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance can serve: every {@link ReadinessCheck}, run side by side, each given at most
 * {@link #DEFAULT_TIMEOUT}; the report is reused for {@link #DEFAULT_CACHE_FOR}, and only one round of checks runs at a
 * time, so however often load balancers probe, the database and Entra see at most one check per period.
 */
public final class Readiness implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Readiness.class);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(5);

  /** One check's outcome: {@code problem} is empty when it passed. */
  public record Result(String name, Optional<String> problem, Duration took) {
    public boolean passed() {
      return problem.isEmpty();
    }
  }

  /** A round of checks. */
  public record Report(Instant checkedAt, List<Result> results) {
    public Report {
      results = List.copyOf(results);
    }

    public boolean ready() {
      return results.stream().allMatch(Result::passed);
    }
  }

  private final List<ReadinessCheck> checks;
  private final Duration timeout;
  private final Duration cacheFor;
  private final InstantSource clock;
  private final ReentrantLock round = new ReentrantLock();
  // Named graphgate-*: a database check is background work, not a request's statement (Database#statementCount).
  private final ExecutorService runner =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(Database.BACKGROUND_THREAD_PREFIX + "readiness-", 0).factory());
  private volatile Report last;

  public Readiness(List<ReadinessCheck> checks, Duration timeout, Duration cacheFor, InstantSource clock) {
    this.checks = List.copyOf(checks);
    this.timeout = timeout;
    this.cacheFor = cacheFor;
    this.clock = clock;
  }

  /** The latest report, checked again when older than the cache period. */
  public Report report() {
    Report r = last;
    if (isFresh(r)) {
      return r;
    }
    round.lock();
    try {
      r = last;
      if (isFresh(r)) {
        return r;
      }
      r = runChecks();
      last = r;
      return r;
    } finally {
      round.unlock();
    }
  }

  private boolean isFresh(Report r) {
    return r != null && clock.instant().isBefore(r.checkedAt().plus(cacheFor));
  }

  private Report runChecks() {
    Instant started = clock.instant();
    List<Future<Result>> running = new ArrayList<>();
    for (ReadinessCheck c : checks) {
      running.add(runner.submit(() -> run(c)));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      ReadinessCheck c = checks.get(i);
      Future<Result> f = running.get(i);
      try {
        results.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        // Not interrupted: a thread inside the embedded database must not be (H2 closes its file on an interrupt). The
        // check ends on its own timeouts; the next round starts fresh.
        f.cancel(false);
        results.add(new Result(c.name(), Optional.of("no answer within " + timeout.toMillis() + " ms"), timeout));
      } catch (ExecutionException e) {
        results.add(new Result(c.name(), Optional.of(String.valueOf(e.getCause())), Duration.between(started, clock.instant())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results.add(new Result(c.name(), Optional.of("interrupted"), Duration.between(started, clock.instant())));
      }
    }
    Report report = new Report(started, results);
    Report previous = last;
    if (!report.ready() && (previous == null || previous.ready())) {
      log.warn("not ready: {}", report.results().stream().filter(r -> !r.passed()).map(r -> r.name() + " (" + r.problem().get() + ")").toList());
    } else if (report.ready() && previous != null && !previous.ready()) {
      log.info("ready again");
    }
    return report;
  }

  private Result run(ReadinessCheck c) {
    Instant start = clock.instant();
    try {
      c.check();
      return new Result(c.name(), Optional.empty(), Duration.between(start, clock.instant()));
    } catch (Exception e) {
      String message = e.getMessage();
      return new Result(c.name(), Optional.of(message == null || message.isBlank() ? e.getClass().getSimpleName() : message),
          Duration.between(start, clock.instant()));
    }
  }

  @Override
  public void close() {
    // Not shutdownNow: see runChecks on interrupting a thread inside the embedded database.
    runner.shutdown();
    for (ReadinessCheck c : checks) {
      if (c instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.debug("could not close the {} check: {}", c.name(), e.getClass().getSimpleName());
        }
      }
    }
  }
}

package dev.graphgate.server.lifecycle;

import dev.graphgate.server.api.GracefulStop;
import dev.graphgate.server.connection.LastFetchedRecorder;
import dev.graphgate.server.health.Readiness;
import dev.graphgate.server.observe.ProxyLogWriter;
import dev.graphgate.server.storage.ChangeFeed;
import dev.graphgate.server.storage.Database;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an instance stops, in one place and in this order:
 *
 * <ol>
 *   <li>stop accepting connections, and let the requests in flight finish within the grace period
 *       ({@code GRAPHGATE_SHUTDOWN_GRACE}); a request arriving meanwhile on an open connection gets {@code 503
 *       shutting_down};
 *   <li>stop the HTTP server: a request still running after the grace is cut off here, and the readiness checks end;
 *   <li>stop the sync scheduler: a run stores the page it holds and stops (the next run, on any instance, resumes
 *       after it);
 *   <li>stop the background jobs ({@link Housekeeping}), letting a running one finish, and the token refreshes
 *       running ahead of expiry (a few seconds at most), and the webhook deliveries (attempts in flight get a few seconds,
 *       then their leases run out and they are sent again later);
 *   <li>flush what is written behind: last-fetched times, then the request log, which by now holds the entry of every
 *       call answered in step 1;
 *   <li>close the change feed and the metrics registry;
 *   <li>close storage (the pool, and with its last connection the embedded database).
 * </ol>
 *
 * The parts are handed over as the instance starts; a start that fails half-way runs the same sequence over the parts
 * it has. A step that fails is logged and the next one runs, so storage is always closed. Runs once.
 */
public final class ShutdownSequence {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);
  static final Duration HOUSEKEEPING_WAIT = Duration.ofSeconds(10);

  private final Duration grace;
  private final AtomicBoolean ran = new AtomicBoolean();
  private boolean interrupted;
  private Javalin http;
  private Readiness readiness;
  private Housekeeping housekeeping;
  private AutoCloseable syncs;
  private AutoCloseable notifications;
  private final List<AutoCloseable> tokenRefreshes = new ArrayList<>();
  private AutoCloseable metrics;
  private AutoCloseable webhooks;
  private LastFetchedRecorder lastFetched;
  private ProxyLogWriter requestLog;
  private ChangeFeed changeFeed;
  private Database storage;

  public ShutdownSequence(Duration grace) {
    this.grace = grace;
  }

  public synchronized void http(Javalin v) { http = v; }
  public synchronized void readiness(Readiness v) { readiness = v; }
  public synchronized void housekeeping(Housekeeping v) { housekeeping = v; }
  public synchronized void syncs(AutoCloseable v) { syncs = v; }
  /** The subscription worker and the notification processor (they write to storage and the outbox). */
  public synchronized void notifications(AutoCloseable v) { notifications = v; }
  /** Where tokens are refreshed in the background (they may still write to storage). */
  public synchronized void tokenRefreshes(AutoCloseable v) { tokenRefreshes.add(v); }
  public synchronized void metrics(AutoCloseable v) { metrics = v; }
  /** The webhook delivery worker (it writes delivery outcomes to storage). */
  public synchronized void webhooks(AutoCloseable v) { webhooks = v; }
  public synchronized void lastFetched(LastFetchedRecorder v) { lastFetched = v; }
  public synchronized void requestLog(ProxyLogWriter v) { requestLog = v; }
  public synchronized void changeFeed(ChangeFeed v) { changeFeed = v; }
  public synchronized void storage(Database v) { storage = v; }

  public synchronized void run() {
    if (!ran.compareAndSet(false, true)) {
      return;
    }
    if (http != null) {
      step("stop accepting and drain requests", this::drain);
      step("stop the HTTP server", () -> GracefulStop.stop(http));
    }
    if (readiness != null) {
      step("stop the readiness checks", readiness::close);
    }
    if (notifications != null) {
      step("stop the notification and subscription workers", notifications::close);
    }
    if (syncs != null) {
      step("stop the sync scheduler", syncs::close);
    }
    if (housekeeping != null) {
      step("stop the background jobs", () -> housekeeping.stop(HOUSEKEEPING_WAIT));
    }
    for (AutoCloseable refreshes : tokenRefreshes) {
      step("finish the background token refreshes", refreshes::close);
    }
    if (webhooks != null) {
      step("stop the webhook deliveries", webhooks::close);
    }
    if (lastFetched != null) {
      step("flush last-fetched times", lastFetched::flush);
    }
    if (requestLog != null) {
      step("flush the request log", requestLog::close);
    }
    if (changeFeed != null) {
      step("close the change feed", changeFeed::close);
    }
    if (metrics != null) {
      step("close the metrics registry", metrics::close);
    }
    if (storage != null) {
      step("close storage", storage::close);
    }
    log.info("stopped");
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() throws InterruptedException {
    long inFlight = GracefulStop.inFlight(http);
    log.info("stopping: no longer accepting connections; {} request(s) in flight, waiting up to {} ms for them", inFlight, grace.toMillis());
    long cut = GracefulStop.drain(http, grace);
    if (cut > 0) {
      log.warn("{} request(s) still running after the {} ms grace period (GRAPHGATE_SHUTDOWN_GRACE) are cut off", cut, grace.toMillis());
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private void step(String name, Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      // The interrupt is given back at the end: a step that touches the embedded database must not run interrupted.
      interrupted = true;
      log.warn("interrupted while stopping ({}); going on with the next step", name);
    } catch (Exception e) {
      log.warn("could not {}: {}", name, e.toString());
    }
  }
}

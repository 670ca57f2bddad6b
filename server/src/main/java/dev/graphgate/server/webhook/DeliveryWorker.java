package dev.graphgate.server.webhook;

import dev.graphgate.server.upstream.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds. Every poll interval, and at once after this instance's own commits, it looks for
 * deliveries due, claims each with {@link DeliveryRepository#claim} (one instance wins; the lease outlasts one
 * attempt's time bound, so a live sender never loses it) and sends it on a small pool. A 2xx is final; 408, 429, 5xx
 * and transport failures are tried again after {@code backoff} (exponential, with jitter; the time of the next attempt
 * is stored, so the schedule survives a restart) until the delivery's attempts are used; any other answer fails it at
 * once, as Nango does. An instance killed mid-send leaves its lease to run out, and the delivery is sent again then:
 * that is the one case where a receiver can see an event twice, with the same {@code X-Graphgate-Event-Id}.
 */
public final class DeliveryWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  static final int SENDERS = 4;
  /** A lease lasts this much beyond the longest an attempt can take. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

  private final DeliveryRepository deliveries;
  private final WebhookSettingsRepository settings;
  private final WebhookSender sender;
  private final Backoff backoff;
  private final InstantSource clock;
  private final WebhookMeters meters;
  private final String owner;
  private final Duration poll;
  private final Duration lease;
  private final Semaphore slots = new Semaphore(SENDERS);
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final ScheduledExecutorService loop;
  private final ExecutorService senders;

  DeliveryWorker(DeliveryRepository deliveries, WebhookSettingsRepository settings, WebhookSender sender, Backoff backoff, InstantSource clock,
      WebhookMeters meters, String owner, Duration poll, Duration attemptTimeout) {
    this.deliveries = deliveries;
    this.settings = settings;
    this.sender = sender;
    this.backoff = backoff;
    this.clock = clock;
    this.meters = meters;
    this.owner = owner;
    this.poll = poll;
    // The sender waits at most twice the attempt timeout (headers, then the discarded body).
    this.lease = attemptTimeout.multipliedBy(2).plus(LEASE_MARGIN);
    this.loop = Executors.newSingleThreadScheduledExecutor(named("graphgate-webhooks"));
    this.senders = Executors.newFixedThreadPool(SENDERS, named("graphgate-webhook-send"));
  }

  void start() {
    loop.scheduleWithFixedDelay(this::pass, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Look now (after a commit that wrote deliveries); several wake-ups before the look make one. */
  void wake() {
    if (wakePending.compareAndSet(false, true)) {
      try {
        loop.execute(() -> {
          wakePending.set(false);
          pass();
        });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        wakePending.set(false);
      }
    }
  }

  /** One look: claim what is due, as many as there are free senders, and hand each to a sender. */
  private void pass() {
    try {
      Instant now = now();
      meters.backlog(deliveries.backlog());
      List<Long> due = deliveries.due(now, SENDERS * 4);
      for (long id : due) {
        if (!slots.tryAcquire()) {
          return;
        }
        Optional<DeliveryRepository.Claimed> claimed;
        try {
          claimed = deliveries.claim(id, owner, now, now.plus(lease));
        } catch (RuntimeException e) {
          slots.release();
          throw e;
        }
        if (claimed.isEmpty()) {
          slots.release();
          continue;
        }
        senders.execute(() -> {
          try {
            attempt(claimed.get());
          } finally {
            slots.release();
          }
        });
      }
      if (due.size() == SENDERS * 4) {
        wake();
      }
    } catch (RuntimeException e) {
      // The database may be down; the next poll tries again. Never the message: it may hold bound values.
      log.warn("webhook deliveries: could not look for due deliveries ({})", e.getClass().getSimpleName());
    }
  }

  private void attempt(DeliveryRepository.Claimed d) {
    WebhookSender.Outcome outcome;
    try {
      outcome = sender.send(d.destination(), d.eventId(), d.body(), settings.read(), now());
    } catch (InterruptedException e) {
      // Stopping: the lease runs out and another attempt (here after a restart, or on another instance) sends it.
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      log.warn("webhook delivery {}: attempt failed ({})", d.id(), e.getClass().getSimpleName());
      return;
    }
    Instant now = now();
    boolean kept = switch (outcome) {
      case WebhookSender.Outcome.Answered a when a.status() >= 200 && a.status() < 300 -> {
        meters.answered(a.status());
        meters.finished(Delivery.Status.DELIVERED);
        yield deliveries.delivered(d.id(), owner, a.status(), now);
      }
      case WebhookSender.Outcome.Answered a when a.status() == 408 || a.status() == 429 || a.status() >= 500 -> {
        meters.answered(a.status());
        yield again(d, Optional.of(a.status()), "the receiver answered " + a.status(), now);
      }
      case WebhookSender.Outcome.Answered a -> {
        meters.answered(a.status());
        meters.finished(Delivery.Status.FAILED);
        yield deliveries.giveUp(d.id(), owner, Delivery.Status.FAILED, Optional.of(a.status()),
            "the receiver answered " + a.status() + ", which is not retried", now);
      }
      case WebhookSender.Outcome.TransportFailed t -> {
        meters.transportFailed();
        yield again(d, Optional.empty(), t.reason(), now);
      }
      case WebhookSender.Outcome.NotAllowed n -> {
        meters.finished(Delivery.Status.SKIPPED);
        log.warn("webhook delivery {} skipped: its destination is not allowed ({})", d.id(), n.reason());
        yield deliveries.giveUp(d.id(), owner, Delivery.Status.SKIPPED, Optional.empty(), "destination not allowed: " + n.reason(), now);
      }
    };
    if (!kept) {
      log.warn("webhook delivery {}: the lease passed to another instance before the outcome was stored", d.id());
    }
  }

  private boolean again(DeliveryRepository.Claimed d, Optional<Integer> status, String error, Instant now) {
    if (d.attempts() >= d.attemptLimit()) {
      meters.finished(Delivery.Status.FAILED);
      return deliveries.giveUp(d.id(), owner, Delivery.Status.FAILED, status, error + " (attempt " + d.attempts() + " of " + d.attemptLimit()
          + "; no attempts left)", now);
    }
    Instant next = now.plus(backoff.delay(d.attempts(), Optional.empty())).truncatedTo(ChronoUnit.MILLIS);
    return deliveries.retryAt(d.id(), owner, next, status, error + " (attempt " + d.attempts() + " of " + d.attemptLimit() + ")", now);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Stops looking, lets attempts in flight end within their time bound, then interrupts what remains. */
  @Override
  public void close() throws InterruptedException {
    loop.shutdownNow();
    senders.shutdown();
    if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
      senders.shutdownNow();
      senders.awaitTermination(5, TimeUnit.SECONDS);
    }
    loop.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

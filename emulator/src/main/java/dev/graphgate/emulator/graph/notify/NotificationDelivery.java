package dev.graphgate.emulator.graph.notify;

import dev.graphgate.emulator.graph.http.GraphJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications to receivers as Graph does: POSTed as {@code {"value": [...]}}, notifications to one URL batched
 * (those queued within {@link NotificationSettings#batchWindow}, up to {@link NotificationSettings#maxBatchSize}), a
 * receiver given {@link NotificationSettings#deliveryTimeout} to answer with a 2xx, and every failure (another status,
 * no answer in time, no connection) retried with backoff until the retry horizon, then abandoned.
 *
 * <p>Waiting is on real time (a timer thread), scaled by {@link NotificationSettings#timeScale}; timestamps shown to
 * clients come from the emulator's clock. Each URL is a {@link Destination} with its own queue, so a failing receiver
 * delays only its own notifications. Outbound requests go only to the URL a subscription gave, redirects not followed.
 */
public final class NotificationDelivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationDelivery.class);

  private final InstantSource clock;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final ExecutorService senders;
  private final DeliveryLog log = new DeliveryLog();
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
  private final AtomicLong notificationIds = new AtomicLong();
  private final AtomicLong attemptIds = new AtomicLong();
  private volatile NotificationSettings settings = NotificationSettings.DEFAULTS;

  /**
   * Graph's endpoint throttling (reference section 11): over a 10-minute window (scaled), once 100 notifications were
   * attempted, an endpoint slow (or silent) on 10 % of them is flagged and its notifications are delayed 10 minutes;
   * on 15 %, they are dropped. The window then starts over.
   */
  static final int THROTTLE_MIN_NOTIFICATIONS = 100;
  static final Duration THROTTLE_WINDOW = Duration.ofMinutes(10);

  public enum EndpointState {
    NORMAL,
    FLAGGED,
    DROPPING
  }

  /** The notifications waiting for one URL, the POSTs in flight to it, and how slow it has been. */
  private static final class Destination {
    final String url;
    final SentNotification.Kind kind;
    final List<SentNotification> pending = new ArrayList<>();
    int inFlight;
    ScheduledFuture<?> timerTask;
    long timerDue;
    long windowStart = System.nanoTime();
    int windowNotifications;
    int windowSlow;
    long delivered;
    long failed;

    EndpointState state(NotificationSettings settings, long now) {
      if (now - windowStart >= settings.scaled(THROTTLE_WINDOW).toNanos()) {
        windowStart = now;
        windowNotifications = 0;
        windowSlow = 0;
      }
      if (windowNotifications < THROTTLE_MIN_NOTIFICATIONS) {
        return EndpointState.NORMAL;
      }
      if (windowSlow * 100L >= windowNotifications * 15L) {
        return EndpointState.DROPPING;
      }
      return windowSlow * 100L >= windowNotifications * 10L ? EndpointState.FLAGGED : EndpointState.NORMAL;
    }

    Destination(String url, SentNotification.Kind kind) {
      this.url = url;
      this.kind = kind;
    }
  }

  public NotificationDelivery(InstantSource clock) {
    this.clock = clock;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("graphgate-emulator-notify-timer").factory());
    this.senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("graphgate-emulator-notify-", 0).factory());
  }

  public NotificationSettings settings() {
    return settings;
  }

  public void configure(NotificationSettings newSettings) {
    this.settings = newSettings;
    // Resuming from a pause (or a larger batch, more concurrency) takes effect for what already waits.
    destinations.values().forEach(this::drain);
  }

  HttpClient http() {
    return http;
  }

  DeliveryLog log() {
    return log;
  }

  long nextAttemptId() {
    return attemptIds.incrementAndGet();
  }

  /** Queues one notification for {@code url}; in {@code drop} mode it is only recorded, as dropped. */
  public SentNotification submit(String tenantId, String subscriptionId, SentNotification.Kind kind, String url, Map<String, Object> payload) {
    SentNotification notification = new SentNotification(notificationIds.incrementAndGet(), tenantId, subscriptionId, kind, url, payload, clock.instant());
    log.add(notification);
    NotificationSettings current = settings;
    if (current.mode() == NotificationSettings.Mode.DROP) {
      notification.state = SentNotification.State.DROPPED;
      return notification;
    }
    Destination destination = destinations.computeIfAbsent(kind + " " + url, k -> new Destination(url, kind));
    long now = System.nanoTime();
    synchronized (destination) {
      EndpointState state = destination.state(current, now);
      if (state == EndpointState.DROPPING) {
        notification.state = SentNotification.State.DROPPED;
        return notification;
      }
      Duration wait = state == EndpointState.FLAGGED ? current.scaled(THROTTLE_WINDOW) : current.batchWindow();
      notification.dueNanos = now + wait.toNanos();
      notification.nextAttemptAt = clock.instant().plus(wait);
      destination.pending.add(notification);
      schedule(destination, notification.dueNanos);
    }
    return notification;
  }

  /** Runs {@link #drain} at {@code dueNanos}, unless a run is already due by then. Call holding the destination's lock. */
  private void schedule(Destination d, long dueNanos) {
    if (d.timerTask != null && d.timerDue <= dueNanos) {
      return;
    }
    if (d.timerTask != null) {
      d.timerTask.cancel(false);
    }
    d.timerDue = dueNanos;
    try {
      d.timerTask = timer.schedule(() -> {
        synchronized (d) {
          d.timerTask = null;
        }
        drain(d);
      }, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      d.timerTask = null; // closing
    }
  }

  /** Starts a POST for every batch that is due, as far as the destination's concurrency allows. */
  private void drain(Destination d) {
    List<List<SentNotification>> batches = new ArrayList<>();
    NotificationSettings current = settings;
    synchronized (d) {
      if (current.mode() == NotificationSettings.Mode.PAUSE) {
        return;
      }
      long now = System.nanoTime();
      if (d.state(current, now) == EndpointState.DROPPING) {
        // A dropping endpoint is not sent its retries either.
        d.pending.removeIf(n -> {
          boolean due = n.dueNanos - now <= 0;
          if (due) {
            n.state = SentNotification.State.DROPPED;
          }
          return due;
        });
      }
      while (d.inFlight < current.concurrency()) {
        List<SentNotification> batch = new ArrayList<>();
        for (SentNotification n : d.pending) {
          if (n.dueNanos - now <= 0) {
            batch.add(n);
            if (batch.size() == current.maxBatchSize()) {
              break;
            }
          }
        }
        if (batch.isEmpty()) {
          break;
        }
        d.pending.removeAll(batch);
        d.inFlight++;
        batches.add(batch);
      }
      if (d.inFlight < current.concurrency()) {
        d.pending.stream().mapToLong(n -> n.dueNanos).min().ifPresent(due -> schedule(d, due));
      }
    }
    for (List<SentNotification> batch : batches) {
      try {
        senders.execute(() -> send(d, batch));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return; // closing
      }
    }
  }

  private void send(Destination d, List<SentNotification> batch) {
    NotificationSettings current = settings;
    int attempt = 0;
    long now = System.nanoTime();
    for (SentNotification n : batch) {
      if (n.attempts == 0) {
        n.firstAttemptNanos = now;
      }
      n.attempts++;
      attempt = Math.max(attempt, n.attempts);
    }
    byte[] body = GraphJson.write(Map.of("value", batch.stream().map(n -> n.payload).toList()));
    Instant startedAt = clock.instant();
    long started = System.nanoTime();
    Integer status = null;
    String outcome;
    String detail = null;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(d.url))
          .timeout(current.deliveryTimeout())
          .header("Content-Type", "application/json; charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      var future = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      try {
        HttpResponse<Void> response = future.get(current.deliveryTimeout().toNanos(), TimeUnit.NANOSECONDS);
        status = response.statusCode();
        outcome = status / 100 == 2 ? "delivered" : "rejected";
      } catch (TimeoutException e) {
        future.cancel(true);
        outcome = "timeout";
        detail = "no answer within " + current.deliveryTimeout().toMillis() + " ms";
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        boolean timedOut = cause instanceof java.net.http.HttpTimeoutException;
        outcome = timedOut ? "timeout" : "unreachable";
        detail = cause == null ? e.toString() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      outcome = "unreachable";
      detail = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    log.add(new DeliveryAttempt(nextAttemptId(), d.kind == SentNotification.Kind.CHANGE ? "change" : "lifecycle", d.url,
        batch.stream().map(n -> n.id).toList(), batch.stream().map(n -> n.subscriptionId).distinct().toList(), attempt,
        startedAt, millis, status, outcome, millis > DeliveryAttempt.SLOW_MILLIS, detail));
    boolean slow = millis > DeliveryAttempt.SLOW_MILLIS || outcome.equals("timeout");
    finish(d, batch, outcome.equals("delivered"), slow, current);
  }

  private void finish(Destination d, List<SentNotification> batch, boolean delivered, boolean slow, NotificationSettings current) {
    long now = System.nanoTime();
    synchronized (d) {
      d.inFlight--;
      d.state(current, now);
      d.windowNotifications += batch.size();
      d.windowSlow += slow ? batch.size() : 0;
      if (delivered) {
        d.delivered += batch.size();
      } else {
        d.failed += batch.size();
      }
      EndpointState state = d.state(current, now);
      for (SentNotification n : batch) {
        if (delivered) {
          n.state = SentNotification.State.DELIVERED;
          n.deliveredAt = clock.instant();
        } else if (now - n.firstAttemptNanos >= current.retryHorizon().toNanos()) {
          n.state = SentNotification.State.ABANDONED;
          LOG.info("Abandoned notification {} to {} after {} attempts", n.id, d.url, n.attempts);
        } else if (state == EndpointState.DROPPING) {
          n.state = SentNotification.State.DROPPED;
        } else {
          Duration delay = state == EndpointState.FLAGGED ? current.scaled(THROTTLE_WINDOW) : current.retryDelay(n.attempts);
          n.dueNanos = now + delay.toNanos();
          n.nextAttemptAt = clock.instant().plus(delay);
          d.pending.add(n);
        }
      }
      d.pending.sort(Comparator.comparingLong(n -> n.id));
    }
    drain(d);
  }

  /** Forgets every URL's slow-endpoint window (what was recorded about it), keeping what waits to be delivered. */
  public void resetEndpoints() {
    long now = System.nanoTime();
    for (Destination d : destinations.values()) {
      synchronized (d) {
        d.windowStart = now;
        d.windowNotifications = 0;
        d.windowSlow = 0;
        d.delivered = 0;
        d.failed = 0;
      }
    }
  }

  /** Each URL notified so far: its queue and its standing in Graph's endpoint throttling. */
  public List<Map<String, Object>> endpoints() {
    List<Map<String, Object>> out = new ArrayList<>();
    NotificationSettings current = settings;
    long now = System.nanoTime();
    for (Destination d : destinations.values()) {
      synchronized (d) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("url", d.url);
        view.put("kind", d.kind == SentNotification.Kind.CHANGE ? "change" : "lifecycle");
        view.put("state", d.state(current, now).name().toLowerCase(java.util.Locale.ROOT));
        view.put("pending", d.pending.size());
        view.put("inFlight", d.inFlight);
        view.put("delivered", d.delivered);
        view.put("failed", d.failed);
        view.put("windowNotifications", d.windowNotifications);
        view.put("windowSlow", d.windowSlow);
        out.add(view);
      }
    }
    out.sort(java.util.Comparator.comparing(m -> m.get("kind") + " " + m.get("url")));
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    senders.shutdownNow();
    http.shutdownNow();
  }
}

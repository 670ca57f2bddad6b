package dev.graphgate.server.notification;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.sync.SyncScheduler;
import dev.graphgate.server.webhook.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works off the inbox on its own thread ({@code graphgate-notifications}), woken by the receiver and every poll
 * interval, on every instance (a batch is claimed under a lease, so each notification is processed by one). Per
 * claimed batch: each connection's syncs with changes are asked to run (at once, then at most every
 * {@link #RUN_SPACING}: a burst of notifications causes a few runs, not one per notification or batch); lifecycle
 * events have their effect ({@code reauthorizationRequired}: the subscription is reauthorized; {@code subscriptionRemoved}:
 * created again and the sync run to catch up; {@code missed}: the sync run to catch up); then, in one transaction per
 * connection, Nango's {@code forward} webhook with only that connection's notifications goes into the outbox (when
 * the integration forwards webhooks) and the notifications are marked processed.
 */
final class NotificationProcessor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationProcessor.class);
  static final int BATCH = 500;
  /**
   * The notifications' characters per {@code forward} webhook at most: with the envelope, under the 200,000 a webhook
   * body may hold (V6); one notification is at most {@link NotificationReceiver#MAX_NOTIFICATION_CHARS}.
   */
  static final int FORWARD_CHARS = 150_000;
  /**
   * A batch takes well under a second; an instance killed mid-batch leaves its claim for this long before another
   * instance (or the restarted one) takes the batch over.
   */
  static final Duration LEASE = Duration.ofSeconds(30);
  /** Processed notifications are kept this long for the dedupe of Graph's redeliveries (it retries for up to 4 hours). */
  static final Duration KEEP = Duration.ofHours(24);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  /**
   * Runs a notification asks for are this far apart at least, per connection and sync: the first at once, the next
   * at the end of the window, which every notification meanwhile joins (a run under way is followed by one more).
   * A stream of notifications causes a run every two seconds or so, not one per batch.
   */
  static final Duration RUN_SPACING = Duration.ofSeconds(2);

  private final Jdbi jdbi;
  private final InboxRepository inbox;
  private final SubscriptionRepository subscriptions;
  private final ConnectionService connections;
  private final IntegrationService integrations;
  private final SyncScheduler syncScheduler;
  private final Outbox outbox;
  private final Runnable subscriptionsWake;
  private final InstantSource clock;
  private final String owner;
  private final Duration pollInterval;
  private final Semaphore wake = new Semaphore(0);
  /** Syncs to run again for redeliveries of processed notifications (a change repeated exactly is still a change to fetch). */
  private final Set<SyncKey> rerun = ConcurrentHashMap.newKeySet();
  /** When this instance last asked each sync to run (in memory: after a restart the first ask is at once). */
  private final Map<SyncKey, Instant> lastAsked = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private Thread thread;
  private Instant lastPurge = Instant.EPOCH;

  record SyncKey(long connectionId, String syncName) {}

  NotificationProcessor(Jdbi jdbi, InboxRepository inbox, SubscriptionRepository subscriptions, ConnectionService connections,
      IntegrationService integrations, SyncScheduler syncScheduler, Outbox outbox, Runnable subscriptionsWake,
      InstantSource clock, String owner, Duration pollInterval) {
    this.jdbi = jdbi;
    this.inbox = inbox;
    this.subscriptions = subscriptions;
    this.connections = connections;
    this.integrations = integrations;
    this.syncScheduler = syncScheduler;
    this.outbox = outbox;
    this.subscriptionsWake = subscriptionsWake;
    this.clock = clock;
    this.owner = owner;
    this.pollInterval = pollInterval;
  }

  void start() {
    thread = new Thread(this::loop, "graphgate-notifications");
    thread.setDaemon(true);
    thread.start();
  }

  /** New notifications are stored; {@code duplicates} were already, their syncs are asked to run again all the same. */
  void wake(List<InboxRepository.Entry> duplicates) {
    for (InboxRepository.Entry d : duplicates) {
      if (d.lifecycleEvent().isEmpty()) {
        rerun.add(new SyncKey(d.connectionId(), d.syncName()));
      }
    }
    wake.release();
  }

  private void loop() {
    while (!stopping) {
      try {
        wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        if (stopping) {
          return;
        }
        drain();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("notifications: processing failed, tried again in {} ms: {}", pollInterval.toMillis(), e.toString());
      }
    }
  }

  /** Processes until nothing is left to claim; answers how many notifications it processed. */
  int drain() {
    int done = 0;
    Set<SyncKey> again = new LinkedHashSet<>(rerun);
    rerun.removeAll(again);
    again.forEach(this::runSync);
    while (!stopping) {
      List<InboxRepository.Row> batch = inbox.claim(owner, clock.instant(), LEASE, BATCH);
      if (batch.isEmpty()) {
        break;
      }
      done += process(batch);
    }
    Instant now = clock.instant();
    if (now.isAfter(lastPurge.plus(PURGE_EVERY))) {
      lastPurge = now;
      inbox.purge(now.minus(KEEP));
    }
    return done;
  }

  private int process(List<InboxRepository.Row> batch) {
    Map<Long, List<InboxRepository.Row>> byConnection = new LinkedHashMap<>();
    for (InboxRepository.Row r : batch) {
      byConnection.computeIfAbsent(r.connectionId(), k -> new ArrayList<>()).add(r);
    }
    int done = 0;
    for (Map.Entry<Long, List<InboxRepository.Row>> e : byConnection.entrySet()) {
      List<InboxRepository.Row> rows = e.getValue();
      Optional<Connection> connection = connections.reload(e.getKey());
      Set<String> syncsToRun = new LinkedHashSet<>();
      for (InboxRepository.Row r : rows) {
        if (r.lifecycleEvent().isEmpty()) {
          syncsToRun.add(r.syncName());
        } else if (connection.isPresent()) {
          lifecycle(r, syncsToRun);
        }
      }
      if (connection.isPresent()) {
        // Asked before the notifications are marked processed: a crash in between asks again (a run more), never less.
        syncsToRun.forEach(s -> runSync(new SyncKey(e.getKey(), s)));
      }
      boolean forward = connection.isPresent() && integrations.find(connection.get().integrationKey()).map(i -> i.forwardWebhooks()).orElse(false);
      List<Long> ids = rows.stream().map(InboxRepository.Row::id).toList();
      done += jdbi.inTransaction(h -> {
        int marked = inbox.markProcessed(h, ids, owner, clock.instant());
        if (marked != ids.size()) {
          // The lease ran out and another instance took (some of) the batch: it forwards them, this one nothing.
          h.rollback();
          return 0;
        }
        if (forward) {
          for (List<InboxRepository.Row> part : forwardParts(rows)) {
            ArrayNode value = Json.MAPPER.createArrayNode();
            part.forEach(r -> value.add(Json.parse(r.body())));
            outbox.forwarded(h, connection.get(), value);
          }
        }
        return marked;
      });
    }
    return done;
  }

  /**
   * A connection's notifications in order, split so that each {@code forward} webhook's body stays under
   * {@link #FORWARD_CHARS}: a batch of 500 large notifications (with resource data, say) would exceed what a webhook
   * body may hold (200,000 characters), and its insert failed every time, so the batch was never processed.
   */
  static List<List<InboxRepository.Row>> forwardParts(List<InboxRepository.Row> rows) {
    List<List<InboxRepository.Row>> parts = new ArrayList<>();
    List<InboxRepository.Row> part = new ArrayList<>();
    long chars = 0;
    for (InboxRepository.Row r : rows) {
      if (!part.isEmpty() && chars + r.body().length() > FORWARD_CHARS) {
        parts.add(part);
        part = new ArrayList<>();
        chars = 0;
      }
      part.add(r);
      chars += r.body().length() + 1;
    }
    if (!part.isEmpty()) {
      parts.add(part);
    }
    return parts;
  }

  private void lifecycle(InboxRepository.Row r, Set<String> syncsToRun) {
    String event = r.lifecycleEvent().get();
    Instant now = clock.instant();
    switch (event) {
      case "reauthorizationRequired" -> {
        subscriptions.actNow(r.subscriptionRowId(), Subscription.Action.REAUTHORIZE, now);
        subscriptionsWake.run();
      }
      case "subscriptionRemoved" -> {
        subscriptions.recreate(r.subscriptionRowId(), Optional.empty(), now);
        subscriptionsWake.run();
        syncsToRun.add(r.syncName());
      }
      case "missed" -> syncsToRun.add(r.syncName());
      default -> log.info("notifications: lifecycle event '{}' of subscription row {} has no effect", event.length() > 40 ? event.substring(0, 40) : event,
          r.subscriptionRowId());
    }
  }

  /**
   * An incremental run of the connection's sync: at once, or at the end of its spacing window when one was asked for
   * less than {@link #RUN_SPACING} ago (stored as the execution's time, so a restart keeps it).
   */
  private void runSync(SyncKey k) {
    Instant now = clock.instant();
    Instant last = lastAsked.get(k);
    Instant at = last == null || !now.isBefore(last.plus(RUN_SPACING)) ? now : last.plus(RUN_SPACING);
    if (syncScheduler.runBy(k.connectionId(), k.syncName(), at)) {
      lastAsked.put(k, at);
    }
    if (lastAsked.size() > 100_000) {
      lastAsked.entrySet().removeIf(e -> e.getValue().isBefore(now.minus(RUN_SPACING)));
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    wake.release();
    if (thread != null) {
      thread.join(Duration.ofSeconds(10));
    }
  }
}

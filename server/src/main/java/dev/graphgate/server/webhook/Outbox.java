package dev.graphgate.server.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionEvents;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The transactional outbox: an event and its deliveries are written on the producer's own handle, so they commit
 * with the change they announce or not at all; after the commit the delivery worker is woken. Nango's send rules
 * (§7.1) decide here: no destination, nothing; a creation (or creation failure) needs {@code on_auth_creation}, a
 * refresh failure {@code on_auth_refresh_error}, an override always goes; a sync run's failure needs
 * {@code on_sync_error}, its success always goes unless it changed nothing and {@code on_sync_completion_always} is
 * off; a connection's (or session's)
 * {@code webhook_url_override} replaces both environment URLs.
 */
public final class Outbox implements ConnectionEvents {
  private final Jdbi jdbi;
  private final DeliveryRepository deliveries;
  private final WebhookSettingsRepository settings;
  private final AuthPayloads payloads;
  private final SyncPayloads syncPayloads = new SyncPayloads();
  private final InstantSource clock;
  private final int attemptLimit;
  private volatile Runnable wake = () -> {};

  public Outbox(Jdbi jdbi, DeliveryRepository deliveries, WebhookSettingsRepository settings, AuthPayloads payloads, InstantSource clock,
      int attemptLimit) {
    this.jdbi = jdbi;
    this.deliveries = deliveries;
    this.settings = settings;
    this.payloads = payloads;
    this.clock = clock;
    this.attemptLimit = attemptLimit;
  }

  /** What runs after each commit that wrote deliveries (the worker's wake-up). */
  public void onCommit(Runnable wake) {
    this.wake = wake;
  }

  @Override
  public void stored(Handle h, Connection c, boolean created) {
    WebhookSettings s = settings.read(h);
    if (created && !s.on("on_auth_creation")) {
      return;
    }
    enqueue(h, s, payloads.stored(c, created), c.webhookUrlOverride());
  }

  @Override
  public void refreshFailed(Handle h, Connection c) {
    WebhookSettings s = settings.read(h);
    if (s.on("on_auth_refresh_error")) {
      enqueue(h, s, payloads.refreshFailed(c), c.webhookUrlOverride());
    }
  }

  /** A refused creation has no transaction of its own to join: the event is written in a small one. */
  public void creationFailed(CreationFailure f) {
    jdbi.useTransaction(h -> {
      WebhookSettings s = settings.read(h);
      if (s.on("on_auth_creation")) {
        enqueue(h, s, payloads.creationFailed(f), f.webhookUrlOverride());
      }
    });
  }

  /** A sync run ended; {@code h} is the transaction that ends it, so the event commits with the run's last page. */
  public void syncEnded(Handle h, SyncRunEnd run) {
    WebhookSettings s = settings.read(h);
    boolean send = run.error().isPresent() ? s.on("on_sync_error") : !run.counts().get().none() || s.on("on_sync_completion_always");
    if (send) {
      enqueue(h, s, syncPayloads.ended(run), run.webhookUrlOverride());
    }
  }

  /**
   * Graph change notifications of one connection, forwarded as Nango's {@code forward} webhook (§7.3): {@code from}
   * the provider, {@code payload} {@code {"value":[…]}} with only this connection's notifications; always sent when
   * there is a destination (the caller checks the integration's {@code forward_webhooks}). Written on {@code h}, the
   * transaction that marks the notifications processed.
   */
  public void forwarded(Handle h, Connection c, ArrayNode notifications) {
    ObjectNode n = Json.object();
    n.put("from", c.provider()).put("type", "forward").put("providerConfigKey", c.integrationKey()).put("connectionId", c.connectionId());
    n.putObject("payload").set("value", notifications.deepCopy());
    enqueue(h, settings.read(h), new OutboxEvent(UUID.randomUUID().toString(), "forward", Optional.empty(), n), c.webhookUrlOverride());
  }

  private void enqueue(Handle h, WebhookSettings s, OutboxEvent event, Optional<String> override) {
    List<String> destinations = new ArrayList<>();
    if (override.isPresent() && !override.get().isEmpty()) {
      destinations.add(override.get());
    } else {
      s.primaryUrl().ifPresent(destinations::add);
      s.secondaryUrl().filter(u -> !destinations.contains(u)).ifPresent(destinations::add);
    }
    if (destinations.isEmpty()) {
      return;
    }
    deliveries.insert(h, event, destinations, attemptLimit, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    h.afterCommit(() -> wake.run());
  }
}

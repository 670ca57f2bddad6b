package dev.graphgate.server.notification;

import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.sync.SyncScheduler;
import dev.graphgate.server.webhook.Outbox;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Incoming Graph change notifications and the subscriptions that feed them, as the rest of Graphgate sees them: the
 * {@link NotificationReceiver} of the webhook route, the subscriptions of a connection for the API, the deletion of a
 * connection's subscriptions before it goes, and the two background workers ({@link SubscriptionWorker},
 * {@link NotificationProcessor}) started and stopped together.
 */
public final class Notifications implements AutoCloseable {
  private final SubscriptionRepository subscriptions;
  private final InboxRepository inbox;
  private final SubscriptionWorker worker;
  private final NotificationProcessor processor;
  private final NotificationReceiver receiver;
  private final ConnectionService connections;
  private final Optional<URI> publicUrl;

  private Notifications(SubscriptionRepository subscriptions, InboxRepository inbox, SubscriptionWorker worker, NotificationProcessor processor,
      NotificationReceiver receiver, ConnectionService connections, Optional<URI> publicUrl) {
    this.subscriptions = subscriptions;
    this.inbox = inbox;
    this.worker = worker;
    this.processor = processor;
    this.receiver = receiver;
    this.connections = connections;
    this.publicUrl = publicUrl;
  }

  /** {@code publicUrl} empty: no subscriptions are created (the receiver still answers handshakes and known subscriptions). */
  public static Notifications create(Jdbi jdbi, SecretBox box, String environmentId, Optional<URI> publicUrl, Duration pollInterval,
      IntegrationService integrations, ConnectionService connections, GraphClient graph, SyncScheduler syncScheduler,
      Outbox outbox, InstantSource clock, SecureRandom random, String instanceId) {
    SubscriptionRepository subscriptions = new SubscriptionRepository(jdbi, box);
    InboxRepository inbox = new InboxRepository(jdbi);
    SubscriptionWorker worker = new SubscriptionWorker(subscriptions, connections, graph, publicUrl, environmentId, clock, random, instanceId,
        pollInterval);
    NotificationProcessor processor = new NotificationProcessor(jdbi, inbox, subscriptions, connections, integrations, syncScheduler,
        outbox, worker::wake, clock, instanceId, pollInterval);
    NotificationReceiver receiver = new NotificationReceiver(environmentId, integrations, subscriptions, inbox, processor, clock);
    return new Notifications(subscriptions, inbox, worker, processor, receiver, connections, publicUrl);
  }

  public void start() {
    worker.start();
    processor.start();
  }

  public NotificationReceiver receiver() {
    return receiver;
  }

  /** Whether Graphgate creates subscriptions ({@code GRAPHGATE_PUBLIC_URL} is set). */
  public boolean enabled() {
    return publicUrl.isPresent();
  }

  /** Where Graph delivers ({@code GRAPHGATE_PUBLIC_URL}), the base of the integrations' {@code webhook_url}. */
  public Optional<URI> publicUrl() {
    return publicUrl;
  }

  /** The subscriptions kept for a connection, by the API's names ({@code not_found} for an unknown one). */
  public List<Subscription> forConnection(String integrationKey, String connectionId) {
    return subscriptions.forConnection(connections.get(integrationKey, connectionId).id());
  }

  /** The subscriptions kept for the connection with this row id. */
  public List<Subscription> forConnection(long connectionRowId) {
    return subscriptions.forConnection(connectionRowId);
  }

  /**
   * The connection is about to be deleted: its subscriptions are deleted at Graph first, while its credentials are
   * still there (a failure only leaves one to expire at Graph; its notifications are refused from then on).
   */
  public void beforeDelete(String integrationKey, String connectionId) {
    Connection c;
    try {
      c = connections.get(integrationKey, connectionId);
    } catch (RuntimeException e) {
      return;
    }
    worker.deleteNow(c);
  }

  /** Notifications stored and not processed yet, and processed (kept a day). */
  public long pending() {
    return inbox.pending();
  }

  public long processed() {
    return inbox.processed();
  }

  /** Runs one round of the subscription worker now, on the caller's thread (tests). */
  public int renewNow() {
    return worker.round();
  }

  @Override
  public void close() throws Exception {
    worker.close();
    processor.close();
  }
}

package dev.graphgate.server.webhook;

import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.WebhookRefused;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.provider.ProviderRegistry;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.upstream.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Outgoing webhooks of one instance, built in one place: the settings, the outbox producers write to, the delivery
 * worker, and what the API reads (deliveries, retries). {@link #start} applies the environment's settings and starts
 * the worker; {@link #close} stops it (a step of {@code lifecycle.ShutdownSequence}).
 */
public final class Webhooks implements AutoCloseable {
  private final WebhookSettingsService settings;
  private final Outbox outbox;
  private final DeliveryRepository deliveries;
  private final DeliveryWorker worker;
  private final WebhookConfig config;
  private final InstantSource clock;

  private Webhooks(WebhookSettingsService settings, Outbox outbox, DeliveryRepository deliveries, DeliveryWorker worker, WebhookConfig config,
      InstantSource clock) {
    this.settings = settings;
    this.outbox = outbox;
    this.deliveries = deliveries;
    this.worker = worker;
    this.config = config;
    this.clock = clock;
  }

  /** {@code owner} names this instance in delivery leases; {@code version} goes into the User-Agent. */
  public static Webhooks create(WebhookConfig config, Jdbi jdbi, SecretBox box, ProviderRegistry providers, InstantSource clock,
      SecureRandom random, MeterRegistry meters, String owner, String version) {
    WebhookUrlPolicy policy = new WebhookUrlPolicy(config.allowPrivateUrls());
    WebhookSettingsRepository settingsRepository = new WebhookSettingsRepository(jdbi, box);
    DeliveryRepository deliveries = new DeliveryRepository(jdbi);
    Outbox outbox = new Outbox(jdbi, deliveries, settingsRepository, new AuthPayloads(providers), clock, config.maxAttempts());
    DeliveryWorker worker = new DeliveryWorker(deliveries, settingsRepository, new WebhookSender(policy, config.timeout(), version),
        Backoff.exponentialWithJitter(config.retryInitial(), config.retryMax(), random), clock, new WebhookMeters(meters), owner,
        config.pollInterval(), config.timeout());
    outbox.onCommit(worker::wake);
    return new Webhooks(new WebhookSettingsService(settingsRepository, policy, clock, random, config.signingKeyGrace()), outbox, deliveries,
        worker, config, clock);
  }

  /** Applies the environment's settings to the stored ones, then starts delivering. */
  public void start() {
    settings.applyAtStart(config);
    worker.start();
  }

  public WebhookSettingsService settings() {
    return settings;
  }

  /** Where connection changes and refused creations are announced. */
  public Outbox outbox() {
    return outbox;
  }

  public List<Delivery> deliveries(Optional<Delivery.Status> status, int limit, int page) {
    return deliveries.list(status, limit, page);
  }

  /** The newest deliveries of events about one connection, newest first. */
  public List<Delivery> deliveriesOf(String integrationKey, String connectionId, int limit) {
    return deliveries.listForConnection(integrationKey, connectionId, limit);
  }

  /**
   * Sends a failed or skipped delivery again, with a fresh set of attempts, now (a pending one: now instead of
   * later). A delivered one is never sent again, and one being sent must end first: both {@code 409}.
   */
  public Delivery retry(long id) {
    Delivery d = deliveries.find(id).orElseThrow(() -> new NotFound("There is no webhook delivery " + id + "; list them with GET /webhooks/deliveries."));
    if (!deliveries.requeue(id, config.maxAttempts(), clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
      Delivery now = deliveries.find(id).orElse(d);
      throw WebhookRefused.notRetryable(id, now.status().wireName());
    }
    worker.wake();
    return deliveries.find(id).orElseThrow();
  }

  @Override
  public void close() throws InterruptedException {
    worker.close();
  }
}

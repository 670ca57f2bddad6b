package dev.graphgate.server.notification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.secret.KeyRing;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * What the notification tests share on top of {@link SyncRig}: the integration's advertised {@code webhook_url},
 * POSTs to it as Graph sends them, and subscriptions written straight into {@code graph_subscriptions} (as if Graph
 * had created them) for the tests that need no Graph of their own, through the same repository the server uses.
 */
final class NotificationRig {
  final SyncRig sync;
  final Jdbi jdbi;
  final SubscriptionRepository subscriptions;
  final InboxRepository inbox;

  NotificationRig(SyncRig sync, TestDatabase db) {
    this.sync = sync;
    this.jdbi = Jdbi.create(db.url(), db.user(), "");
    this.subscriptions = new SubscriptionRepository(jdbi, KeyRing.resolve(sync.graphgate.config(), new SecureRandom()).box(new SecureRandom()));
    this.inbox = new InboxRepository(jdbi);
  }

  /** The integration's {@code webhook_url} as {@code GET /integrations/{key}?include=webhook} advertises it. */
  String webhookUrl() {
    ApiClient.Response r = sync.expect(sync.api().get("/integrations/" + SyncRig.INTEGRATION + "?include=webhook"), 200);
    return r.json().path("data").path("webhook_url").asText();
  }

  /** The path of the webhook URL on this instance (its host is the advertised public one). */
  String webhookPath() {
    return URI.create(webhookUrl()).getRawPath();
  }

  /** A POST to the webhook path as Graph sends it: no API key. */
  ApiClient.Response post(String pathAndQuery, String contentType, String body) {
    ApiClient anonymous = new ApiClient(sync.graphgate.baseUrl(), null);
    return anonymous.send(anonymous.request(pathAndQuery).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  ApiClient.Response notify(String json) {
    return post(webhookPath(), "application/json", json);
  }

  long connectionRowId(String connectionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM connections WHERE connection_id = :c").bind("c", connectionId).mapTo(Long.class).one());
  }

  /** A subscription of the connection's sync as if Graph had created it with {@code graphId}, renewed only in a week. */
  long seed(String connectionId, String syncName, String resource, String graphId, String clientState) {
    long c = connectionRowId(connectionId);
    Instant now = Instant.now();
    // Added as due an hour from now, and claimed as of then: the instance's own worker (polling every 200 ms) never
    // finds it due first and takes it from the seed.
    Instant due = now.plus(Duration.ofHours(1));
    subscriptions.addIfMissing(c, syncName, new SubscriptionPlan.Wanted(resource, "updated,deleted"), clientState, due);
    long id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM graph_subscriptions WHERE connection_id = :c AND resource = :r").bind("c", c)
        .bind("r", resource).mapTo(Long.class).one());
    subscriptions.claim(id, "test-seed", due.plusMillis(1), Duration.ofMinutes(1)).orElseThrow();
    subscriptions.active(id, "test-seed", graphId, now.plus(Duration.ofDays(20)), now.plus(Duration.ofDays(7)), false, now);
    return id;
  }

  /** One change notification as Graph sends it. */
  static String notification(String id, String graphId, String clientState, String tenantId, String resource) {
    return """
        {"id":"%s","subscriptionId":"%s","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z","clientState":%s,"changeType":"updated",
         "resource":"%s","tenantId":"%s","resourceData":{"@odata.type":"#Microsoft.Graph.User","@odata.id":"%s","id":"%s"}}"""
        .formatted(id, graphId, clientState == null ? "null" : "\"" + clientState + "\"", resource, tenantId, resource, id);
  }

  static String lifecycle(String graphId, String clientState, String tenantId, String event) {
    return """
        {"subscriptionId":"%s","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z","clientState":"%s","tenantId":"%s","lifecycleEvent":"%s"}"""
        .formatted(graphId, clientState, tenantId, event);
  }

  static String batch(List<String> notifications) {
    return "{\"value\":[" + String.join(",", notifications) + "]}";
  }

  long inboxRows() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM notification_inbox").mapTo(Long.class).one());
  }

  /** The forward webhooks written to the outbox, bodies in order. */
  List<JsonNode> forwardEvents() {
    return jdbi.withHandle(h -> h.createQuery("SELECT body FROM webhook_events WHERE event_type = 'forward' ORDER BY id").mapTo(String.class).list())
        .stream().map(dev.graphgate.server.Json::parse).toList();
  }

  Subscription subscription(long id) {
    return subscriptions.find(id).orElseThrow();
  }
}

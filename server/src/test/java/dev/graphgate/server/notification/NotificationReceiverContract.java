package dev.graphgate.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /webhook/{environment}/{integration}} against a real Graphgate: the handshake, the clientState and
 * tenant checks, routing per subscription (a batch of two tenants reaches each tenant's connection only), the inbox
 * (stored before 202, redeliveries once), the forward webhook and the sync run a notification causes, and the effect
 * of each lifecycle event. The subscriptions are written as if Graph had created them (Graph's side is
 * {@code NotificationsEndToEnd*}). Subclasses pick the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class NotificationReceiverContract {
  static final String CONTOSO_STATE = "contoso-client-state-0123456789";
  static final String FABRIKAM_STATE = "fabrikam-client-state-9876543210";
  static final String CONTOSO_SUB = "0b6f0f8e-1111-4c3a-9d2e-000000000001";
  static final String FABRIKAM_SUB = "0b6f0f8e-2222-4c3a-9d2e-000000000002";

  @TempDir static Path dataDir;
  static TestDatabase db;
  static SyncRig sync;
  static NotificationRig rig;
  static WebhookReceiver receiver;
  static long contosoRow;
  static long fabrikamRow;

  static void startOn(TestDatabase database) {
    db = database;
    receiver = WebhookReceiver.started();
    sync = SyncRig.start(dataDir, db, "{\"users\": 20, \"groups\": 2, \"membersPerGroup\": 3, \"anchorDate\": \"2025-03-14\"}",
        b -> b.subscriptionPollInterval(Duration.ofMillis(200)).webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true)
            .withDelivery(Duration.ofSeconds(5), 40, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(50))));
    rig = new NotificationRig(sync, db);
    sync.expect(sync.api().patch("/webhooks/settings", """
        {"primary_url":"%s","on_sync_completion_always":true}""".formatted(receiver.url("/hooks"))), 200);
    sync.expect(sync.api().patch("/integrations/" + SyncRig.INTEGRATION, "{\"forward_webhooks\":true}"), 200);
    sync.expect(sync.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}"), 200);
    sync.awaitRunAfter(SyncRig.CONNECTION, "users", null);
    contosoRow = rig.seed(SyncRig.CONNECTION, "users", "users", CONTOSO_SUB, CONTOSO_STATE);
    fabrikamRow = rig.seed(SyncRig.BARE_CONNECTION, "users", "users", FABRIKAM_SUB, FABRIKAM_STATE);
  }

  @AfterAll
  static void stop() {
    try {
      sync.close();
      receiver.close();
    } finally {
      db.close();
    }
  }

  @Test
  @Order(1)
  void theHandshakeAnswersExactlyTheTokenAsPlainText() {
    String token = "Validation: <b>token</b> & more";
    ApiClient.Response r = rig.post(rig.webhookPath() + "?validationToken=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8),
        "text/plain; charset=utf-8", "");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(r.body()).isEqualTo(token);
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(rig.inboxRows()).isZero();
  }

  @Test
  @Order(2)
  void anOverlongTokenOrAnUnknownPathIsRefusedWithACode() {
    ApiClient.Response longToken = rig.post(rig.webhookPath() + "?validationToken=" + "a".repeat(NotificationReceiver.MAX_VALIDATION_TOKEN + 1),
        "text/plain", "");
    assertThat(longToken.status()).isEqualTo(400);
    assertThat(longToken.code()).isEqualTo("invalid_query_params");
    assertThat(longToken.body()).doesNotContain("aaaa");

    ApiClient.Response env = rig.post("/webhook/00000000-0000-4000-8000-000000000000/" + SyncRig.INTEGRATION + "?validationToken=x", "text/plain", "");
    assertThat(env.status()).isEqualTo(404);
    assertThat(env.code()).isEqualTo("unknown_environment");
    String path = rig.webhookPath();
    ApiClient.Response key = rig.post(path.substring(0, path.lastIndexOf('/') + 1) + "nope?validationToken=x", "text/plain", "");
    assertThat(key.status()).isEqualTo(404);
    assertThat(key.code()).isEqualTo("unknown_provider_config");
  }

  @Test
  @Order(3)
  void aWrongMissingOrForeignClientStateIsRefusedAndNothingIsStoredOrForwarded() {
    List<String> bad = List.of(
        NotificationRig.notification("n-wrong", CONTOSO_SUB, "not-the-secret", SyncRig.TENANT_ID, "Users/u1"),
        NotificationRig.notification("n-missing", CONTOSO_SUB, null, SyncRig.TENANT_ID, "Users/u1"),
        // fabrikam's own secret does not open contoso's subscription
        NotificationRig.notification("n-foreign", CONTOSO_SUB, FABRIKAM_STATE, SyncRig.TENANT_ID, "Users/u1"),
        NotificationRig.notification("n-unknown", "0b6f0f8e-9999-4c3a-9d2e-000000000009", CONTOSO_STATE, SyncRig.TENANT_ID, "Users/u1"),
        // the right secret, another tenant than the subscription's connection
        NotificationRig.notification("n-tenant", CONTOSO_SUB, CONTOSO_STATE, SyncRig.BARE_TENANT_ID, "Users/u1"));
    for (String n : bad) {
      ApiClient.Response r = rig.notify(NotificationRig.batch(List.of(n)));
      assertThat(r.status()).as(n).isEqualTo(401);
      assertThat(r.code()).isEqualTo("invalid_client_state");
      assertThat(r.body()).doesNotContain(CONTOSO_STATE).doesNotContain(FABRIKAM_STATE);
    }
    ApiClient.Response all = rig.notify(NotificationRig.batch(bad));
    assertThat(all.status()).isEqualTo(401);
    assertThat(rig.inboxRows()).isZero();
    assertThat(rig.forwardEvents()).isEmpty();
  }

  @Test
  @Order(4)
  void aBatchOfTwoTenantsReachesEachTenantsConnectionOnly() {
    String before = sync.finishedAt(SyncRig.CONNECTION, "users");
    List<String> batch = List.of(
        NotificationRig.notification("c-1", CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID, "Users/c1"),
        NotificationRig.notification("f-1", FABRIKAM_SUB, FABRIKAM_STATE, SyncRig.BARE_TENANT_ID, "Users/f1"),
        NotificationRig.notification("c-2", CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID, "Users/c2"),
        NotificationRig.notification("bad", CONTOSO_SUB, "forged", SyncRig.TENANT_ID, "Users/x"));
    ApiClient.Response r = rig.notify(NotificationRig.batch(batch));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().path("stored").asInt()).isEqualTo(3);
    assertThat(r.json().path("dropped").asInt()).isEqualTo(1);
    // Stored before the answer.
    assertThat(rig.inboxRows()).isEqualTo(3);

    List<JsonNode> forwards = awaitForwards(2);
    for (JsonNode f : forwards) {
      assertThat(f.path("type").asText()).isEqualTo("forward");
      assertThat(f.path("from").asText()).isEqualTo("microsoft-oauth2-cc");
      assertThat(f.path("providerConfigKey").asText()).isEqualTo(SyncRig.INTEGRATION);
      List<String> ids = StreamSupport.stream(f.path("payload").path("value").spliterator(), false).map(n -> n.path("id").asText()).toList();
      List<String> tenants = StreamSupport.stream(f.path("payload").path("value").spliterator(), false).map(n -> n.path("tenantId").asText())
          .distinct().toList();
      if (f.path("connectionId").asText().equals(SyncRig.CONNECTION)) {
        assertThat(ids).containsExactly("c-1", "c-2");
        assertThat(tenants).containsExactly(SyncRig.TENANT_ID);
      } else {
        assertThat(f.path("connectionId").asText()).isEqualTo(SyncRig.BARE_CONNECTION);
        assertThat(ids).containsExactly("f-1");
        assertThat(tenants).containsExactly(SyncRig.BARE_TENANT_ID);
      }
    }
    assertThat(forwards).extracting(f -> f.path("connectionId").asText()).containsExactlyInAnyOrder(SyncRig.CONNECTION, SyncRig.BARE_CONNECTION);
    // And the same at the app's receiver, signed, as the outbox delivers it.
    await().atMost(Duration.ofSeconds(30)).until(() -> received("forward").size() == 2);
    // The notification ran contoso's users sync (its schedule is hourly: this run is the notification's).
    JsonNode run = sync.awaitRunAfter(SyncRig.CONNECTION, "users", before);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");
  }

  @Test
  @Order(5)
  void aRedeliveryIsStoredAndForwardedOnce() {
    List<String> batch = List.of(NotificationRig.notification("r-1", CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID, "Users/r1"),
        NotificationRig.notification("r-2", CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID, "Users/r2"));
    int forwardsBefore = rig.forwardEvents().size();
    ApiClient.Response first = rig.notify(NotificationRig.batch(batch));
    assertThat(first.json().path("stored").asInt()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.inbox.pending() == 0);
    ApiClient.Response again = rig.notify(NotificationRig.batch(batch));
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().path("stored").asInt()).isZero();
    assertThat(again.json().path("duplicates").asInt()).isEqualTo(2);
    // Repeated within one POST, too.
    ApiClient.Response twice = rig.notify(NotificationRig.batch(List.of(batch.get(0), batch.get(0))));
    assertThat(twice.json().path("stored").asInt()).isZero();
    assertThat(rig.inbox.pending()).isZero();
    assertThat(rig.forwardEvents()).hasSize(forwardsBefore + 1);
    assertThat(rig.forwardEvents().get(forwardsBefore).path("payload").path("value")).hasSize(2);
  }

  @Test
  @Order(6)
  void aBurstOf500NotificationsCausesAFewRunsNotOneEach() {
    await().atMost(Duration.ofSeconds(60)).until(() -> !sync.status(SyncRig.CONNECTION, "users").path("status").asText().equals("RUNNING"));
    int syncEventsBefore = syncEvents();
    List<String> burst = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      burst.add(NotificationRig.notification("burst-" + i, CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID, "Users/b" + i));
    }
    for (int from = 0; from < 500; from += 100) {
      assertThat(rig.notify(NotificationRig.batch(burst.subList(from, from + 100))).status()).isEqualTo(202);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> rig.inbox.pending() == 0);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      JsonNode s = sync.status(SyncRig.CONNECTION, "users");
      return !s.path("status").asText().equals("RUNNING") && s.path("nextScheduledSyncAt").isTextual()
          && java.time.Instant.parse(s.path("nextScheduledSyncAt").asText()).isAfter(java.time.Instant.now().plusSeconds(60));
    });
    int runs = syncEvents() - syncEventsBefore;
    assertThat(runs).isBetween(1, 5);
    // Forwarded in batches (one event per claimed batch of a connection), every notification once.
    int forwarded = rig.forwardEvents().stream().mapToInt(f -> (int) StreamSupport.stream(f.path("payload").path("value").spliterator(), false)
        .filter(n -> n.path("id").asText().startsWith("burst-")).count()).sum();
    assertThat(forwarded).isEqualTo(500);
  }

  @Test
  @Order(8)
  void missedRunsTheSyncToCatchUp() {
    await().atMost(Duration.ofSeconds(60)).until(() -> !sync.status(SyncRig.CONNECTION, "users").path("status").asText().equals("RUNNING"));
    String before = sync.finishedAt(SyncRig.CONNECTION, "users");
    ApiClient.Response r = rig.notify(NotificationRig.batch(List.of(NotificationRig.lifecycle(CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID, "missed"))));
    assertThat(r.status()).isEqualTo(202);
    assertThat(sync.awaitRunAfter(SyncRig.CONNECTION, "users", before).path("status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  @Order(9)
  void reauthorizationRequiredSchedulesTheReauthorization() {
    ApiClient.Response r = rig.notify(NotificationRig.batch(List.of(NotificationRig.lifecycle(FABRIKAM_SUB, FABRIKAM_STATE, SyncRig.BARE_TENANT_ID,
        "reauthorizationRequired"))));
    assertThat(r.status()).isEqualTo(202);
    // The worker acts on it at once: Graph (here without subscriptions of its own) is asked, and the attempt recorded.
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.subscription(fabrikamRow).failures() > 0 || rig.subscription(fabrikamRow).renewals() > 0);
    assertThat(rig.subscription(fabrikamRow).action()).isIn(Subscription.Action.REAUTHORIZE, Subscription.Action.RENEW, Subscription.Action.CREATE);
  }

  @Test
  @Order(10)
  void subscriptionRemovedCreatesItAgainAndCatchesUp() {
    await().atMost(Duration.ofSeconds(60)).until(() -> !sync.status(SyncRig.CONNECTION, "users").path("status").asText().equals("RUNNING"));
    String before = sync.finishedAt(SyncRig.CONNECTION, "users");
    ApiClient.Response r = rig.notify(NotificationRig.batch(List.of(NotificationRig.lifecycle(CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID,
        "subscriptionRemoved"))));
    assertThat(r.status()).isEqualTo(202);
    assertThat(sync.awaitRunAfter(SyncRig.CONNECTION, "users", before).path("status").asText()).isEqualTo("SUCCESS");
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.subscription(contosoRow).action() == Subscription.Action.CREATE);
    // Graph's old id is forgotten: a notification for it is now refused.
    assertThat(rig.subscription(contosoRow).graphId()).isEmpty();
    ApiClient.Response old = rig.notify(NotificationRig.batch(List.of(NotificationRig.notification("late", CONTOSO_SUB, CONTOSO_STATE,
        SyncRig.TENANT_ID, "Users/x"))));
    assertThat(old.status()).isEqualTo(401);
  }

  @Test
  @Order(11)
  void theSubscriptionsAreListedPerConnectionAndInSyncStatus() {
    ApiClient.Response r = sync.expect(sync.api().get("/connections/" + SyncRig.BARE_CONNECTION + "/subscriptions?provider_config_key="
        + SyncRig.INTEGRATION), 200);
    assertThat(r.json().path("subscriptions")).hasSize(1);
    JsonNode s = r.json().path("subscriptions").get(0);
    assertThat(s.path("sync").asText()).isEqualTo("users");
    assertThat(s.path("resource").asText()).isEqualTo("users");
    assertThat(r.body()).doesNotContain(FABRIKAM_STATE);
    JsonNode status = sync.status(SyncRig.BARE_CONNECTION, "users");
    assertThat(status.path("subscriptions")).hasSize(1);
    assertThat(status.path("subscriptions").get(0).path("resource").asText()).isEqualTo("users");
    assertThat(sync.api().get("/connections/nobody/subscriptions?provider_config_key=" + SyncRig.INTEGRATION).status()).isEqualTo(404);
  }

  /**
   * Notifications too large together for one webhook body (200,000 characters): the connection's batch is forwarded
   * in several {@code forward} webhooks, every notification exactly once. Before, the one oversized insert failed on
   * every attempt and the batch was never processed.
   */
  @Test
  @Order(7)
  void notificationsTooLargeForOneWebhookAreForwardedInSeveral() {
    int forwardsBefore = rig.forwardEvents().size();
    String padding = "p".repeat(1_500);
    List<String> large = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      large.add(NotificationRig.notification("large-" + i, CONTOSO_SUB, CONTOSO_STATE, SyncRig.TENANT_ID, "Users/" + padding + i));
    }
    for (int from = 0; from < 300; from += 100) {
      assertThat(rig.notify(NotificationRig.batch(large.subList(from, from + 100))).status()).isEqualTo(202);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> rig.inbox.pending() == 0);
    List<JsonNode> forwards = rig.forwardEvents().subList(forwardsBefore, rig.forwardEvents().size());
    List<String> ids = forwards.stream().flatMap(f -> StreamSupport.stream(f.path("payload").path("value").spliterator(), false))
        .map(n -> n.path("id").asText()).toList();
    assertThat(ids).hasSize(300).doesNotHaveDuplicates().allMatch(id -> id.startsWith("large-"));
    assertThat(forwards.size()).as("several webhooks for about 480,000 characters").isGreaterThanOrEqualTo(3);
    assertThat(forwards).allMatch(f -> f.toString().length() < 200_000);
  }

  private static List<JsonNode> awaitForwards(int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.forwardEvents().size() >= n);
    return rig.forwardEvents();
  }

  private static List<WebhookReceiver.Received> received(String type) {
    return receiver.received().stream().filter(e -> e.json().path("type").asText().equals(type)).toList();
  }

  private static int syncEvents() {
    return (int) rig.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_events WHERE event_type = 'sync' AND body LIKE :c")
        .bind("c", "%\"connectionId\":\"" + SyncRig.CONNECTION + "\"%").mapTo(Long.class).one()).longValue();
  }
}

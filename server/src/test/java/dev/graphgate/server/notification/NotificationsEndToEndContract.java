package dev.graphgate.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change notifications end to end, against the emulator's Graph over real HTTP: with {@code GRAPHGATE_PUBLIC_URL}
 * set, Graphgate creates the subscriptions the enabled syncs need (the emulator's validation handshake reaching the
 * receiver), and a change in the emulator (a user created, a message created, a group deleted) reaches
 * {@code GET /records} and the app's {@code sync} webhook within seconds, by a run the notification triggered (the
 * schedule is hourly). Then the lifecycle events the emulator sends on demand, and the deletion of the subscriptions
 * when the sync is disabled. Subclasses pick the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class NotificationsEndToEndContract {
  @TempDir static Path dataDir;
  static TestDatabase db;
  static SyncRig rig;
  static WebhookReceiver receiver;
  static ApiClient emulatorAdmin;

  static void startOn(TestDatabase database) {
    db = database;
    receiver = WebhookReceiver.started();
    int port = freePort();
    rig = SyncRig.start(dataDir, db, """
        {"users": 6, "groups": 3, "membersPerGroup": 2, "messagesPerMailbox": 2, "eventsPerMailbox": 0, "anchorDate": "2025-03-14"}""",
        b -> b.port(port).notificationUrl(URI.create("http://127.0.0.1:" + port)).subscriptionPollInterval(Duration.ofMillis(200))
            .webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true)
                .withDelivery(Duration.ofSeconds(5), 40, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(50))));
    emulatorAdmin = new ApiClient(URI.create(rig.emulator.loginUrl()), null);
    rig.expect(rig.api().patch("/webhooks/settings", "{\"primary_url\":\"" + receiver.url("/hooks") + "\",\"on_sync_completion_always\":false}"), 200);
    rig.expect(rig.api().patch("/integrations/" + SyncRig.INTEGRATION, "{\"forward_webhooks\":true}"), 200);
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\",\"groups\",\"messages\",\"drive-items\"]}"), 200);
    for (String sync : List.of("users", "groups", "messages", "drive-items")) {
      assertThat(rig.awaitRunAfter(SyncRig.CONNECTION, sync, null).path("status").asText()).isEqualTo("SUCCESS");
    }
  }

  @AfterAll
  static void stop() {
    try {
      rig.close();
      receiver.close();
    } finally {
      db.close();
    }
  }

  @Test
  @Order(1)
  void theSubscriptionsTheSyncsNeedAreCreatedAtGraph() {
    int mailboxes = (int) rig.groundTruth("/v1.0/users?$top=999&$select=id,mail").stream().filter(u -> u.path("mail").isTextual()).count();
    // users, groups, and per mailbox its messages; none for drive-items, whose subscriptions need Files.ReadWrite.All
    // (the connection holds Files.Read.All): that sync runs on its schedule.
    await().atMost(Duration.ofSeconds(60)).until(() -> subscriptions().size() == 2 + mailboxes
        && subscriptions().stream().allMatch(s -> s.path("status").asText().equals("active")));
    List<JsonNode> ours = subscriptions();
    assertThat(ours).extracting(s -> s.path("resource").asText()).contains("users", "groups");
    // Graph holds exactly these, delivering to the integration's webhook_url.
    JsonNode atGraph = rig.expect(emulatorAdmin.get("/_emulator/tenants/" + SyncRig.TENANT_ID + "/subscriptions"), 200).json().path("value");
    assertThat(atGraph).hasSize(ours.size());
    String webhookUrl = rig.api().get("/integrations/" + SyncRig.INTEGRATION + "?include=webhook").json().path("data").path("webhook_url").asText();
    atGraph.forEach(s -> assertThat(s.path("notificationUrl").asText()).isEqualTo(webhookUrl));
    assertThat(ours).extracting(s -> s.path("subscription_id").asText())
        .containsExactlyInAnyOrderElementsOf(() -> java.util.stream.StreamSupport.stream(atGraph.spliterator(), false).map(s -> s.path("id").asText())
            .iterator());
  }

  @Test
  @Order(2)
  void aUserCreatedInGraphArrivesInRecordsAndASyncWebhookWithoutAScheduledRun() {
    receiver.clear();
    String nick = "notified" + System.nanoTime() % 100000;
    JsonNode user = rig.expect(rig.graphAdmin("POST", "/v1.0/users", """
        {"accountEnabled": true, "displayName": "Notified User", "mailNickname": "%s", "userPrincipalName": "%s@%s",
         "passwordProfile": {"password": "Secret-123456"}}""".formatted(nick, nick, SyncRig.TENANT_DOMAIN)), 201).json();
    String id = user.path("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.liveRecords("User").containsKey(id));
    JsonNode event = awaitSyncEvent("users");
    assertThat(event.path("syncType").asText()).isEqualTo("INCREMENTAL");
    assertThat(event.path("responseResults").path("added").asInt()).isGreaterThanOrEqualTo(1);
    assertForwarded("Users/" + id);
  }

  @Test
  @Order(3)
  void aMessageCreatedInGraphArrivesInRecordsAndASyncWebhook() {
    receiver.clear();
    String mailbox = rig.groundTruth("/v1.0/users?$top=999&$select=id,mail").stream().filter(u -> u.path("mail").isTextual())
        .map(u -> u.path("id").asText()).sorted().findFirst().orElseThrow();
    JsonNode m = rig.expect(rig.graphAdmin("POST", "/v1.0/users/" + mailbox + "/mailFolders/inbox/messages", """
        {"subject": "Notified", "body": {"contentType": "Text", "content": "Hello"},
         "toRecipients": [{"emailAddress": {"address": "someone@example.com"}}]}"""), 201).json();
    String messageId = m.path("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.liveRecords("Message").keySet().stream().anyMatch(k -> k.endsWith("/" + messageId)));
    JsonNode event = awaitSyncEvent("messages");
    assertThat(event.path("responseResults").path("added").asInt()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(4)
  void aGroupDeletedInGraphIsMarkedDeletedAndASyncWebhookGoesOut() {
    receiver.clear();
    String group = rig.groundTruth("/v1.0/groups?$top=999&$select=id").get(0).path("id").asText();
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/groups/" + group, null), 204);
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.allRecords("Group", "filter=deleted").stream()
        .anyMatch(r -> r.path("id").asText().equals(group)));
    JsonNode event = awaitSyncEvent("groups");
    assertThat(event.path("responseResults").path("deleted").asInt()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(5)
  void reauthorizationRequiredIsAnsweredAtGraph() {
    JsonNode users = subscription("users");
    int renewals = users.path("renewals").asInt();
    lifecycle(users.path("subscription_id").asText(), "reauthorizationRequired");
    // Reauthorized, then renewed (which also answers the challenge).
    await().atMost(Duration.ofSeconds(30)).until(() -> subscription("users").path("renewals").asInt() == renewals + 1);
    assertThat(subscription("users").path("status").asText()).isEqualTo("active");
  }

  @Test
  @Order(6)
  void subscriptionRemovedCreatesANewOneAndMissedCatchesUp() {
    JsonNode messages = subscriptions().stream().filter(s -> s.path("sync").asText().equals("messages")).findFirst().orElseThrow();
    String old = messages.path("subscription_id").asText();
    String resource = messages.path("resource").asText();
    String before = rig.finishedAt(SyncRig.CONNECTION, "messages");
    lifecycle(old, "subscriptionRemoved");
    await().atMost(Duration.ofSeconds(30)).until(() -> subscriptions().stream().anyMatch(s -> s.path("resource").asText().equals(resource)
        && s.path("status").asText().equals("active") && !s.path("subscription_id").asText().equals(old)));
    assertThat(rig.awaitRunAfter(SyncRig.CONNECTION, "messages", before).path("status").asText()).isEqualTo("SUCCESS");

    // missed is sent for Outlook resources only.
    String beforeMissed = rig.finishedAt(SyncRig.CONNECTION, "messages");
    String current = subscriptions().stream().filter(s -> s.path("resource").asText().equals(resource)).findFirst().orElseThrow()
        .path("subscription_id").asText();
    lifecycle(current, "missed");
    assertThat(rig.awaitRunAfter(SyncRig.CONNECTION, "messages", beforeMissed).path("status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  @Order(7)
  void disablingASyncDeletesItsSubscriptionsAtGraph() {
    int left = (int) subscriptions().stream().filter(s -> !s.path("sync").asText().equals("messages")).count();
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\",\"groups\",\"drive-items\"]}"), 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> subscriptions().size() == left);
    await().atMost(Duration.ofSeconds(30)).until(() -> rig.expect(emulatorAdmin.get("/_emulator/tenants/" + SyncRig.TENANT_ID + "/subscriptions"), 200)
        .json().path("value").size() == left);
  }

  @Test
  @Order(8)
  void deletingTheConnectionDeletesItsSubscriptionsAtGraph() {
    rig.expect(rig.api().delete("/connections/" + SyncRig.CONNECTION + "?provider_config_key=" + SyncRig.INTEGRATION), 200);
    assertThat(rig.expect(emulatorAdmin.get("/_emulator/tenants/" + SyncRig.TENANT_ID + "/subscriptions"), 200).json().path("value")).isEmpty();
  }

  private static void lifecycle(String subscriptionId, String event) {
    ApiClient.Response r = emulatorAdmin.post("/_emulator/tenants/" + SyncRig.TENANT_ID + "/subscriptions/" + subscriptionId + "/lifecycle",
        "{\"lifecycleEvent\":\"" + event + "\"}");
    assertThat(r.status() / 100).as(r.body()).isEqualTo(2);
  }

  private static List<JsonNode> subscriptions() {
    ApiClient.Response r = rig.expect(rig.api().get("/connections/" + SyncRig.CONNECTION + "/subscriptions?provider_config_key=" + SyncRig.INTEGRATION),
        200);
    return java.util.stream.StreamSupport.stream(r.json().path("subscriptions").spliterator(), false).toList();
  }

  private static JsonNode subscription(String sync) {
    return subscriptions().stream().filter(s -> s.path("sync").asText().equals(sync)).findFirst().orElseThrow();
  }

  private static JsonNode awaitSyncEvent(String sync) {
    JsonNode[] found = {null};
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Optional<JsonNode> e = receiver.received().stream().map(WebhookReceiver.Received::json)
          .filter(j -> j.path("type").asText().equals("sync") && j.path("syncName").asText().equals(sync)
              && j.path("connectionId").asText().equals(SyncRig.CONNECTION))
          .findFirst();
      e.ifPresent(j -> found[0] = j);
      return e.isPresent();
    });
    return found[0];
  }

  private static void assertForwarded(String resource) {
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream().map(WebhookReceiver.Received::json)
        .anyMatch(j -> j.path("type").asText().equals("forward") && j.path("connectionId").asText().equals(SyncRig.CONNECTION)
            && j.path("payload").path("value").toString().contains(resource)));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

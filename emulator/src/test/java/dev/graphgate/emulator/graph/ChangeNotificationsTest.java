package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.NotificationReceiver;
import dev.graphgate.emulator.support.NotificationReceiver.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change notifications over HTTP: what each resource's changes send (through Graph writes and the admin API), batching,
 * retries when the receiver fails or is slow, lifecycle events, and tenants kept apart.
 */
class ChangeNotificationsTest {

  static GraphTestEmulator emulator;
  static NotificationReceiver receiver;

  @BeforeAll
  static void start() {
    emulator = GraphTestEmulator.start();
    receiver = NotificationReceiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    emulator.close();
  }

  @BeforeEach
  void fastSettings() {
    assertThat(emulator.admin().delete("notifications/settings").status()).isEqualTo(204);
    settings(Map.of("timeScale", 0.001, "batchWindowMillis", 20));
  }

  static void settings(Map<String, Object> settings) {
    Http.Response response = emulator.admin().put("notifications/settings", settings);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  /** Subscribes {@code graph}'s app and returns the subscription's id. */
  static String subscribe(Http graph, String resource, String changeType, String path, String lifecyclePath) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("changeType", changeType);
    body.put("notificationUrl", receiver.url(path));
    if (lifecyclePath != null) {
      body.put("lifecycleNotificationUrl", receiver.url(lifecyclePath));
    }
    body.put("resource", resource);
    body.put("expirationDateTime", Instant.now().plus(Duration.ofHours(2)).toString());
    body.put("clientState", "state-of-" + path);
    Http.Response created = graph.post("subscriptions", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  static List<JsonNode> awaitNotifications(String path, int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.notifications(path).size() >= count);
    return receiver.notifications(path);
  }

  static Map<String, Object> newUser(String nickname, Tenant tenant) {
    return Map.of("accountEnabled", true, "displayName", "User " + nickname, "mailNickname", nickname,
        "userPrincipalName", nickname + "@" + tenant.domains().getFirst(), "passwordProfile", Map.of("password", "Secret-123!"));
  }

  @Test
  void userChangesThroughGraphAndTheAdminApiAreNotifiedAsUpdatedAndDeleted() {
    Tenant tenant = emulator.tenant("notifyusers", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All"));
    String id = subscribe(graph, "users", "updated,deleted", "/users", null);

    String created = graph.post("users", newUser("ada", tenant)).json().path("id").asText();
    assertThat(emulator.adminGraph(tenant).patch("users/" + created, Map.of("jobTitle", "Engineer")).status()).isEqualTo(204);
    assertThat(graph.delete("users/" + created).status()).isEqualTo(204);

    List<JsonNode> received = awaitNotifications("/users", 3);
    assertThat(received).extracting(n -> n.path("changeType").asText()).containsExactly("updated", "updated", "deleted");
    JsonNode first = received.getFirst();
    assertThat(first.path("subscriptionId").asText()).isEqualTo(id);
    assertThat(first.path("clientState").asText()).isEqualTo("state-of-/users");
    assertThat(first.path("tenantId").asText()).isEqualTo(tenant.id());
    assertThat(first.path("resource").asText()).isEqualTo("Users/" + created);
    assertThat(first.path("subscriptionExpirationDateTime").asText()).endsWith("Z");
    assertThat(first.path("resourceData").path("@odata.type").asText()).isEqualTo("#Microsoft.Graph.User");
    assertThat(first.path("resourceData").path("@odata.id").asText()).isEqualTo("Users/" + created);
    assertThat(first.path("resourceData").path("id").asText()).isEqualTo(created);
    NotificationReceiver.Received post = receiver.posts("/users").getFirst();
    assertThat(post.contentType()).startsWith("application/json");
    assertThat(emulator.admin().get("notifications?subscriptionId=" + id + "&state=delivered").json().path("value")).hasSize(3);
  }
}

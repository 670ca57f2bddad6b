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

  static String firstUser(Tenant tenant) {
    return emulator.adminGraph(tenant).get("users?$top=1").json().path("value").path(0).path("id").asText();
  }

  @Test
  void groupChangesIncludingMembershipAreNotified() {
    Tenant tenant = emulator.tenant("notifygroups", GraphTestEmulator.spec(3, 1, 1, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "Group.ReadWrite.All", "GroupMember.ReadWrite.All", "User.Read.All"));
    String user = firstUser(tenant);
    subscribe(graph, "groups", "updated,deleted", "/groups", null);

    String group = graph.post("groups", Map.of("displayName", "Team", "mailEnabled", false, "mailNickname", "team", "securityEnabled", true))
        .json().path("id").asText();
    Http.Response added = graph.post("groups/" + group + "/members/$ref", Map.of("@odata.id", emulator.emulator.graphUrl() + "/v1.0/directoryObjects/" + user));
    assertThat(added.status()).as(added.body()).isEqualTo(204);
    assertThat(graph.delete("groups/" + group).status()).isEqualTo(204);

    List<JsonNode> received = awaitNotifications("/groups", 3);
    assertThat(received).extracting(n -> n.path("changeType").asText()).containsExactly("updated", "updated", "deleted");
    assertThat(received).allSatisfy(n -> {
      assertThat(n.path("resource").asText()).isEqualTo("Groups/" + group);
      assertThat(n.path("resourceData").path("@odata.type").asText()).isEqualTo("#Microsoft.Graph.Group");
    });
  }

  @Test
  void messageChangesAreNotifiedToMailboxAndFolderSubscriptionsWithTheirChangeTypes() {
    Tenant tenant = emulator.tenant("notifymail", GraphTestEmulator.spec(2, 0, 0, 3, 0, 0, 1));
    String user = firstUser(tenant);
    Http graph = emulator.graph(emulator.token(tenant, "Mail.ReadWrite"));
    subscribe(graph, "users/" + user + "/messages", "created,updated,deleted", "/mailbox", null);
    subscribe(graph, "users/" + user + "/mailFolders('drafts')/messages", "created", "/drafts", null);

    String message = graph.post("users/" + user + "/mailFolders/inbox/messages", Map.of("subject", "Hello")).json().path("id").asText();
    assertThat(emulator.adminGraph(tenant).patch("users/" + user + "/messages/" + message, Map.of("isRead", true)).status()).isEqualTo(200);
    assertThat(graph.delete("users/" + user + "/messages/" + message).status()).isEqualTo(204);
    String draft = graph.post("users/" + user + "/messages", Map.of("subject", "Draft")).json().path("id").asText();

    List<JsonNode> mailbox = awaitNotifications("/mailbox", 4);
    assertThat(mailbox).extracting(n -> n.path("changeType").asText()).containsExactly("created", "updated", "deleted", "created");
    JsonNode first = mailbox.getFirst();
    assertThat(first.path("resource").asText()).isEqualTo("Users/" + user + "/Messages/" + message);
    assertThat(first.path("resourceData").path("@odata.type").asText()).isEqualTo("#Microsoft.Graph.Message");
    assertThat(first.path("resourceData").path("id").asText()).isEqualTo(message);
    List<JsonNode> drafts = awaitNotifications("/drafts", 1);
    assertThat(drafts).singleElement().satisfies(n -> assertThat(n.path("resourceData").path("id").asText()).isEqualTo(draft));
  }

  @Test
  void eventChangesAreNotifiedOnlyForTheChangeTypesSubscribed() {
    Tenant tenant = emulator.tenant("notifyevents", GraphTestEmulator.spec(2, 0, 0, 0, 3, 0, 1));
    String user = firstUser(tenant);
    Http graph = emulator.graph(emulator.token(tenant, "Calendars.ReadWrite"));
    subscribe(graph, "users/" + user + "/events", "created,deleted", "/events", null);

    String event = graph.post("users/" + user + "/events", Map.of("subject", "Planning",
        "start", Map.of("dateTime", "2025-03-20T09:00:00", "timeZone", "UTC"), "end", Map.of("dateTime", "2025-03-20T10:00:00", "timeZone", "UTC")))
        .json().path("id").asText();
    assertThat(graph.patch("users/" + user + "/events/" + event, Map.of("subject", "Replanned")).status()).isEqualTo(200);
    assertThat(graph.delete("users/" + user + "/events/" + event).status()).isEqualTo(204);

    List<JsonNode> received = awaitNotifications("/events", 2);
    assertThat(received).extracting(n -> n.path("changeType").asText()).containsExactly("created", "deleted");
    assertThat(received.getFirst().path("resource").asText()).isEqualTo("Users/" + user + "/Events/" + event);
    assertThat(received.getFirst().path("resourceData").path("@odata.type").asText()).isEqualTo("#Microsoft.Graph.Event");
  }

  @Test
  void driveItemChangesAreNotifiedAsUpdatesOfTheDriveRoot() {
    Tenant tenant = emulator.tenant("notifydrive", GraphTestEmulator.spec(2, 0, 0, 0, 0, 2, 1));
    String user = firstUser(tenant);
    Http graph = emulator.graph(emulator.token(tenant, "Files.ReadWrite.All"));
    JsonNode drive = graph.get("users/" + user + "/drive").json();
    String root = graph.get("users/" + user + "/drive/root").json().path("id").asText();
    String driveId = drive.path("id").asText();
    subscribe(graph, "drives/" + driveId + "/root", "updated", "/drive", null);

    String folder = graph.post("drives/" + driveId + "/root/children", Map.of("name", "Reports", "folder", Map.of())).json().path("id").asText();
    assertThat(graph.patch("drives/" + driveId + "/items/" + folder, Map.of("name", "Reports 2025")).status()).isEqualTo(200);
    assertThat(graph.delete("drives/" + driveId + "/items/" + folder).status()).isEqualTo(204);

    List<JsonNode> received = awaitNotifications("/drive", 3);
    assertThat(received).allSatisfy(n -> {
      assertThat(n.path("changeType").asText()).isEqualTo("updated");
      assertThat(n.path("resource").asText()).isEqualTo("drives/" + driveId + "/root");
      assertThat(n.path("resourceData").path("@odata.type").asText()).isEqualTo("#Microsoft.Graph.DriveItem");
      assertThat(n.path("resourceData").path("id").asText()).isEqualTo(root);
    });
  }

  @Test
  void notificationsWaitingForOneUrlShareAPostUpToTheBatchSize() {
    Tenant tenant = emulator.tenant("notifybatch", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All"));
    String users = subscribe(graph, "users", "updated", "/batch", null);
    subscribe(graph, "users", "updated", "/batch", null);
    settings(Map.of("mode", "pause", "maxBatchSize", 8));

    for (int i = 0; i < 10; i++) {
      assertThat(graph.post("users", newUser("batch" + i, tenant)).status()).isEqualTo(201);
    }
    assertThat(emulator.admin().get("notifications?tenantId=" + tenant.id() + "&state=pending").json().path("value")).hasSize(20);
    assertThat(receiver.posts("/batch")).isEmpty();
    // Resume only once every notification's batch window has passed: those still inside it when delivery resumes go
    // in later, smaller POSTs (as they should), which would make the sizes depend on how fast the users were created.
    await().atMost(Duration.ofSeconds(10)).until(() -> allDue(tenant));
    settings(Map.of("mode", "deliver"));

    awaitNotifications("/batch", 20);
    List<Integer> sizes = receiver.posts("/batch").stream().map(p -> p.json().path("value").size()).toList();
    assertThat(sizes).as("20 due notifications in POSTs of at most 8").containsExactly(8, 8, 4);
    assertThat(receiver.notifications("/batch")).filteredOn(n -> n.path("subscriptionId").asText().equals(users)).hasSize(10);
  }

  private boolean allDue(Tenant tenant) {
    Instant now = Instant.now();
    JsonNode pending = emulator.admin().get("notifications?tenantId=" + tenant.id() + "&state=pending").json().path("value");
    for (JsonNode n : pending) {
      if (!Instant.parse(n.path("nextAttemptAt").asText()).isBefore(now)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aFailingReceiverGetsTheNotificationAgainWithBackoffUntilItAcknowledges() {
    Tenant tenant = emulator.tenant("notifyretry", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All"));
    String id = subscribe(graph, "users", "updated", "/flaky", null);
    AtomicInteger posts = new AtomicInteger();
    receiver.respond("/flaky", r -> posts.incrementAndGet() <= 2 ? Reply.of(503) : Reply.of(202));

    graph.post("users", newUser("retried", tenant));

    await().atMost(Duration.ofSeconds(20)).until(() -> emulator.admin().get("notifications?subscriptionId=" + id + "&state=delivered").json().path("value").size() == 1);
    JsonNode attempts = emulator.admin().get("notifications/attempts?kind=change&subscriptionId=" + id).json().path("value");
    assertThat(attempts).extracting(a -> a.path("outcome").asText()).containsExactly("rejected", "rejected", "delivered");
    assertThat(attempts).extracting(a -> a.path("status").asInt()).containsExactly(503, 503, 202);
    assertThat(attempts).extracting(a -> a.path("attempt").asInt()).containsExactly(1, 2, 3);
    assertThat(receiver.notifications("/flaky")).hasSize(3).extracting(n -> n.path("resource").asText()).containsOnly(receiver.notifications("/flaky").getFirst().path("resource").asText());
    assertThat(emulator.admin().get("notifications?subscriptionId=" + id).json().path("value").path(0).path("attempts").asInt()).isEqualTo(3);
  }

  @Test
  void aReceiverSlowerThanTheDeliveryTimeoutIsAFailedAttemptAndIsRetried() {
    Tenant tenant = emulator.tenant("notifyslow", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All"));
    String id = subscribe(graph, "users", "updated", "/slow", null);
    settings(Map.of("deliveryTimeoutMillis", 300));
    AtomicInteger posts = new AtomicInteger();
    receiver.respond("/slow", r -> posts.incrementAndGet() == 1 ? Reply.of(202).after(2_000) : Reply.of(202));

    graph.post("users", newUser("slowpoke", tenant));

    await().atMost(Duration.ofSeconds(20)).until(() -> emulator.admin().get("notifications?subscriptionId=" + id + "&state=delivered").json().path("value").size() == 1);
    JsonNode attempts = emulator.admin().get("notifications/attempts?kind=change&subscriptionId=" + id).json().path("value");
    assertThat(attempts).extracting(a -> a.path("outcome").asText()).containsExactly("timeout", "delivered");
    assertThat(attempts.path(0).hasNonNull("status")).isFalse();
  }

  @Test
  void aReceiverThatNeverAcknowledgesIsAbandonedAfterTheScaledRetryHorizon() {
    Tenant tenant = emulator.tenant("notifyabandon", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All"));
    String id = subscribe(graph, "users", "updated", "/down", null);
    receiver.respond("/down", r -> Reply.of(500));
    settings(Map.of("timeScale", 0.0001));

    graph.post("users", newUser("lost", tenant));

    await().atMost(Duration.ofSeconds(30)).until(() -> emulator.admin().get("notifications?subscriptionId=" + id + "&state=abandoned").json().path("value").size() == 1);
    assertThat(receiver.posts("/down").size()).isGreaterThan(3);
  }

  @Test
  void dropModeRecordsNotificationsWithoutSendingThemAndDeletedSubscriptionsGetNothing() {
    Tenant tenant = emulator.tenant("notifydrop", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All"));
    String dropped = subscribe(graph, "users", "updated", "/dropped", null);
    settings(Map.of("mode", "drop"));
    graph.post("users", newUser("dropped", tenant));
    assertThat(emulator.admin().get("notifications?subscriptionId=" + dropped + "&state=dropped").json().path("value")).hasSize(1);

    settings(Map.of("mode", "deliver"));
    assertThat(graph.delete("subscriptions/" + dropped).status()).isEqualTo(204);
    String live = subscribe(graph, "users", "updated", "/live", null);
    graph.post("users", newUser("after", tenant));
    awaitNotifications("/live", 1);
    assertThat(receiver.posts("/dropped")).isEmpty();
    assertThat(emulator.admin().get("notifications?subscriptionId=" + dropped).json().path("value")).hasSize(1);
    assertThat(live).isNotEqualTo(dropped);
  }

  @Test
  void aTenantsChangesReachOnlyThatTenantsSubscriptions() {
    Tenant contoso = emulator.tenant("notifycontoso", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Tenant fabrikam = emulator.tenant("notifyfabrikam", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Http contosoApp = emulator.graph(emulator.token(contoso, "User.ReadWrite.All"));
    Http fabrikamApp = emulator.graph(emulator.token(fabrikam, "User.ReadWrite.All"));
    String contosoSubscription = subscribe(contosoApp, "users", "updated", "/shared", null);
    String fabrikamSubscription = subscribe(fabrikamApp, "users", "updated", "/shared", null);

    contosoApp.post("users", newUser("c1", contoso));
    contosoApp.post("users", newUser("c2", contoso));
    fabrikamApp.post("users", newUser("f1", fabrikam));

    List<JsonNode> received = awaitNotifications("/shared", 3);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> receiver.notifications("/shared").size() == 3);
    assertThat(received).filteredOn(n -> n.path("tenantId").asText().equals(contoso.id()))
        .hasSize(2).allSatisfy(n -> assertThat(n.path("subscriptionId").asText()).isEqualTo(contosoSubscription));
    assertThat(received).filteredOn(n -> n.path("tenantId").asText().equals(fabrikam.id()))
        .hasSize(1).allSatisfy(n -> assertThat(n.path("subscriptionId").asText()).isEqualTo(fabrikamSubscription));
  }

  @Test
  void lifecycleEventsGoToTheLifecycleUrlOnDemandWithTheirEffects() {
    Tenant tenant = emulator.tenant("notifylifecycle", GraphTestEmulator.spec(2, 0, 0, 1, 0, 0, 1));
    String user = firstUser(tenant);
    Http graph = emulator.graph(emulator.token(tenant, "Mail.Read", "User.Read.All"));
    String mail = subscribe(graph, "users/" + user + "/messages", "created", "/mail", "/lifecycle");
    String users = subscribe(graph, "users", "updated", "/users-lc", "/lifecycle");
    String noLifecycle = subscribe(graph, "users", "updated", "/users-nolc", null);
    Http admin = emulator.admin();
    String base = "tenants/" + tenant.id() + "/subscriptions/";

    Http.Response reauth = admin.post(base + mail + "/lifecycle", Map.of("lifecycleEvent", "reauthorizationRequired"));
    assertThat(reauth.status()).as(reauth.body()).isEqualTo(202);
    List<JsonNode> events = awaitNotifications("/lifecycle", 1);
    JsonNode event = events.getFirst();
    assertThat(event.path("lifecycleEvent").asText()).isEqualTo("reauthorizationRequired");
    assertThat(event.path("subscriptionId").asText()).isEqualTo(mail);
    assertThat(event.path("tenantId").asText()).isEqualTo(tenant.id());
    assertThat(event.path("clientState").asText()).isEqualTo("state-of-/mail");
    assertThat(event.path("subscriptionExpirationDateTime").asText()).isNotBlank();
    assertThat(event.has("changeType")).isFalse();
    assertThat(admin.get("tenants/" + tenant.id() + "/subscriptions").json().path("value"))
        .filteredOn(s -> s.path("id").asText().equals(mail)).singleElement()
        .satisfies(s -> assertThat(s.path("reauthorizationRequired").asBoolean()).isTrue());
    assertThat(graph.post("subscriptions/" + mail + "/reauthorize", null).status()).isEqualTo(204);
    assertThat(admin.get("tenants/" + tenant.id() + "/subscriptions").json().path("value"))
        .filteredOn(s -> s.path("id").asText().equals(mail)).singleElement()
        .satisfies(s -> assertThat(s.path("reauthorizationRequired").asBoolean()).isFalse());

    assertThat(admin.post(base + mail + "/lifecycle", Map.of("lifecycleEvent", "missed")).status()).isEqualTo(202);
    assertThat(awaitNotifications("/lifecycle", 2).get(1).path("lifecycleEvent").asText()).isEqualTo("missed");
    assertThat(graph.get("subscriptions/" + mail).status()).isEqualTo(200);

    assertThat(admin.post(base + mail + "/lifecycle", Map.of("lifecycleEvent", "subscriptionRemoved")).status()).isEqualTo(202);
    assertThat(awaitNotifications("/lifecycle", 3).get(2).path("lifecycleEvent").asText()).isEqualTo("subscriptionRemoved");
    assertThat(graph.get("subscriptions/" + mail).status()).isEqualTo(404);

    assertThat(admin.post(base + users + "/lifecycle", Map.of("lifecycleEvent", "reauthorizationRequired")).status()).isEqualTo(202);
    assertThat(admin.post(base + users + "/lifecycle", Map.of("lifecycleEvent", "missed")).status()).isEqualTo(400);
    assertThat(admin.post(base + users + "/lifecycle", Map.of("lifecycleEvent", "expired")).status()).isEqualTo(400);
    assertThat(admin.post(base + noLifecycle + "/lifecycle", Map.of("lifecycleEvent", "reauthorizationRequired")).status()).isEqualTo(409);
    assertThat(admin.post(base + mail + "/lifecycle", Map.of("lifecycleEvent", "missed")).status()).isEqualTo(404);
    assertThat(awaitNotifications("/lifecycle", 4).get(3).path("subscriptionId").asText()).isEqualTo(users);
  }

  @Test
  void anEndpointSlowOnFifteenPercentOfAHundredNotificationsHasItsNotificationsDropped() {
    Tenant tenant = emulator.tenant("notifythrottled", GraphTestEmulator.spec(2, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All"));
    String id = subscribe(graph, "users", "updated", "/sluggish", null);
    settings(Map.of("mode", "pause", "timeScale", 0.02, "deliveryTimeoutMillis", 100));
    receiver.respond("/sluggish", r -> Reply.of(202).after(1_000));
    for (int i = 0; i < 100; i++) {
      assertThat(graph.post("users", newUser("slow" + i, tenant)).status()).isEqualTo(201);
    }

    settings(Map.of("mode", "deliver"));

    await().atMost(Duration.ofSeconds(20)).until(() ->
        emulator.admin().get("notifications?subscriptionId=" + id + "&state=dropped").json().path("value").size() == 100);
    assertThat(emulator.admin().get("notifications/endpoints").json().path("value"))
        .filteredOn(e -> e.path("url").asText().equals(receiver.url("/sluggish"))).singleElement()
        .satisfies(e -> {
          assertThat(e.path("state").asText()).isEqualTo("dropping");
          assertThat(e.path("windowSlow").asInt()).isGreaterThanOrEqualTo(100);
          assertThat(e.path("delivered").asInt()).isZero();
        });
    graph.post("users", newUser("one-more", tenant));
    assertThat(emulator.admin().get("notifications?subscriptionId=" + id + "&state=dropped").json().path("value")).hasSize(101);
    assertThat(emulator.admin().get("notifications/attempts?kind=change&url=" + receiver.url("/sluggish")).json().path("value"))
        .isNotEmpty().allSatisfy(a -> assertThat(a.path("outcome").asText()).isEqualTo("timeout"));
  }
}

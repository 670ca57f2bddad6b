package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeltaTest {

  static SettableClock clock = new SettableClock(Instant.parse("2025-03-14T12:00:00Z"));
  static GraphTestEmulator emulator;

  @BeforeAll
  static void start() {
    emulator = GraphTestEmulator.start(EmulatorConfig.ephemeral().withClock(clock));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  /** One delta round: follows next links to the delta link; returns the items and the delta link. */
  record Round(List<JsonNode> items, String deltaLink) {}

  static Round round(Http graph, String start, String... headers) {
    List<JsonNode> items = new ArrayList<>();
    String next = start;
    while (true) {
      Http.Response reply = graph.get(next, headers);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonNode body = reply.json();
      body.path("value").forEach(items::add);
      if (body.hasNonNull("@odata.deltaLink")) {
        return new Round(items, body.path("@odata.deltaLink").asText());
      }
      next = body.path("@odata.nextLink").asText();
    }
  }

  @Test
  void usersDeltaShowsAnAdditionAChangeAndADeletionExactlyOnceInTheNextRound() {
    Tenant tenant = emulator.tenant("deltausers", GraphTestEmulator.spec(230, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    Http admin = emulator.adminGraph(tenant);
    Round first = round(graph, "users/delta?$select=displayName,jobTitle");
    assertThat(first.items()).hasSize(230);
    assertThat(first.items().get(0).fieldNames()).toIterable().containsExactlyInAnyOrder("id", "displayName", "jobTitle");
    assertThat(first.deltaLink()).startsWith(emulator.emulator.graphUrl() + "/v1.0/users/delta?$deltatoken=");

    String changedId = first.items().get(5).path("id").asText();
    String deletedId = first.items().get(9).path("id").asText();
    String createdId = admin.post("users", Map.of("accountEnabled", true, "displayName", "New Hire", "mailNickname", "newhire",
        "userPrincipalName", "newhire@deltausers.onmicrosoft.com", "passwordProfile", Map.of("password", "Secret-123!"))).json().path("id").asText();
    Http.Response patched = admin.patch("users/" + changedId, Map.of("jobTitle", "Chief Delta Officer"));
    assertThat(patched.status()).as(patched.body()).isEqualTo(204);
    assertThat(admin.patch("users/" + changedId, Map.of("displayName", "Renamed Twice")).status()).isEqualTo(204);
    assertThat(admin.delete("users/" + deletedId).status()).isEqualTo(204);

    Round second = round(graph, first.deltaLink());
    assertThat(second.items()).hasSize(3);
    assertThat(second.items()).filteredOn(i -> i.path("id").asText().equals(createdId)).singleElement()
        .satisfies(i -> assertThat(i.path("displayName").asText()).isEqualTo("New Hire"));
    assertThat(second.items()).filteredOn(i -> i.path("id").asText().equals(changedId)).singleElement()
        .satisfies(i -> {
          assertThat(i.path("jobTitle").asText()).isEqualTo("Chief Delta Officer");
          assertThat(i.path("displayName").asText()).isEqualTo("Renamed Twice");
        });
    assertThat(second.items()).filteredOn(i -> i.path("id").asText().equals(deletedId)).singleElement()
        .satisfies(i -> assertThat(i.path("@removed").path("reason").asText()).isEqualTo("changed"));

    Round third = round(graph, second.deltaLink());
    assertThat(third.items()).isEmpty();
  }

  @Test
  void anExpiredBearerTokenIsRefusedAfterTheSkew() {
    Tenant tenant = emulator.tenant("expiredtoken", GraphTestEmulator.spec(1, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    assertThat(graph.get("users").status()).isEqualTo(200);
    clock.tick(Duration.ofMinutes(60 + 4));
    try {
      assertThat(graph.get("users").status()).as("within five minutes of skew").isEqualTo(200);
      clock.tick(Duration.ofMinutes(2));
      Http.Response expired = graph.get("users");
      assertThat(expired.status()).isEqualTo(401);
      assertThat(expired.json().path("error").path("message").asText()).isEqualTo("Access token has expired or is not yet valid.");
      assertThat(expired.header("WWW-Authenticate")).isPresent();
    } finally {
      clock.tick(Duration.ofMinutes(-66));
    }
  }

  @Test
  void preferReturnMinimalAnswersOnlyTheChangedProperties() {
    Tenant tenant = emulator.tenant("deltaminimal", GraphTestEmulator.spec(20, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    Round first = round(graph, "users/delta?$select=displayName,jobTitle,city");
    String id = first.items().get(3).path("id").asText();
    emulator.adminGraph(tenant).patch("users/" + id, Map.of("city", "Lagos"));
    Round minimal = round(graph, first.deltaLink(), "Prefer", "return=minimal");
    assertThat(minimal.items()).singleElement().satisfies(user -> {
      assertThat(user.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "city");
      assertThat(user.path("city").asText()).isEqualTo("Lagos");
    });
  }

  @Test
  void deltaTokenLatestStartsFromNow() {
    Tenant tenant = emulator.tenant("deltalatest", GraphTestEmulator.spec(50, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    Round latest = round(graph, "users/delta?$deltatoken=latest");
    assertThat(latest.items()).isEmpty();
    emulator.adminGraph(tenant).patch("users/" + graph.get("users?$top=1").json().path("value").get(0).path("id").asText(), Map.of("city", "Oslo"));
    assertThat(round(graph, latest.deltaLink()).items()).hasSize(1);
  }

  @Test
  void expiredUnknownAndResetDeltaLinksAnswerGoneWithAFreshStart() {
    Tenant tenant = emulator.tenant("deltaexpiry", GraphTestEmulator.spec(10, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    Round first = round(graph, "users/delta?$select=displayName");

    Http.Response tampered = graph.get(first.deltaLink().replace("$deltatoken=", "$deltatoken=x"));
    assertThat(tampered.status()).isEqualTo(410);
    assertThat(tampered.errorCode()).isEqualTo("syncStateNotFound");

    assertThat(emulator.admin().post("tenants/" + tenant.id() + "/delta/reset", "{}").status()).isEqualTo(204);
    Http.Response reset = graph.get(first.deltaLink());
    assertThat(reset.status()).isEqualTo(410);
    assertThat(reset.header("Location").orElseThrow()).isEqualTo(emulator.emulator.graphUrl() + "/v1.0/users/delta?$select=displayName");

    Round again = round(graph, reset.header("Location").orElseThrow());
    assertThat(again.items()).hasSize(10);
    clock.tick(Duration.ofDays(8));
    try {
      Http fresh = emulator.graph(emulator.token(tenant, "User.Read.All"));
      Http.Response expired = fresh.get(again.deltaLink());
      assertThat(expired.status()).isEqualTo(410);
    } finally {
      clock.tick(Duration.ofDays(-8));
    }
  }

  @Test
  void groupsDeltaReportsMembershipChangesInMembersDelta() {
    Tenant tenant = emulator.tenant("deltagroups", GraphTestEmulator.spec(40, 3, 5, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "Group.Read.All", "User.Read.All"));
    Http admin = emulator.adminGraph(tenant);
    Round first = round(graph, "groups/delta?$select=displayName,members");
    assertThat(first.items()).hasSize(3);
    JsonNode group = first.items().get(0);
    assertThat(group.path("members@delta")).hasSize(5);
    String groupId = group.path("id").asText();
    String removed = group.path("members@delta").get(0).path("id").asText();
    String outsider = null;
    for (JsonNode user : graph.get("users?$top=999").json().path("value")) {
      if (!group.path("members@delta").toString().contains(user.path("id").asText())) {
        outsider = user.path("id").asText();
        break;
      }
    }
    assertThat(admin.delete("groups/" + groupId + "/members/" + removed + "/$ref").status()).isEqualTo(204);
    assertThat(admin.post("groups/" + groupId + "/members/$ref", Map.of("@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/" + outsider)).status()).isEqualTo(204);

    Round second = round(graph, first.deltaLink());
    assertThat(second.items()).hasSize(1);
    JsonNode delta = second.items().get(0).path("members@delta");
    assertThat(delta).hasSize(2);
    assertThat(delta.findValuesAsText("id")).containsExactlyInAnyOrder(removed, outsider);
    for (JsonNode member : delta) {
      if (member.path("id").asText().equals(removed)) {
        assertThat(member.path("@removed").path("reason").asText()).isEqualTo("deleted");
      } else {
        assertThat(member.has("@removed")).isFalse();
      }
    }
  }

  @Test
  void aLargeGroupComesBackInSlicesOnConsecutivePagesThatMergeToAllMembers() {
    Tenant tenant = emulator.tenant("deltabiggroup", GraphTestEmulator.spec(1300, 2, 1200, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "Group.Read.All"));
    List<Integer> pageSizes = new ArrayList<>();
    List<JsonNode> items = new ArrayList<>();
    String next = "groups/delta?$select=displayName,members";
    String deltaLink = null;
    while (deltaLink == null) {
      JsonNode page = graph.get(next).json();
      pageSizes.add(page.path("value").size());
      page.path("value").forEach(items::add);
      next = page.path("@odata.nextLink").asText(null);
      deltaLink = page.path("@odata.deltaLink").asText(null);
    }
    String first = items.get(0).path("id").asText();
    List<JsonNode> slices = items.stream().filter(i -> i.path("id").asText().equals(first)).toList();
    assertThat(slices).hasSize(3);
    assertThat(slices.get(0).path("displayName").asText()).isNotEmpty();
    java.util.Set<String> members = new java.util.HashSet<>();
    slices.forEach(slice -> slice.path("members@delta").forEach(m -> members.add(m.path("id").asText())));
    assertThat(members).hasSize(1200);
    assertThat(items.stream().map(i -> i.path("id").asText()).distinct()).hasSize(2);
    assertThat(pageSizes.size()).isGreaterThanOrEqualTo(5);
    assertThat(round(graph, deltaLink).items()).isEmpty();
  }

  @Test
  void messageDeltaOfAFolderSeesNewMovedAndDeletedMessages() {
    Tenant tenant = emulator.tenant("deltamail", GraphTestEmulator.spec(3, 0, 0, 25, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "Mail.ReadWrite", "User.Read.All"));
    String user = graph.get("users?$top=1").json().path("value").get(0).path("id").asText();
    Round first = round(graph, "users/" + user + "/mailFolders('inbox')/messages/delta", "Prefer", "odata.maxpagesize=7");
    int inbox = graph.get("users/" + user + "/mailFolders/inbox").json().path("totalItemCount").asInt();
    assertThat(first.items()).hasSize(inbox);
    assertThat(first.items().get(0).path("@odata.type").asText()).isEqualTo("#microsoft.graph.message");
    assertThat(first.deltaLink()).contains("/mailfolders('inbox')/messages/delta?$deltatoken=".replace("mailfolders", "mailFolders"));

    String moved = first.items().get(0).path("id").asText();
    String deleted = first.items().get(1).path("id").asText();
    assertThat(graph.post("users/" + user + "/messages/" + moved + "/move", Map.of("destinationId", "archive")).status()).isEqualTo(201);
    assertThat(graph.delete("users/" + user + "/messages/" + deleted).status()).isEqualTo(204);
    String created = graph.post("users/" + user + "/mailFolders/inbox/messages", Map.of("subject", "Fresh")).json().path("id").asText();

    Round second = round(graph, first.deltaLink());
    assertThat(second.items()).hasSize(3);
    assertThat(second.items()).filteredOn(i -> i.has("@removed")).extracting(i -> i.path("id").asText()).containsExactlyInAnyOrder(moved, deleted);
    assertThat(second.items()).filteredOn(i -> !i.has("@removed")).singleElement()
        .satisfies(i -> assertThat(i.path("id").asText()).isEqualTo(created));
  }

  @Test
  void calendarViewDeltaKeepsItsWindowInTheToken() {
    Tenant tenant = emulator.tenant("deltaevents", GraphTestEmulator.spec(2, 0, 0, 0, 30, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "Calendars.ReadWrite", "User.Read.All"));
    String user = graph.get("users?$top=1").json().path("value").get(0).path("id").asText();
    Http.Response missing = graph.get("users/" + user + "/calendarView/delta");
    assertThat(missing.status()).isEqualTo(400);
    Round first = round(graph, "users/" + user + "/calendarView/delta?startDateTime=2025-03-14T00:00:00Z&endDateTime=2025-04-14T00:00:00Z");
    assertThat(first.items()).isNotEmpty().hasSizeLessThan(30);
    String inWindow = first.items().get(0).path("id").asText();
    graph.patch("users/" + user + "/events/" + inWindow, Map.of("subject", "Moved", "start", Map.of("dateTime", "2025-06-01T09:00:00", "timeZone", "UTC"),
        "end", Map.of("dateTime", "2025-06-01T10:00:00", "timeZone", "UTC")));
    graph.post("users/" + user + "/events", Map.of("subject", "Planning", "start", Map.of("dateTime", "2025-03-20T09:00:00", "timeZone", "UTC"),
        "end", Map.of("dateTime", "2025-03-20T10:00:00", "timeZone", "UTC")));
    Round second = round(graph, first.deltaLink());
    assertThat(second.items()).hasSize(2);
    assertThat(second.items()).filteredOn(i -> i.has("@removed")).singleElement().satisfies(i -> assertThat(i.path("id").asText()).isEqualTo(inWindow));
    assertThat(second.items()).filteredOn(i -> !i.has("@removed")).singleElement().satisfies(i -> assertThat(i.path("subject").asText()).isEqualTo("Planning"));
  }

  @Test
  void calendarViewDeltaLatestNeedsAWindowAndThenStartsFromNow() {
    Tenant tenant = emulator.tenant("deltaeventslatest", GraphTestEmulator.spec(2, 0, 0, 0, 10, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "Calendars.ReadWrite", "User.Read.All"));
    String user = graph.get("users?$top=1").json().path("value").get(0).path("id").asText();
    Http.Response withoutWindow = graph.get("users/" + user + "/calendarView/delta?$deltatoken=latest");
    assertThat(withoutWindow.status()).isEqualTo(400);
    assertThat(withoutWindow.errorCode()).isEqualTo("ErrorInvalidParameter");

    Round latest = round(graph, "users/" + user + "/calendarView/delta?startDateTime=2025-03-14T00:00:00Z&endDateTime=2025-04-14T00:00:00Z&$deltatoken=latest");
    assertThat(latest.items()).isEmpty();
    graph.post("users/" + user + "/events", Map.of("subject", "Review", "start", Map.of("dateTime", "2025-03-20T09:00:00", "timeZone", "UTC"),
        "end", Map.of("dateTime", "2025-03-20T10:00:00", "timeZone", "UTC")));
    assertThat(round(graph, latest.deltaLink()).items()).singleElement().satisfies(i -> assertThat(i.path("subject").asText()).isEqualTo("Review"));
  }

  @Test
  void driveDeltaMarksDeletedItemsWithTheDeletedFacet() {
    Tenant tenant = emulator.tenant("deltadrive", GraphTestEmulator.spec(2, 0, 0, 0, 0, 20, 1));
    Http graph = emulator.graph(emulator.token(tenant, "Files.ReadWrite.All", "User.Read.All"));
    String user = graph.get("users?$top=1").json().path("value").get(0).path("id").asText();
    Round first = round(graph, "users/" + user + "/drive/root/delta?$top=8");
    assertThat(first.items()).hasSize(21);
    assertThat(first.deltaLink()).contains("/drive/root/delta?token=");
    String file = first.items().stream().filter(i -> i.has("file")).findFirst().orElseThrow().path("id").asText();
    assertThat(graph.delete("users/" + user + "/drive/items/" + file).status()).isEqualTo(204);
    assertThat(graph.put("users/" + user + "/drive/root:/notes/new.txt:/content".replace("/notes", ""), "hello".getBytes()).status()).isEqualTo(201);
    Round second = round(graph, first.deltaLink());
    assertThat(second.items()).hasSize(2);
    assertThat(second.items()).filteredOn(i -> i.has("deleted")).singleElement().satisfies(i -> assertThat(i.path("id").asText()).isEqualTo(file));
    String driveId = graph.get("users/" + user + "/drive").json().path("id").asText();
    Round latest = round(graph, "drives/" + driveId + "/root/delta(token='latest')");
    assertThat(latest.items()).isEmpty();
    Http.Response gone = graph.get("drives/" + driveId + "/root/delta?token=garbage");
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.errorCode()).isEqualTo("resyncChangesApplyDifferences");
  }
}

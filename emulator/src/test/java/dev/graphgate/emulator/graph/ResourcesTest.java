package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.Http;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mail, calendar, files and sites, and the permission each family needs. */
class ResourcesTest {

  static GraphTestEmulator emulator;
  static Tenant tenant;
  static Http graph;
  static String alice;
  static String bob;
  static String bobUpn;

  @BeforeAll
  static void start() {
    emulator = GraphTestEmulator.start();
    tenant = emulator.tenant("fabrikam", GraphTestEmulator.spec(20, 2, 5, 23, 40, 30, 4));
    graph = emulator.graph(emulator.token(tenant, "User.Read.All", "Organization.Read.All", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite",
        "Files.ReadWrite.All", "Sites.Read.All"));
    JsonNode users = graph.get("users?$top=2").json().path("value");
    alice = users.get(0).path("id").asText();
    bob = users.get(1).path("id").asText();
    bobUpn = users.get(1).path("userPrincipalName").asText();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void eachFamilyRefusesAMissingPermissionInItsOwnWords() {
    Http none = emulator.graph(emulator.token(tenant));
    assertThat(none.get("users").errorCode()).isEqualTo("Authorization_RequestDenied");
    assertThat(none.get("users/" + alice + "/messages").errorCode()).isEqualTo("ErrorAccessDenied");
    assertThat(none.get("users/" + alice + "/events").errorCode()).isEqualTo("ErrorAccessDenied");
    Http.Response files = none.get("users/" + alice + "/drive/root/children");
    assertThat(files.status()).isEqualTo(403);
    assertThat(files.errorCode()).isEqualTo("AccessDenied");
    assertThat(files.json().path("error").path("message").asText()).isEqualTo("Either scp or roles claim need to be present in the token.");
    assertThat(none.get("sites/root").errorCode()).isEqualTo("AccessDenied");
    Http mailOnly = emulator.graph(emulator.token(tenant, "Mail.Read"));
    assertThat(mailOnly.get("groups").status()).isEqualTo(403);
    assertThat(mailOnly.post("users/" + alice + "/sendMail", Map.of("message", Map.of())).errorCode()).isEqualTo("ErrorAccessDenied");
  }

  @Test
  void missingOrBadTokensAreRefusedWithWwwAuthenticate() {
    Http.Response anonymous = emulator.graph(null).get("users", "client-request-id", "my-correlation");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.errorCode()).isEqualTo("InvalidAuthenticationToken");
    assertThat(anonymous.header("WWW-Authenticate").orElseThrow()).startsWith("Bearer realm=\"\"");
    assertThat(anonymous.header("client-request-id")).contains("my-correlation");
    assertThat(anonymous.json().path("error").path("innerError").path("client-request-id").asText()).isEqualTo("my-correlation");
    assertThat(emulator.graph("not.a.token").get("users").status()).isEqualTo(401);
    try (GraphTestEmulator other = GraphTestEmulator.start()) {
      Tenant otherTenant = other.tenant("fabrikam", GraphTestEmulator.spec(1, 0, 0, 0, 0, 0, 1));
      String foreign = other.token(otherTenant, "User.Read.All");
      assertThat(emulator.graph(foreign).get("users").json().path("error").path("message").asText()).contains("signature");
    }
  }

  @Test
  void headIsGetWithoutTheBody() {
    Http.Response anonymous = emulator.graph(null).send("HEAD", "users", null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).isPresent();
    assertThat(emulator.graph(emulator.token(tenant)).send("HEAD", "users", null).status()).isEqualTo(403);
    assertThat(graph.send("HEAD", "nothing", null).status()).isEqualTo(400);

    Http.Response get = graph.get("users/" + alice + "?$select=id");
    Http.Response head = graph.send("HEAD", "users/" + alice + "?$select=id", null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.bytes()).isEmpty();
    assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
    assertThat(head.header("request-id")).isPresent();
  }

  @Test
  void betaServesTheSameResources() {
    Http beta = Http.at(emulator.emulator.graphUrl() + "/beta/", emulator.token(tenant, "User.Read.All"));
    Http.Response reply = beta.get("users/" + alice + "?$select=id");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("@odata.context").asText()).contains("/beta/$metadata#users");
  }

  @Test
  void appOnlyTokensCannotUseMe() {
    Http.Response reply = graph.get("me/messages");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error").path("message").asText()).isEqualTo("/me request is only valid with delegated authentication flow.");
  }

  @Test
  void mailReadBasicSeesNoBodies() {
    Http basic = emulator.graph(emulator.token(tenant, "Mail.ReadBasic.All"));
    JsonNode message = basic.get("users/" + alice + "/messages?$top=1").json().path("value").get(0);
    assertThat(message.has("subject")).isTrue();
    assertThat(message.has("body")).isFalse();
    assertThat(message.has("bodyPreview")).isFalse();
  }

  @Test
  void messagesPageWithSkipNewestFirst() {
    JsonNode first = graph.get("users/" + alice + "/messages").json();
    assertThat(first.path("value")).hasSize(10);
    assertThat(first.path("@odata.nextLink").asText()).contains("$skip=10");
    JsonNode third = graph.get(graph.get(first.path("@odata.nextLink").asText()).json().path("@odata.nextLink").asText()).json();
    assertThat(third.path("value")).hasSize(3);
    assertThat(third.has("@odata.nextLink")).isFalse();
    String newest = first.path("value").get(0).path("receivedDateTime").asText();
    assertThat(newest.compareTo(first.path("value").get(9).path("receivedDateTime").asText())).isPositive();
    JsonNode filtered = graph.get("users/" + alice + "/messages?$filter=isRead eq false&$count=true&$top=100").json();
    assertThat(filtered.path("@odata.count").asInt()).isEqualTo(filtered.path("value").size());
    filtered.path("value").forEach(m -> assertThat(m.path("isRead").asBoolean()).isFalse());
  }

  @Test
  void messagesSortedBySubjectPageWithSkipInThatOrder() {
    java.util.List<String> subjects = new java.util.ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    JsonNode page = graph.get("users/" + alice + "/messages?$orderby=subject desc&$select=subject&$top=7&$count=true").json();
    long count = page.path("@odata.count").asLong();
    while (true) {
      page.path("value").forEach(m -> {
        subjects.add(m.path("subject").asText());
        ids.add(m.path("id").asText());
      });
      if (!page.has("@odata.nextLink")) {
        break;
      }
      assertThat(page.path("@odata.nextLink").asText()).contains("$skip=");
      page = graph.get(page.path("@odata.nextLink").asText()).json();
    }
    assertThat(subjects).hasSize((int) count).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER.reversed());
    assertThat(ids).hasSize((int) count);
  }

  @Test
  void mailFoldersAreAddressedByIdByWellKnownNameAndByKeySyntax() {
    JsonNode folders = graph.get("users/" + alice + "/mailFolders").json().path("value");
    assertThat(folders.findValuesAsText("displayName")).contains("Inbox", "Sent Items", "Drafts", "Deleted Items", "Archive");
    String inboxId = folders.get(0).path("id").asText();
    int total = folders.get(0).path("totalItemCount").asInt();
    assertThat(graph.get("users/" + alice + "/mailFolders/" + inboxId + "/messages?$top=100").json().path("value")).hasSize(total);
    assertThat(graph.get("users/" + alice + "/mailfolders('Inbox')/messages?$top=100").json().path("value")).hasSize(total);
    assertThat(graph.get("users/" + alice + "/mailFolders/nonsense").status()).isEqualTo(404);
    int inAllFolders = 0;
    for (JsonNode folder : folders) {
      inAllFolders += folder.path("totalItemCount").asInt();
      JsonNode alone = graph.get("users/" + alice + "/mailFolders/" + folder.path("id").asText()).json();
      assertThat(alone.path("totalItemCount").asInt()).isEqualTo(folder.path("totalItemCount").asInt());
      assertThat(alone.path("unreadItemCount").asInt()).isEqualTo(folder.path("unreadItemCount").asInt());
    }
    assertThat(inAllFolders).isEqualTo(graph.get("users/" + alice + "/messages?$count=true&$top=1").json().path("@odata.count").asInt());
  }

  @Test
  void sendMailDeliversToInternalRecipientsAndKeepsASentCopy() {
    int before = graph.get("users/" + bob + "/mailFolders/inbox").json().path("totalItemCount").asInt();
    Http.Response sent = graph.post("users/" + alice + "/sendMail", Map.of("message", Map.of("subject", "Lunch?",
        "body", Map.of("contentType", "Text", "content", "Noon at the cafeteria."),
        "toRecipients", java.util.List.of(Map.of("emailAddress", Map.of("address", bobUpn.toUpperCase())),
            Map.of("emailAddress", Map.of("address", "someone@example.com"))))));
    assertThat(sent.status()).isEqualTo(202);
    assertThat(graph.get("users/" + bob + "/mailFolders/inbox").json().path("totalItemCount").asInt()).isEqualTo(before + 1);
    JsonNode received = graph.get("users/" + bob + "/mailFolders/inbox/messages?$filter=subject eq 'Lunch?'").json().path("value").get(0);
    assertThat(received.path("isRead").asBoolean()).isFalse();
    assertThat(received.path("bodyPreview").asText()).isEqualTo("Noon at the cafeteria.");
    assertThat(graph.get("users/" + alice + "/mailFolders/sentitems/messages?$filter=subject eq 'Lunch?'").json().path("value")).hasSize(1);
    assertThat(graph.post("users/" + alice + "/sendMail", Map.of("message", Map.of("subject", "nobody"))).errorCode()).isEqualTo("ErrorInvalidRecipients");
  }

  @Test
  void messagesAreCreatedUpdatedAndDeleted() {
    Http.Response draft = graph.post("users/" + alice + "/messages", Map.of("subject", "Draft plan"));
    assertThat(draft.status()).isEqualTo(201);
    assertThat(draft.json().path("isDraft").asBoolean()).isTrue();
    String id = draft.json().path("id").asText();
    Http.Response patched = graph.patch("users/" + alice + "/messages/" + id, Map.of("subject", "Final plan", "isRead", true));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().path("subject").asText()).isEqualTo("Final plan");
    assertThat(patched.json().path("@odata.etag").asText()).isNotEqualTo(draft.json().path("@odata.etag").asText());
    assertThat(graph.delete("users/" + alice + "/messages/" + id).status()).isEqualTo(204);
    assertThat(graph.get("users/" + alice + "/messages/" + id).errorCode()).isEqualTo("ErrorItemNotFound");
    assertThat(graph.get("users/nobody@fabrikam.onmicrosoft.com/messages").errorCode()).isEqualTo("ErrorInvalidUser");
  }

  @Test
  void calendarViewReturnsTheEventsOverlappingItsWindow() {
    assertThat(graph.get("users/" + alice + "/calendarView").errorCode()).isEqualTo("ErrorInvalidParameter");
    JsonNode week = graph.get("users/" + alice + "/calendarView?startDateTime=2025-03-10T00:00:00Z&endDateTime=2025-03-17T00:00:00Z&$top=100").json().path("value");
    assertThat(week).isNotEmpty();
    week.forEach(e -> {
      assertThat(e.path("start").path("dateTime").asText().compareTo("2025-03-17")).isNegative();
      assertThat(e.path("end").path("dateTime").asText().compareTo("2025-03-10")).isPositive();
    });
    JsonNode all = graph.get("users/" + alice + "/events?$top=100").json().path("value");
    assertThat(all).hasSize(40);
    assertThat(graph.get("users/" + alice + "/calendar").json().path("isDefaultCalendar").asBoolean()).isTrue();
  }

  @Test
  void eventsAreCreatedInTheirTimeZoneAndReturnedInUtc() {
    Http.Response created = graph.post("users/" + alice + "/events", Map.of("subject", "Standup",
        "start", Map.of("dateTime", "2025-03-20T09:00:00", "timeZone", "Europe/Paris"),
        "end", Map.of("dateTime", "2025-03-20T09:15:00", "timeZone", "Europe/Paris")));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("start").path("dateTime").asText()).isEqualTo("2025-03-20T08:00:00.0000000");
    String id = created.json().path("id").asText();
    assertThat(graph.patch("users/" + alice + "/events/" + id, Map.of("subject", "Daily standup")).json().path("subject").asText()).isEqualTo("Daily standup");
    assertThat(graph.delete("users/" + alice + "/calendar/events/" + id).status()).isEqualTo(204);
    assertThat(graph.get("users/" + alice + "/events/" + id).status()).isEqualTo(404);
  }

  @Test
  void driveItemsAreListedByIdAndByPathAndDownloadedDeterministically() throws Exception {
    JsonNode drive = graph.get("users/" + alice + "/drive").json();
    assertThat(drive.path("driveType").asText()).isEqualTo("business");
    String driveId = drive.path("id").asText();
    JsonNode children = graph.get("drives/" + driveId + "/root/children").json().path("value");
    assertThat(children).isNotEmpty();
    JsonNode folder = null;
    for (JsonNode child : children) {
      if (child.has("folder") && child.path("folder").path("childCount").asInt() > 0) {
        folder = child;
        break;
      }
    }
    assertThat(folder).isNotNull();
    JsonNode inFolder = graph.get("drives/" + driveId + "/root:/" + folder.path("name").asText() + ":/children").json().path("value");
    assertThat(inFolder).hasSize(folder.path("folder").path("childCount").asInt());
    JsonNode file = inFolder.get(0);
    Http.Response content = graph.get("drives/" + driveId + "/items/" + file.path("id").asText() + "/content");
    assertThat(content.status()).isEqualTo(200);
    assertThat((long) content.bytes().length).isEqualTo(file.path("size").asLong());
    Http.Response again = graph.get("users/" + alice + "/drive/root:/" + folder.path("name").asText() + "/" + file.path("name").asText() + ":/content");
    assertThat(sha256(again.bytes())).isEqualTo(sha256(content.bytes()));
  }

  @Test
  void largeFilesStreamAndServeByteRanges() throws Exception {
    Http admin = emulator.adminGraph(tenant);
    String driveId = graph.get("users/" + bob + "/drive").json().path("id").asText();
    long size = 64L * 1024 * 1024 + 17;
    Http.Response created = admin.post("drives/" + driveId + "/root/children", Map.of("name", "big.bin", "file", Map.of(), "size", size));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().path("id").asText();
    Http.Response whole = graph.get("drives/" + driveId + "/items/" + id + "/content");
    assertThat((long) whole.bytes().length).isEqualTo(size);
    Http.Response range = graph.get("drives/" + driveId + "/items/" + id + "/content", "Range", "bytes=100000-100099");
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.header("Content-Range")).contains("bytes 100000-100099/" + size);
    assertThat(range.bytes()).isEqualTo(java.util.Arrays.copyOfRange(whole.bytes(), 100000, 100100));
    assertThat(graph.get("drives/" + driveId + "/items/" + id + "/content", "Range", "bytes=" + size + "-").status()).isEqualTo(416);
  }

  @Test
  void rangePositionsTooLargeForALongMeanTheEndOfTheFile() {
    Http.Response uploaded = graph.put("users/" + alice + "/drive/root:/ranges.txt:/content", "0123456789".getBytes());
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    String content = "users/" + alice + "/drive/items/" + uploaded.json().path("id").asText() + "/content";
    String huge = "99999999999999999999";

    Http.Response toTheEnd = graph.get(content, "Range", "bytes=4-" + huge);
    assertThat(toTheEnd.status()).isEqualTo(206);
    assertThat(toTheEnd.body()).isEqualTo("456789");
    assertThat(toTheEnd.header("Content-Range")).contains("bytes 4-9/10");
    assertThat(graph.get(content, "Range", "bytes=-" + huge).body()).isEqualTo("0123456789");
    Http.Response pastTheEnd = graph.get(content, "Range", "bytes=" + huge + "-");
    assertThat(pastTheEnd.status()).isEqualTo(416);
    assertThat(pastTheEnd.errorCode()).isEqualTo("invalidRange");
  }

  @Test
  void smallFilesAreUploadedByPutAndFoldersCreatedRenamedAndDeleted() {
    Http.Response folder = graph.post("users/" + bob + "/drive/root/children", Map.of("name", "Reports", "folder", Map.of()));
    assertThat(folder.status()).isEqualTo(201);
    assertThat(graph.post("users/" + bob + "/drive/root/children", Map.of("name", "Reports", "folder", Map.of())).status()).isEqualTo(409);
    String folderId = folder.json().path("id").asText();
    Http.Response uploaded = graph.put("users/" + bob + "/drive/items/" + folderId + ":/q1.txt:/content", "first quarter".getBytes());
    assertThat(uploaded.status()).isEqualTo(201);
    assertThat(uploaded.json().path("size").asLong()).isEqualTo(13);
    Http.Response replaced = graph.put("users/" + bob + "/drive/root:/Reports/q1.txt:/content", "Q1".getBytes());
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(graph.get("users/" + bob + "/drive/root:/Reports/q1.txt:/content").body()).isEqualTo("Q1");
    String fileId = uploaded.json().path("id").asText();
    assertThat(graph.patch("users/" + bob + "/drive/items/" + fileId, Map.of("name", "quarter1.txt")).json().path("name").asText()).isEqualTo("quarter1.txt");
    assertThat(graph.get("users/" + bob + "/drive/items/" + folderId).json().path("folder").path("childCount").asInt()).isEqualTo(1);
    assertThat(graph.delete("users/" + bob + "/drive/items/" + folderId).status()).isEqualTo(204);
    assertThat(graph.get("users/" + bob + "/drive/items/" + fileId).status()).isEqualTo(404);
    byte[] threeMegabytes = new byte[3 * 1024 * 1024];
    threeMegabytes[threeMegabytes.length - 1] = 7;
    Http.Response large = graph.put("users/" + bob + "/drive/root:/large.bin:/content", threeMegabytes);
    assertThat(large.status()).as(large.body()).isEqualTo(201);
    assertThat(graph.get("users/" + bob + "/drive/root:/large.bin:/content").bytes()).isEqualTo(threeMegabytes);
    Http.Response tooBig = graph.put("users/" + bob + "/drive/root:/huge.bin:/content", new byte[5 * 1024 * 1024]);
    assertThat(tooBig.status()).isEqualTo(413);
  }

  @Test
  void sitesAreFoundBySearchByIdAndByPathWithTheirLibraries() {
    JsonNode all = graph.get("sites?search=*").json().path("value");
    assertThat(all).hasSize(4);
    JsonNode root = graph.get("sites/root").json();
    assertThat(root.path("webUrl").asText()).isEqualTo("https://fabrikam.sharepoint.com");
    assertThat(root.path("id").asText()).startsWith("fabrikam.sharepoint.com,");
    JsonNode team = all.get(1);
    assertThat(graph.get("sites?search=" + team.path("name").asText().toLowerCase()).json().path("value").findValuesAsText("id")).contains(team.path("id").asText());
    assertThat(graph.get("sites/" + team.path("id").asText()).json().path("displayName").asText()).isEqualTo(team.path("displayName").asText());
    assertThat(graph.get("sites/fabrikam.sharepoint.com:/sites/" + team.path("name").asText().toLowerCase()).json().path("id").asText()).isEqualTo(team.path("id").asText());
    JsonNode drives = graph.get("sites/" + team.path("id").asText() + "/drives").json().path("value");
    assertThat(drives.get(0).path("driveType").asText()).isEqualTo("documentLibrary");
    assertThat(graph.get("sites/" + team.path("id").asText() + "/drive/root/children").json().path("value")).isNotEmpty();
    assertThat(graph.get("sites/nowhere.sharepoint.com,00000000-0000-4000-8000-000000000000,00000000-0000-4000-8000-000000000000").status()).isEqualTo(404);
  }

  @Test
  void siteIdsMadeOfCommasAreNotFound() {
    for (String id : new String[] {",", ",,,", "a,"}) {
      Http.Response reply = graph.get("sites/" + id);
      assertThat(reply.status()).as(id + ": " + reply.body()).isEqualTo(404);
      assertThat(reply.errorCode()).isEqualTo("itemNotFound");
    }
  }

  @Test
  void anUploadPathThatNamesNoFileIsRefused() {
    Http.Response reply = graph.put("users/" + alice + "/drive/root:/:/content", "x".getBytes());
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("invalidRequest");
  }

  @Test
  void everyAnswerCarriesRequestIdsAndIsCountedInStats() {
    Http.Response reply = graph.get("organization", "client-request-id", "abc-123");
    assertThat(reply.header("request-id")).isPresent();
    assertThat(reply.header("client-request-id")).contains("abc-123");
    JsonNode stats = emulator.admin().get("stats").json().path("graphRequests");
    assertThat(stats.path("byFamily").path("organization").path("200").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(graph.get("nonsense").json().path("error").path("message").asText()).isEqualTo("Resource not found for the segment 'nonsense'.");
  }

  @Test
  void theAdminPassThroughAnswersABadlyEncodedQueryWithGraphs400() throws Exception {
    java.net.URI login = emulator.emulator.loginUrl();
    String request = "GET /_emulator/tenants/" + tenant.id() + "/graph/v1.0/users?$filter=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    String raw;
    try (java.net.Socket socket = new java.net.Socket(login.getHost(), login.getPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      raw = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(raw).startsWith("HTTP/1.1 400").contains("not correctly percent-encoded").contains("\"innerError\"");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}

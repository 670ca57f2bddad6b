package dev.graphgate.server.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-built actions end to end against the emulator's Graph over real HTTP: each action's effect is in the
 * emulator's ground truth; bad input, a missing permission and Graph's refusals are coded answers; a write Graph may
 * have applied is never sent twice. Subclasses pick the database.
 */
abstract class ActionsContract {
  @TempDir static Path dataDir;
  static ActionRig rig;
  static TestDatabase db;
  static JsonNode sender;
  static JsonNode recipient;

  static void startOn(TestDatabase database) {
    db = database;
    rig = ActionRig.start(dataDir, db);
    List<JsonNode> users = rig.groundTruthAll("/v1.0/users?$select=id,mail,userPrincipalName,displayName");
    sender = users.get(0);
    recipient = users.get(1);
  }

  @AfterAll
  static void stop() {
    try {
      if (rig != null) {
        rig.close();
      }
    } finally {
      db.close();
    }
  }

  @BeforeEach
  void countFromZero() {
    rig.emulator.resetStats();
  }

  @AfterEach
  void noFaults() {
    rig.emulator.faults(null);
    rig.emulator.throttling(null);
  }

  @Test
  void sendMailDeliversToTheRecipientsInboxAndKeepsACopyInSentItems() {
    String subject = "Quarterly numbers " + UUID.randomUUID();
    ApiClient.Response r = rig.trigger("send-mail", input("userId", sender.path("id").asText(), "subject", subject, "body", "<p>See attached</p>",
        "bodyType", "html").set("to", Json.MAPPER.valueToTree(List.of(recipient.path("mail").asText()))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("sent").asBoolean()).isTrue();
    assertThat(rig.graphRequests()).isEqualTo(1);

    List<JsonNode> inbox = messagesWithSubject(recipient.path("id").asText(), "inbox", subject);
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).path("from").path("emailAddress").path("address").asText()).isEqualTo(sender.path("mail").asText());
    assertThat(inbox.get(0).path("body").path("contentType").asText()).isEqualTo("html");
    assertThat(inbox.get(0).path("body").path("content").asText()).isEqualTo("<p>See attached</p>");
    assertThat(messagesWithSubject(sender.path("id").asText(), "sentitems", subject)).hasSize(1);
  }

  @Test
  void createEventPutsTheEventInTheUsersCalendar() {
    ObjectNode in = input("userId", sender.path("userPrincipalName").asText(), "subject", "Planning", "start", "2025-04-01T09:30:00",
        "end", "2025-04-01T10:00:00", "timeZone", "Europe/Paris", "location", "Room 4", "body", "Agenda");
    in.set("attendees", Json.MAPPER.valueToTree(List.of(recipient.path("mail").asText())));
    ApiClient.Response r = rig.trigger("create-event", in);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String id = r.json().path("id").asText();
    assertThat(id).isNotEmpty();
    assertThat(r.json().path("subject").asText()).isEqualTo("Planning");

    JsonNode event = rig.expect(rig.groundTruth("/v1.0/users/" + sender.path("id").asText() + "/events/" + id), 200).json();
    assertThat(event.path("subject").asText()).isEqualTo("Planning");
    // 09:30 in Paris on 1 April 2025 (summer time, UTC+2) is 07:30 UTC.
    assertThat(event.path("start").path("dateTime").asText()).startsWith("2025-04-01T07:30:00");
    assertThat(event.path("end").path("dateTime").asText()).startsWith("2025-04-01T08:00:00");
    assertThat(event.path("location").path("displayName").asText()).isEqualTo("Room 4");
    assertThat(event.path("attendees").findValuesAsText("address")).containsExactly(recipient.path("mail").asText());
    assertThat(r.json().path("start")).isEqualTo(event.path("start"));
  }

  @Test
  void createUserAddsTheUserToTheDirectoryAndNeverEchoesThePassword() {
    String upn = "new.hire." + UUID.randomUUID().toString().substring(0, 8) + "@contoso.onmicrosoft.com";
    ApiClient.Response r = rig.trigger("create-user", input("displayName", "New Hire", "userPrincipalName", upn, "password", "Str0ng-Secret-Pass!",
        "jobTitle", "Analyst", "usageLocation", "fr"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("Str0ng-Secret-Pass!");
    String id = r.json().path("id").asText();
    JsonNode user = rig.expect(rig.groundTruth("/v1.0/users/" + id + "?$select=id,displayName,userPrincipalName,jobTitle,mailNickname,accountEnabled,usageLocation"), 200).json();
    assertThat(user.path("userPrincipalName").asText()).isEqualTo(upn);
    assertThat(user.path("displayName").asText()).isEqualTo("New Hire");
    assertThat(user.path("jobTitle").asText()).isEqualTo("Analyst");
    assertThat(user.path("mailNickname").asText()).isEqualTo(upn.substring(0, upn.indexOf('@')));
    assertThat(user.path("accountEnabled").asBoolean()).isTrue();
    assertThat(user.path("usageLocation").asText()).isEqualTo("FR");
    assertThat(r.json().path("userPrincipalName").asText()).isEqualTo(upn);

    // The same name again: Graph's 400 with Graph's code and message.
    ApiClient.Response again = rig.trigger("create-user", input("displayName", "New Hire", "userPrincipalName", upn, "password", "Str0ng-Secret-Pass!"));
    assertThat(again.status()).as(again.body()).isEqualTo(400);
    assertThat(again.code()).isEqualTo("action_failed");
    JsonNode upstream = again.json().path("error").path("payload").path("upstream");
    assertThat(upstream.path("status").asInt()).isEqualTo(400);
    assertThat(upstream.path("code").asText()).isEqualTo("Request_BadRequest");
    assertThat(upstream.path("message").asText()).contains("userPrincipalName already exists");
    assertThat(upstream.path("request_id").asText()).isNotEmpty();
    assertThat(again.json().path("error").path("message").asText()).contains("Request_BadRequest").contains("already exists");
    assertThat(again.body()).doesNotContain("Str0ng-Secret-Pass!");
  }

  @Test
  void addGroupMemberAddsTheUserToTheGroupsMembersAndTwiceIsGraphsError() {
    String group = rig.groundTruthAll("/v1.0/groups?$select=id").get(0).path("id").asText();
    List<String> before = rig.groundTruthAll("/v1.0/groups/" + group + "/members?$select=id").stream().map(m -> m.path("id").asText()).toList();
    String member = rig.groundTruthAll("/v1.0/users?$select=id").stream().map(u -> u.path("id").asText()).filter(id -> !before.contains(id))
        .findFirst().orElseThrow();
    ApiClient.Response r = rig.trigger("add-group-member", input("groupId", group, "memberId", member));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().toString()).isEqualTo("{\"groupId\":\"" + group + "\",\"memberId\":\"" + member + "\",\"added\":true}");
    List<String> after = rig.groundTruthAll("/v1.0/groups/" + group + "/members?$select=id").stream().map(m -> m.path("id").asText()).toList();
    assertThat(after).containsExactlyInAnyOrderElementsOf(concat(before, member));

    ApiClient.Response twice = rig.trigger("add-group-member", input("groupId", group, "memberId", member));
    assertThat(twice.status()).as(twice.body()).isEqualTo(400);
    assertThat(twice.json().path("error").path("payload").path("upstream").path("code").asText()).isEqualTo("Request_BadRequest");
    ApiClient.Response unknown = rig.trigger("add-group-member", input("groupId", group, "memberId", UUID.randomUUID().toString()));
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("action_failed");
    assertThat(unknown.json().path("error").path("payload").path("upstream").path("code").asText()).isEqualTo("Request_ResourceNotFound");
  }

  @Test
  void uploadFileWritesTextAndBinaryFilesIntoTheUsersDrive() {
    String user = sender.path("id").asText();
    String folder = "reports-" + UUID.randomUUID().toString().substring(0, 6);
    rig.expect(rig.graphAdmin("POST", "/v1.0/users/" + user + "/drive/root/children", "{\"name\":\"" + folder + "\",\"folder\":{}}"), 201);
    ApiClient.Response text = rig.trigger("upload-file", input("userId", user, "path", folder + "/Q1 summary.txt", "content", "Revenue up 4 %"));
    assertThat(text.status()).as(text.body()).isEqualTo(200);
    assertThat(text.json().path("name").asText()).isEqualTo("Q1 summary.txt");
    assertThat(text.json().path("size").asLong()).isEqualTo("Revenue up 4 %".getBytes(StandardCharsets.UTF_8).length);
    assertThat(rig.expect(rig.groundTruth("/v1.0/users/" + user + "/drive/root:/" + folder + "/Q1%20summary.txt:/content"), 200).body())
        .isEqualTo("Revenue up 4 %");

    byte[] bytes = new byte[3000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    ApiClient.Response binary = rig.trigger("upload-file", input("userId", user, "path", folder + "/data.bin", "content",
        Base64.getEncoder().encodeToString(bytes), "encoding", "base64", "contentType", "application/octet-stream"));
    assertThat(binary.status()).as(binary.body()).isEqualTo(200);
    JsonNode item = rig.expect(rig.groundTruth("/v1.0/users/" + user + "/drive/root:/" + folder + "/data.bin"), 200).json();
    assertThat(item.path("size").asLong()).isEqualTo(3000);
    assertThat(item.path("id").asText()).isEqualTo(binary.json().path("id").asText());

    ApiClient.Response missing = rig.trigger("upload-file", input("userId", user, "path", "no-such-folder/x.txt", "content", "x"));
    assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    assertThat(missing.json().path("error").path("payload").path("upstream").path("code").asText()).isEqualTo("itemNotFound");
  }

  @Test
  void everyInvalidInputIsACoded4xxAndNothingIsSentToGraph() {
    String user = sender.path("id").asText();
    String to = "[\"" + recipient.path("mail").asText() + "\"]";
    String mail = "\"userId\":\"" + user + "\",\"subject\":\"s\",\"body\":\"b\",\"to\":" + to;
    List<String[]> cases = List.of(
        // {body, expected code, a path the errors must name}
        new String[] {"{\"action_name\":\"send-mail\"}", "invalid_body", "input"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":[]}", "invalid_body", "input"},
        new String[] {"{\"input\":{}}", "invalid_body", "action_name"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{" + mail + "},\"extra\":1}", "invalid_body", ""},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{" + mail + ",\"priority\":\"high\"}}", "invalid_body", "input"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{\"userId\":\"" + user + "\",\"subject\":\"s\",\"body\":\"b\"}}", "invalid_body", "input.to"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{\"userId\":\"" + user + "\",\"subject\":\"s\",\"body\":\"b\",\"to\":[]}}", "invalid_body", "input.to"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{\"userId\":\"" + user + "\",\"subject\":\"s\",\"body\":\"b\",\"to\":[\"not-an-address\"]}}", "invalid_body", "input.to.0"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{\"userId\":\"" + user + "\",\"subject\":5,\"body\":\"b\",\"to\":" + to + "}}", "invalid_body", "input.subject"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{" + mail + ",\"bodyType\":\"rtf\"}}", "invalid_body", "input.bodyType"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{" + mail + ",\"saveToSentItems\":\"no\"}}", "invalid_body", "input.saveToSentItems"},
        new String[] {"{\"action_name\":\"send-mail\",\"input\":{\"userId\":\"../groups\",\"subject\":\"s\",\"body\":\"b\",\"to\":" + to + "}}", "invalid_body", "input.userId"},
        new String[] {"{\"action_name\":\"create-event\",\"input\":{\"userId\":\"" + user + "\",\"subject\":\"x\",\"start\":\"tomorrow\",\"end\":\"2025-04-01T10:00:00\"}}", "invalid_body", "input.start"},
        new String[] {"{\"action_name\":\"create-event\",\"input\":{\"userId\":\"" + user + "\",\"subject\":\"x\",\"start\":\"2025-04-01T10:00:00\",\"end\":\"2025-04-01T09:00:00\"}}", "invalid_body", "input.end"},
        new String[] {"{\"action_name\":\"create-event\",\"input\":{\"userId\":\"" + user + "\",\"subject\":\"x\",\"start\":\"2025-04-01T10:00:00Z\",\"end\":\"2025-04-01T11:00:00Z\",\"timeZone\":\"Europe/Paris\"}}", "invalid_body", "input.timeZone"},
        new String[] {"{\"action_name\":\"create-user\",\"input\":{\"displayName\":\"A\",\"userPrincipalName\":\"no-domain\",\"password\":\"p\"}}", "invalid_body", "input.userPrincipalName"},
        new String[] {"{\"action_name\":\"create-user\",\"input\":{\"displayName\":\"A\",\"userPrincipalName\":\"a@contoso.onmicrosoft.com\"}}", "invalid_body", "input.password"},
        new String[] {"{\"action_name\":\"create-user\",\"input\":{\"displayName\":\"A\",\"userPrincipalName\":\"a@contoso.onmicrosoft.com\",\"password\":\"p\",\"accountEnabled\":1}}", "invalid_body", "input.accountEnabled"},
        new String[] {"{\"action_name\":\"add-group-member\",\"input\":{\"groupId\":\"g\"}}", "invalid_body", "input.memberId"},
        new String[] {"{\"action_name\":\"add-group-member\",\"input\":{\"groupId\":\"g/members\",\"memberId\":\"m\"}}", "invalid_body", "input.groupId"},
        new String[] {"{\"action_name\":\"upload-file\",\"input\":{\"userId\":\"" + user + "\",\"path\":\"a/../b.txt\",\"content\":\"x\"}}", "invalid_body", "input.path"},
        new String[] {"{\"action_name\":\"upload-file\",\"input\":{\"userId\":\"" + user + "\",\"path\":\"a:b.txt\",\"content\":\"x\"}}", "invalid_body", "input.path"},
        new String[] {"{\"action_name\":\"upload-file\",\"input\":{\"userId\":\"" + user + "\",\"path\":\"b.bin\",\"content\":\"***\",\"encoding\":\"base64\"}}", "invalid_body", "input.content"},
        new String[] {"{\"action_name\":\"upload-file\",\"input\":{\"userId\":\"" + user + "\",\"path\":\"big.txt\",\"content\":\"" + "x".repeat(4 * 1024 * 1024 + 1) + "\"}}", "invalid_body", "input.content"},
        new String[] {"{\"action_name\":\"delete-everything\",\"input\":{}}", "not_found", null},
        new String[] {"not json", "invalid_json", null});
    for (String[] c : cases) {
      ApiClient.Response r = rig.trigger(ActionRig.CONNECTION, c[0]);
      String shown = c[0].length() > 200 ? c[0].substring(0, 200) : c[0];
      assertThat(r.status()).as(shown + " → " + r.body()).isBetween(400, 499);
      assertThat(r.code()).as(shown + " → " + r.body()).isEqualTo(c[1]);
      if (c[2] != null) {
        assertThat(r.json().path("error").path("errors").findValues("path").stream().map(ActionsContract::dotted).toList())
            .as(shown + " → " + r.body()).contains(c[2]);
      }
    }
    ApiClient.Response all = rig.trigger(ActionRig.CONNECTION, "{\"action_name\":\"send-mail\",\"input\":{\"userId\":\"" + user
        + "\",\"subject\":5,\"to\":[\"not-an-address\"],\"priority\":\"high\"}}");
    assertThat(all.json().path("error").path("errors").findValues("path").stream().map(ActionsContract::dotted).toList()).as(all.body())
        .containsExactlyInAnyOrder("input", "input.subject", "input.body", "input.to.0");
    String fine = "{\"action_name\":\"send-mail\",\"input\":{" + mail + "}}";
    ApiClient.Response noHeaders = rig.api().post("/action/trigger", fine);
    assertThat(noHeaders.status()).isEqualTo(400);
    assertThat(noHeaders.code()).isEqualTo("invalid_headers");
    ApiClient.Response async = rig.api().send(rig.api().json("POST", "/action/trigger", fine).header("Connection-Id", ActionRig.CONNECTION)
        .header("Provider-Config-Key", ActionRig.INTEGRATION).header("X-Async", "true"));
    assertThat(async.code()).as(async.body()).isEqualTo("invalid_headers");
    ApiClient.Response unknownConnection = rig.trigger("nobody", fine);
    assertThat(unknownConnection.status()).isEqualTo(400);
    assertThat(unknownConnection.code()).isEqualTo("unknown_connection");
    ApiClient.Response wrongType = rig.api().send(rig.api().request("/action/trigger").header("Content-Type", "text/plain")
        .header("Connection-Id", ActionRig.CONNECTION).header("Provider-Config-Key", ActionRig.INTEGRATION)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(fine)));
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(rig.graphRequests()).as("requests that reached Graph").isZero();
  }

  @Test
  void aTokenWithoutTheActionsPermissionIsPermissionMissingWithTheConsentLinkAndNothingIsSent() {
    ApiClient.Response r = rig.trigger(ActionRig.BARE_CONNECTION, "{\"action_name\":\"add-group-member\",\"input\":{\"groupId\":\"g\",\"memberId\":\"m\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("permission_missing");
    String message = r.json().path("error").path("message").asText();
    assertThat(message).contains("GroupMember.ReadWrite.All").contains("add-group-member").contains(ActionRig.BARE_TENANT_ID);
    String link = r.json().path("error").path("payload").path("admin_consent_url").asText();
    assertThat(link).contains("/adminconsent").contains(ActionRig.APP_ID);
    assertThat(message).contains(link);
    assertThat(rig.graphRequests()).isZero();
  }

  @Test
  void aConnectionWhoseSecretEntraRefusesAnswersWithItsStatusAndSendsNothing() {
    rig.connection("wrong-secret", ActionRig.TENANT_ID, "not-the-secret");
    ApiClient.Response r = rig.trigger("wrong-secret", "{\"action_name\":\"add-group-member\",\"input\":{\"groupId\":\"g\",\"memberId\":\"m\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_credentials");
    assertThat(r.json().path("error").path("payload").path("status").asText()).isEqualTo("invalid_credentials");
    assertThat(rig.graphRequests()).isZero();
  }

  @Test
  void aWriteGraphAnswered5xxOrDroppedIsNotSentAgain() {
    String group = rig.groundTruthAll("/v1.0/groups?$select=id").get(1).path("id").asText();
    List<String> members = rig.groundTruthAll("/v1.0/groups/" + group + "/members?$select=id").stream().map(m -> m.path("id").asText()).toList();
    String member = rig.groundTruthAll("/v1.0/users?$select=id").stream().map(u -> u.path("id").asText()).filter(id -> !members.contains(id))
        .findFirst().orElseThrow();
    String body = "{\"action_name\":\"add-group-member\",\"input\":{\"groupId\":\"" + group + "\",\"memberId\":\"" + member + "\"}}";
    for (String[] fault : List.of(new String[] {"SERVICE_UNAVAILABLE", "502", "action_failed"}, new String[] {"INTERNAL_SERVER_ERROR", "502", "action_failed"},
        new String[] {"GATEWAY_TIMEOUT", "502", "action_failed"}, new String[] {"CONNECTION_RESET", "502", "ECONNRESET"})) {
      rig.emulator.faults("{\"rates\":{\"" + fault[0] + "\":1.0},\"tenantId\":\"" + ActionRig.TENANT_ID + "\"}");
      rig.emulator.resetStats();
      ApiClient.Response r = rig.trigger(ActionRig.CONNECTION, body);
      assertThat(r.status()).as(fault[0] + ": " + r.body()).isEqualTo(Integer.parseInt(fault[1]));
      assertThat(r.code()).as(r.body()).isEqualTo(fault[2]);
      assertThat(rig.graphRequests()).as(fault[0] + ": requests that reached Graph").isEqualTo(1);
      if (fault[2].equals("action_failed")) {
        assertThat(r.json().path("error").path("message").asText()).contains("not sent again");
        assertThat(r.json().path("error").path("payload").path("upstream").path("status").asInt()).isBetween(500, 599);
      }
    }
    rig.emulator.faults(null);
    assertThat(rig.groundTruthAll("/v1.0/groups/" + group + "/members?$select=id")).hasSize(members.size());
  }

  @Test
  void aWriteThatTimedOutIsNotSentAgainAndGraphAppliedItOnce() {
    String subject = "Slow " + UUID.randomUUID();
    rig.emulator.faults("{\"rates\":{\"SLOW_RESPONSE\":1.0},\"slowResponseMillis\":" + (ActionRig.TIMEOUT.toMillis() + 2000) + ",\"tenantId\":\""
        + ActionRig.TENANT_ID + "\"}");
    ApiClient.Response r = rig.trigger("send-mail", input("userId", sender.path("id").asText(), "subject", subject, "body", "b")
        .set("to", Json.MAPPER.valueToTree(List.of(recipient.path("mail").asText()))));
    assertThat(r.status()).as(r.body()).isEqualTo(504);
    assertThat(r.code()).isEqualTo("ETIMEDOUT");
    assertThat(r.json().path("error").path("message").asText()).contains("may have been processed");
    // The emulator applies the write once its delay is over: exactly one message, never two.
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> messagesWithSubject(recipient.path("id").asText(), "inbox", subject).size() == 1);
    assertThat(rig.graphRequests()).isEqualTo(1);
    assertThat(messagesWithSubject(recipient.path("id").asText(), "inbox", subject)).hasSize(1);
  }

  @Test
  void aThrottledWriteIsSentAgainAfterRetryAfterAndAppliedOnce() {
    String subject = "Throttled " + UUID.randomUUID();
    rig.emulator.throttling("{\"appTenant\":{\"requests\":1,\"windowSeconds\":2}}");
    // One request uses the window's budget, so the action's first attempt is answered 429.
    rig.api().send(rig.api().request("/proxy/v1.0/organization").header("Connection-Id", ActionRig.CONNECTION)
        .header("Provider-Config-Key", ActionRig.INTEGRATION).GET());
    ApiClient.Response r = rig.trigger("send-mail", input("userId", sender.path("id").asText(), "subject", subject, "body", "b")
        .set("to", Json.MAPPER.valueToTree(List.of(recipient.path("mail").asText()))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(rig.emulator.graphAnswers(429)).isGreaterThanOrEqualTo(1);
    assertThat(rig.emulator.graphAnswers(202)).isEqualTo(1);
    rig.emulator.throttling(null);
    assertThat(messagesWithSubject(recipient.path("id").asText(), "inbox", subject)).hasSize(1);
  }

  private static List<JsonNode> messagesWithSubject(String user, String folder, String subject) {
    return rig.groundTruthAll("/v1.0/users/" + user + "/mailFolders('" + folder + "')/messages?$select=subject,from,body&$top=100").stream()
        .filter(m -> m.path("subject").asText().equals(subject)).toList();
  }

  private static ObjectNode input(String... pairs) {
    ObjectNode n = Json.object();
    for (int i = 0; i < pairs.length; i += 2) {
      n.put(pairs[i], pairs[i + 1]);
    }
    return n;
  }

  private static List<String> concat(List<String> list, String one) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(one);
    return all;
  }

  private static String dotted(JsonNode path) {
    List<String> parts = new java.util.ArrayList<>();
    path.forEach(p -> parts.add(p.asText()));
    return String.join(".", parts);
  }
}

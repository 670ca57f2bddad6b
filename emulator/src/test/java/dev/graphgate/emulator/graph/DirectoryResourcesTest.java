package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.Http;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DirectoryResourcesTest {

  static GraphTestEmulator emulator;
  static Tenant tenant;
  static Http graph;

  @BeforeAll
  static void start() {
    emulator = GraphTestEmulator.start();
    tenant = emulator.tenant("contoso", GraphTestEmulator.spec(250, 30, 120, 0, 0, 0, 1));
    graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All", "Group.ReadWrite.All", "Directory.Read.All", "Application.Read.All"));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void listingUsersPagesByHundredWithNextLinksBackToTheEmulator() {
    Http.Response first = graph.get("users");
    assertThat(first.status()).isEqualTo(200);
    JsonNode body = first.json();
    assertThat(body.path("@odata.context").asText()).isEqualTo(emulator.emulator.graphUrl() + "/v1.0/$metadata#users");
    assertThat(body.path("value")).hasSize(100);
    assertThat(body.path("value").get(0).fieldNames()).toIterable()
        .containsExactlyInAnyOrder("businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
            "preferredLanguage", "surname", "userPrincipalName", "id");
    Set<String> ids = new HashSet<>();
    String next = body.path("@odata.nextLink").asText();
    body.path("value").forEach(u -> ids.add(u.path("id").asText()));
    int pages = 1;
    while (!next.isEmpty()) {
      assertThat(next).startsWith(emulator.emulator.graphUrl() + "/v1.0/users?").contains("$skiptoken=");
      JsonNode page = graph.get(next).json();
      page.path("value").forEach(u -> ids.add(u.path("id").asText()));
      next = page.path("@odata.nextLink").asText();
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(ids).hasSize(250);
  }

  @Test
  void topAboveTheDirectoryMaximumIsRefused() {
    Http.Response reply = graph.get("users?$top=1000");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("Request_BadRequest");
    assertThat(graph.get("users?$top=999").json().path("value")).hasSize(250);
  }

  @Test
  void aUserIsFoundByIdAndByUserPrincipalNameIgnoringCase() {
    JsonNode listed = graph.get("users?$top=1&$select=id,userPrincipalName").json().path("value").get(0);
    assertThat(listed.fieldNames()).toIterable().containsExactly("id", "userPrincipalName");
    String id = listed.path("id").asText();
    String upn = listed.path("userPrincipalName").asText();
    Http.Response byId = graph.get("users/" + id);
    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.json().path("@odata.context").asText()).endsWith("$metadata#users/$entity");
    assertThat(graph.get("users/" + upn.toUpperCase()).json().path("id").asText()).isEqualTo(id);
    assertThat(graph.get("users('" + id + "')").json().path("userPrincipalName").asText()).isEqualTo(upn);
    assertThat(graph.get("Users/" + id).status()).isEqualTo(200);
  }

  @Test
  void anUnknownUserIsGraphsDirectoryNotFound() {
    Http.Response reply = graph.get("users/00000000-1111-2222-3333-444444444444");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo("Request_ResourceNotFound");
    assertThat(reply.json().path("error").path("innerError").path("request-id").asText()).isNotEmpty();
  }

  @Test
  void filtersCombineEqStartswithAndOr() {
    JsonNode all = graph.get("users?$top=999&$select=id,givenName,department").json().path("value");
    String given = all.get(0).path("givenName").asText();
    String department = all.get(0).path("department").asText();
    long expected = count(all, u -> u.path("givenName").asText().equals(given) && u.path("department").asText().equals(department));
    JsonNode filtered = graph.get("users?$top=999&$filter=givenName eq '" + given + "' and department eq '" + department + "'&$select=id").json().path("value");
    assertThat(filtered).hasSize((int) expected);
    long startsWith = count(all, u -> u.path("givenName").asText().toLowerCase().startsWith("a"));
    assertThat(graph.get("users?$top=999&$filter=startswith(givenName,'A')").json().path("value")).hasSize((int) startsWith);
    long either = count(all, u -> u.path("givenName").asText().equals(given) || u.path("department").asText().equals(department));
    assertThat(graph.get("users?$top=999&$filter=givenName eq '" + given + "' or department eq '" + department + "'").json().path("value")).hasSize((int) either);
  }

  @Test
  void aFilterNumberTooLargeForALongIsComparedAsANumber() {
    Http.Response reply = graph.get("users?$filter=employeeId eq 99999999999999999999");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().path("value")).isEmpty();
  }

  @Test
  void filtersTooDeepOrTooLongAreRefusedEvenInABatchWhereNoUriLimitApplies() {
    Http.Response nested = graph.get("users?$filter=" + "(".repeat(150) + "givenName eq 'x'" + ")".repeat(150));
    assertThat(nested.status()).isEqualTo(400);
    assertThat(nested.json().path("error").path("message").asText()).contains("nesting deeper than 100 levels");

    String deep = "(".repeat(50_000) + "givenName eq 'x'" + ")".repeat(50_000);
    String chain = String.join(" or ", java.util.Collections.nCopies(20_000, "givenName eq 'x'"));
    String batch = "{\"requests\":[{\"id\":\"deep\",\"method\":\"GET\",\"url\":\"/users?$filter=" + deep + "\"},"
        + "{\"id\":\"long\",\"method\":\"GET\",\"url\":\"/users?$filter=" + chain + "\"}]}";
    Http.Response reply = graph.post("$batch", batch);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    for (JsonNode item : reply.json().path("responses")) {
      assertThat(item.path("status").asInt()).as(item.path("id").asText()).isEqualTo(400);
      assertThat(item.path("body").path("error").path("message").asText()).contains("Invalid filter clause");
    }
  }

  @Test
  void notEqualsNeedsAnAdvancedQuery() {
    Http.Response basic = graph.get("users?$filter=accountEnabled ne true");
    assertThat(basic.status()).isEqualTo(400);
    assertThat(basic.errorCode()).isEqualTo("Request_UnsupportedQuery");
    assertThat(basic.json().path("error").path("message").asText()).contains("ConsistencyLevel:eventual");
    Http.Response advanced = graph.get("users?$filter=accountEnabled ne true&$count=true&$top=999", "ConsistencyLevel", "eventual");
    assertThat(advanced.status()).isEqualTo(200);
    assertThat(advanced.json().path("@odata.count").asLong()).isEqualTo(advanced.json().path("value").size());
  }

  @Test
  void countNeedsConsistencyLevelEventual() {
    assertThat(graph.get("users/$count").status()).isEqualTo(400);
    Http.Response count = graph.get("users/$count", "ConsistencyLevel", "eventual");
    assertThat(count.status()).isEqualTo(200);
    assertThat(count.body()).isEqualTo("250");
    assertThat(count.header("Content-Type").orElseThrow()).startsWith("text/plain");
  }

  @Test
  void orderByDisplayNameSortsAcrossPages() {
    List<String> names = new ArrayList<>();
    String next = "users?$orderby=displayName&$select=displayName&$top=60";
    while (next != null) {
      JsonNode page = graph.get(next).json();
      page.path("value").forEach(u -> names.add(u.path("displayName").asText()));
      next = page.hasNonNull("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
    }
    assertThat(names).hasSize(250).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
  }

  @Test
  void searchMatchesWordStartsWithConsistencyLevelEventual() {
    assertThat(graph.get("users?$search=\"displayName:ad\"").status()).isEqualTo(400);
    JsonNode found = graph.get("users?$search=\"displayName:ad\"&$top=999", "ConsistencyLevel", "eventual").json().path("value");
    assertThat(found).isNotEmpty();
    found.forEach(u -> assertThat(u.path("displayName").asText().toLowerCase()).containsPattern("(^|\\s)ad"));
  }

  @Test
  void unsupportedQueryOptionsAreRefused() {
    assertThat(graph.get("users?$expand=manager").status()).isEqualTo(400);
    assertThat(graph.get("users?$skip=10").errorCode()).isEqualTo("Request_BadRequest");
    assertThat(graph.get("users?$select=shoeSize").status()).isEqualTo(400);
    assertThat(graph.get("users?$filter=shoeSize eq 1").status()).isEqualTo(400);
    assertThat(graph.get("users?$filter=displayName eq").status()).isEqualTo(400);
    assertThat(graph.get("users?$bogus=1").status()).isEqualTo(400);
  }

  @Test
  void usersAreCreatedUpdatedAndDeleted() {
    Map<String, Object> body = Map.of("accountEnabled", true, "displayName", "Nina Created", "mailNickname", "nina",
        "userPrincipalName", "nina@contoso.onmicrosoft.com", "passwordProfile", Map.of("password", "xWwvJ]6NMw+bWH-d"));
    Http.Response created = graph.post("users", body);
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().path("id").asText();
    assertThat(created.json().has("passwordProfile")).isFalse();
    assertThat(graph.post("users", body).json().path("error").path("message").asText()).contains("same value for property userPrincipalName");
    assertThat(graph.patch("users/" + id, Map.of("jobTitle", "Pilot")).status()).isEqualTo(204);
    assertThat(graph.get("users/nina@contoso.onmicrosoft.com?$select=jobTitle").json().path("jobTitle").asText()).isEqualTo("Pilot");
    assertThat(graph.patch("users/" + id, Map.of("shoeSize", 9)).status()).isEqualTo(400);
    assertThat(graph.delete("users/" + id).status()).isEqualTo(204);
    assertThat(graph.get("users/" + id).status()).isEqualTo(404);
  }

  @Test
  void deletedUsersCreatedOrGeneratedLeaveTheCountAndStayDeleted() {
    Tenant small = emulator.tenant("counted", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Http admin = emulator.adminGraph(small);
    String generated = admin.get("users?$top=1").json().path("value").get(0).path("id").asText();
    String created = admin.post("users", Map.of("accountEnabled", true, "displayName", "Temp", "mailNickname", "temp",
        "userPrincipalName", "temp@counted.onmicrosoft.com", "passwordProfile", Map.of("password", "xWwvJ]6NMw+bWH-d"))).json().path("id").asText();
    assertThat(usersNow(small)).isEqualTo(4);

    assertThat(admin.delete("users/" + created).status()).isEqualTo(204);
    assertThat(admin.delete("users/" + generated).status()).isEqualTo(204);

    assertThat(usersNow(small)).isEqualTo(2);
    assertThat(admin.get("users/" + created).status()).isEqualTo(404);
    assertThat(admin.get("users/temp@counted.onmicrosoft.com").status()).isEqualTo(404);
    assertThat(admin.get("users").json().path("value")).hasSize(2);
  }

  private static long usersNow(Tenant tenant) {
    return emulator.admin().get("tenants/" + tenant.id() + "/data").json().path("current").path("users").asLong();
  }

  @Test
  void concurrentCreatesOfOneUserPrincipalNameCreateOneUser() throws Exception {
    Map<String, Object> body = Map.of("accountEnabled", true, "displayName", "Twin", "mailNickname", "twin",
        "userPrincipalName", "twin@contoso.onmicrosoft.com", "passwordProfile", Map.of("password", "xWwvJ]6NMw+bWH-d"));
    List<Integer> statuses;
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> replies = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        replies.add(executor.submit(() -> {
          start.await();
          return graph.post("users", body).status();
        }));
      }
      start.countDown();
      statuses = new ArrayList<>();
      for (var reply : replies) {
        statuses.add(reply.get());
      }
    }
    assertThat(statuses).containsOnly(201, 400).filteredOn(s -> s == 201).hasSize(1);
    String id = graph.get("users/twin@contoso.onmicrosoft.com").json().path("id").asText();
    assertThat(graph.delete("users/" + id).status()).isEqualTo(204);
  }

  @Test
  void aRenamedUserIsFoundByItsNewNameOnly() {
    String id = graph.post("users", Map.of("accountEnabled", true, "displayName", "Ren", "mailNickname", "ren",
        "userPrincipalName", "ren@contoso.onmicrosoft.com", "passwordProfile", Map.of("password", "xWwvJ]6NMw+bWH-d"))).json().path("id").asText();
    assertThat(graph.patch("users/" + id, Map.of("userPrincipalName", "renamed@contoso.onmicrosoft.com")).status()).isEqualTo(204);
    assertThat(graph.get("users/ren@contoso.onmicrosoft.com").status()).isEqualTo(404);
    assertThat(graph.get("users/RENAMED@contoso.onmicrosoft.com").json().path("id").asText()).isEqualTo(id);
    assertThat(graph.delete("users/" + id).status()).isEqualTo(204);
    assertThat(graph.get("users/renamed@contoso.onmicrosoft.com").status()).isEqualTo(404);
  }

  @Test
  void creatingAUserOutsideTheTenantsDomainsIsRefused() {
    Http.Response reply = graph.post("users", Map.of("accountEnabled", true, "displayName", "X", "mailNickname", "x",
        "userPrincipalName", "x@fabrikam.com", "passwordProfile", Map.of("password", "p@ssw0rd!")));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error").path("message").asText()).contains("verified domain");
    assertThat(graph.post("users", Map.of("displayName", "X")).json().path("error").path("message").asText()).contains("accountEnabled");
  }

  @Test
  void groupMembersPageAndChangeThroughReferences() {
    JsonNode group = graph.get("groups?$top=1").json().path("value").get(0);
    String groupId = group.path("id").asText();
    JsonNode members = graph.get("groups/" + groupId + "/members").json();
    assertThat(members.path("value")).hasSize(100);
    assertThat(members.path("value").get(0).path("@odata.type").asText()).isEqualTo("#microsoft.graph.user");
    JsonNode second = graph.get(members.path("@odata.nextLink").asText()).json();
    assertThat(second.path("value")).hasSize(20);
    String member = members.path("value").get(0).path("id").asText();
    assertThat(graph.delete("groups/" + groupId + "/members/" + member + "/$ref").status()).isEqualTo(204);
    assertThat(graph.delete("groups/" + groupId + "/members/" + member + "/$ref").status()).isEqualTo(404);
    Map<String, Object> ref = Map.of("@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/" + member);
    assertThat(graph.post("groups/" + groupId + "/members/$ref", ref).status()).isEqualTo(204);
    assertThat(graph.post("groups/" + groupId + "/members/$ref", ref).status()).isEqualTo(400);
    assertThat(graph.get("groups/" + groupId + "/members/$count", "ConsistencyLevel", "eventual").body()).isEqualTo("120");
  }

  @Test
  void groupMemberReadWriteAllChangesMembersButNotGroups() {
    Http members = emulator.graph(emulator.token(tenant, "GroupMember.ReadWrite.All", "GroupMember.Read.All", "User.Read.All"));
    String groupId = graph.post("groups", Map.of("displayName", "Members only", "mailNickname", "members-only", "mailEnabled", false,
        "securityEnabled", true)).json().path("id").asText();
    String user = graph.get("users?$top=1&$select=id").json().path("value").get(0).path("id").asText();
    Map<String, Object> ref = Map.of("@odata.id", "https://graph.microsoft.com/v1.0/directoryObjects/" + user);
    assertThat(members.post("groups/" + groupId + "/members/$ref", ref).status()).isEqualTo(204);
    assertThat(graph.get("groups/" + groupId + "/members").json().path("value").findValuesAsText("id")).containsExactly(user);
    assertThat(members.delete("groups/" + groupId + "/members/" + user + "/$ref").status()).isEqualTo(204);
    Http.Response create = members.post("groups", Map.of("displayName", "No", "mailNickname", "no", "mailEnabled", false, "securityEnabled", true));
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.errorCode()).isEqualTo("Authorization_RequestDenied");
    Http readOnly = emulator.graph(emulator.token(tenant, "GroupMember.Read.All"));
    assertThat(readOnly.post("groups/" + groupId + "/members/$ref", ref).status()).isEqualTo(403);
  }

  @Test
  void memberReferencesInKeySyntaxAreReadAndMalformedOnesAreNotFound() {
    String groupId = graph.post("groups", Map.of("displayName", "Refs", "mailNickname", "refs", "mailEnabled", false, "securityEnabled", true))
        .json().path("id").asText();
    String user = graph.get("users?$top=1&$select=id").json().path("value").get(0).path("id").asText();
    Http.Response added = graph.post("groups/" + groupId + "/members/$ref", Map.of("@odata.id", "https://graph.microsoft.com/v1.0/users('" + user + "')"));
    assertThat(added.status()).as(added.body()).isEqualTo(204);
    for (String malformed : List.of("https://graph.microsoft.com/v1.0/a(')", "users('", "('')")) {
      Http.Response reply = graph.post("groups/" + groupId + "/members/$ref", Map.of("@odata.id", malformed));
      assertThat(reply.status()).as(malformed + ": " + reply.body()).isEqualTo(404);
      assertThat(reply.errorCode()).isEqualTo("Request_ResourceNotFound");
    }
    assertThat(graph.get("groups/" + groupId + "/members").json().path("value").findValuesAsText("id")).containsExactly(user);
  }

  @Test
  void microsoft365GroupsAreFoundWithAnAnyLambda() {
    JsonNode unified = graph.get("groups?$filter=groupTypes/any(c:c eq 'Unified')&$top=999").json().path("value");
    assertThat(unified).isNotEmpty();
    unified.forEach(g -> assertThat(g.path("groupTypes").toString()).contains("Unified"));
    assertThat(unified.size()).isLessThan(30);
  }

  @Test
  void organizationDescribesTheTenant() {
    JsonNode org = graph.get("organization").json().path("value").get(0);
    assertThat(org.path("id").asText()).isEqualTo(tenant.id());
    assertThat(org.path("verifiedDomains").get(0).path("name").asText()).isEqualTo("contoso.onmicrosoft.com");
  }

  @Test
  void servicePrincipalsIncludeGraphWithItsAppRolesByAlternateKey() {
    Http.Response reply = graph.get("servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=appRoles");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("appRoles").findValuesAsText("value")).contains("User.Read.All", "Mail.Read");
    assertThat(graph.get("applications").json().path("value").size()).isGreaterThanOrEqualTo(1);
  }

  private static long count(JsonNode users, java.util.function.Predicate<JsonNode> predicate) {
    long n = 0;
    for (JsonNode u : users) {
      if (predicate.test(u)) {
        n++;
      }
    }
    return n;
  }
}

package dev.graphgate.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.EmulatorFixture;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped permission table against the emulator's Graph: for every path of every family, a token carrying only
 * the family's least privileged permission is answered 2xx and a token carrying every other permission the table
 * names (but none of the family's) is refused with 403; every other permission of the family is tried on the
 * family's first path. Subscriptions are the one family left out: the emulator has no subscriptions yet (issue 12).
 */
class PermissionTableEmulatorTest {
  private static final String TENANT = "5a0e3f1c-7b2d-4c8e-9f60-1d2e3f4a5b6c";
  private static final String DOMAIN = "permissions.onmicrosoft.com";
  private static final String APP = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";
  private static final String SECRET = "permission-table-secret";
  private static final Set<String> NOT_IN_EMULATOR = Set.of("subscriptions");
  private static final String WINDOW = "startDateTime=2024-01-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z";

  private static EmulatorFixture emulator;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final Map<Set<String>, String> tokens = new HashMap<>();
  private static final AtomicInteger unique = new AtomicInteger();
  private static String graph;
  private static String user;
  private static String group;
  private static final List<String> outsiders = new ArrayList<>();
  private static String message;
  private static String event;
  private static String site;
  private static final Map<String, String[]> driveItems = new HashMap<>();

  @BeforeAll
  static void start() {
    emulator = new EmulatorFixture();
    emulator.tenant(TENANT, DOMAIN);
    emulator.app(APP, SECRET, null, List.of());
    emulator.generate(TENANT, """
        {"users": 12, "groups": 1, "membersPerGroup": 2, "messagesPerMailbox": 2, "eventsPerMailbox": 2, "driveItemsPerDrive": 2,
         "sites": 1, "anchorDate": "2025-03-14"}""");
    graph = emulator.cloud().graphUrl().toString();
    String all = token(universe());
    List<String> users = new ArrayList<>();
    for (JsonNode u : json(send(all, "GET", "/v1.0/users?$select=id,mail", null), 200).path("value")) {
      if (u.path("mail").isTextual()) {
        users.add(u.path("id").asText());
      }
    }
    user = users.get(0);
    group = json(send(all, "GET", "/v1.0/groups", null), 200).path("value").get(0).path("id").asText();
    Set<String> members = new TreeSet<>(json(send(all, "GET", "/v1.0/groups/" + group + "/members", null), 200).findValuesAsText("id"));
    users.stream().filter(u -> !members.contains(u)).forEach(outsiders::add);
    message = json(send(all, "GET", "/v1.0/users/" + user + "/mailFolders/inbox/messages?$top=1", null), 200).path("value").get(0).path("id").asText();
    event = json(send(all, "GET", "/v1.0/users/" + user + "/events?$top=1", null), 200).path("value").get(0).path("id").asText();
    site = json(send(all, "GET", "/v1.0/sites?search=*", null), 200).path("value").get(0).path("id").asText();
    String drive = json(send(all, "GET", "/v1.0/users/" + user + "/drive", null), 200).path("id").asText();
    // A folder and a file in each way a drive is reached, so every item path has something to name.
    for (String base : List.of("/users/{user}/drive", "/drives/{drive}", "/sites/{site}/drive")) {
      String concrete = base.replace("{user}", user).replace("{drive}", drive).replace("{site}", site);
      String folder = json(send(all, "POST", "/v1.0" + concrete + "/root/children", "{\"name\":\"perm-" + unique.incrementAndGet()
          + "\",\"folder\":{}}"), 201).path("name").asText();
      String folderId = json(send(all, "GET", "/v1.0" + concrete + "/root:/" + folder, null), 200).path("id").asText();
      String fileId = json(send(all, "PUT", "/v1.0" + concrete + "/root:/" + folder + "/a.txt:/content", "hello"), 201).path("id").asText();
      driveItems.put(base, new String[] {concrete, folder, folderId, fileId});
    }
    driveItems.put("drive", new String[] {drive});
  }

  @AfterAll
  static void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void eachFamilysLeastPrivilegedPermissionIsAcceptedAndNoneOfTheOthersIs() {
    PermissionTable table = PermissionTable.shipped();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (PathFamily f : table.families()) {
      if (NOT_IN_EMULATOR.contains(f.name())) {
        continue;
      }
      Set<String> others = new LinkedHashSet<>(universe());
      others.removeAll(f.permissions());
      for (String method : f.methods()) {
        for (int i = 0; i < f.templates().size(); i++) {
          String template = f.templates().get(i);
          List<String> allowed = i == 0 ? f.permissions() : List.of(f.permissions().get(0));
          for (String permission : allowed) {
            Request r = concrete(method, template);
            int status = send(token(Set.of(permission)), method, r.path(), r.body()).statusCode();
            checked++;
            if (status / 100 != 2) {
              failures.add(method + " " + r.path() + " with " + permission + ": " + status);
            }
          }
          Request r = concrete(method, template);
          // The path the table says it matched is the one tried.
          assertThat(table.lookup(method, r.path())).as(r.path()).isInstanceOfSatisfying(PermissionLookup.Listed.class,
              l -> assertThat(l.template()).isEqualTo(template));
          HttpResponse<String> refused = send(token(others), method, r.path(), r.body());
          checked++;
          if (refused.statusCode() != 403) {
            failures.add(method + " " + r.path() + " without " + f.permissions() + ": " + refused.statusCode());
          }
        }
      }
    }
    assertThat(failures).as("requests the emulator answered otherwise than the table says").isEmpty();
    assertThat(checked).isGreaterThan(100);
  }

  private record Request(String path, String body) {}

  /** A request on {@code template} that succeeds with a permission that allows it: ids that exist, and a body. */
  private static Request concrete(String method, String template) {
    String base = driveItems.keySet().stream().filter(b -> !b.equals("drive") && template.startsWith(b)).findFirst().orElse(null);
    String path = template;
    String body = null;
    if (base != null) {
      String[] d = driveItems.get(base);
      String rest = template.substring(base.length());
      boolean upload = method.equals("PUT");
      String name = "new-" + unique.incrementAndGet() + ".txt";
      rest = rest.replace("/items/{item}:{path}:", "/items/" + d[2] + ":/" + name + ":")
          .replace("/items/{item}/children", "/items/" + d[2] + "/children")
          .replace("/items/{item}", "/items/" + d[3])
          .replace("/root:{path}:/children", "/root:/" + d[1] + ":/children")
          .replace("/root:{path}:", "/root:/" + d[1] + (upload ? "/" + name : "/a.txt") + ":");
      path = d[0] + rest;
      body = upload ? "content" : null;
    }
    path = path.replace("{user}", user).replace("{group}", group).replace("{folder}", "inbox").replace("{message}", message)
        .replace("{event}", event).replace("{site}", site).replace("{drive}", driveItems.get("drive")[0])
        .replace("{organization}", TENANT);
    if (path.contains("calendarView")) {
      path += "?" + WINDOW;
    } else if (path.equals("/sites")) {
      path += "?search=*";
    }
    if (method.equals("POST")) {
      int n = unique.incrementAndGet();
      if (template.equals("/users")) {
        body = "{\"accountEnabled\":true,\"displayName\":\"Hire " + n + "\",\"mailNickname\":\"hire" + n + "\",\"userPrincipalName\":\"hire" + n
            + "@" + DOMAIN + "\",\"passwordProfile\":{\"password\":\"Str0ng-Secret-Pass!\"}}";
      } else if (template.endsWith("/members/$ref")) {
        body = "{\"@odata.id\":\"" + graph + "/v1.0/directoryObjects/" + outsiders.remove(0) + "\"}";
      } else if (template.endsWith("/sendMail")) {
        body = "{\"message\":{\"subject\":\"Hello " + n + "\",\"body\":{\"contentType\":\"Text\",\"content\":\"Hi\"},"
            + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"someone@example.com\"}}]}}";
      } else if (template.endsWith("/events")) {
        body = "{\"subject\":\"Planning " + n + "\",\"start\":{\"dateTime\":\"2025-04-01T09:00:00\",\"timeZone\":\"UTC\"},"
            + "\"end\":{\"dateTime\":\"2025-04-01T10:00:00\",\"timeZone\":\"UTC\"}}";
      }
    }
    return new Request("/v1.0" + path, body);
  }

  /** Every permission the table names: what a token refused by a family carries, less that family's. */
  private static Set<String> universe() {
    Set<String> all = new TreeSet<>();
    PermissionTable.shipped().families().forEach(f -> all.addAll(f.permissions()));
    return all;
  }

  /** A token granting exactly {@code roles}: the grant replaced, then a token requested (each carries the grant of its time). */
  private static String token(Set<String> roles) {
    return tokens.computeIfAbsent(Set.copyOf(roles), r -> {
      emulator.grant(TENANT, APP, List.copyOf(r));
      String form = "grant_type=client_credentials&client_id=" + APP + "&client_secret=" + SECRET + "&scope="
          + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
      HttpResponse<String> answer = exchange(HttpRequest.newBuilder(URI.create(emulator.loginUrl() + "/" + TENANT + "/oauth2/v2.0/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
      return json(answer, 200).path("access_token").asText();
    });
  }

  private static HttpResponse<String> send(String token, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(graph + path.replace("$", "%24").replace("*", "%2A").replace(" ", "%20")))
        .header("Authorization", "Bearer " + token).header("ConsistencyLevel", "eventual");
    if (body != null) {
      b.header("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
    }
    return exchange(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> exchange(HttpRequest.Builder b) {
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(status);
    return Json.parse(r.body());
  }
}

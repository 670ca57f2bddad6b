package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.NotificationReceiver;
import dev.graphgate.emulator.support.NotificationReceiver.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /subscriptions} over HTTP: the validation handshake, lifetimes, permissions, renewal, deletion, tenants. */
class SubscriptionsTest {

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
  void defaultSettings() {
    assertThat(emulator.admin().delete("notifications/settings").status()).isEqualTo(204);
  }

  static Map<String, Object> subscription(String resource, String changeType, String path, Duration lifetime) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("changeType", changeType);
    body.put("notificationUrl", receiver.url(path));
    body.put("resource", resource);
    body.put("expirationDateTime", Instant.now().plus(lifetime).toString());
    body.put("clientState", "secret-" + path.hashCode());
    return body;
  }

  static String firstUser(Tenant tenant) {
    return emulator.adminGraph(tenant).get("users?$top=1").json().path("value").path(0).path("id").asText();
  }

  @Test
  void createValidatesTheUrlWithATokenEchoedAsTextPlainAndAnswers201WithTheSubscription() {
    Tenant tenant = emulator.tenant("subcreate", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    Map<String, Object> body = subscription("users", "updated,deleted", "/create", Duration.ofHours(2));
    Http.Response created = graph.post("subscriptions", body);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode json = created.json();
    assertThat(json.path("@odata.context").asText()).endsWith("/v1.0/$metadata#subscriptions/$entity");
    assertThat(json.path("resource").asText()).isEqualTo("users");
    assertThat(json.path("changeType").asText()).isEqualTo("updated,deleted");
    assertThat(json.path("clientState").asText()).isEqualTo(body.get("clientState"));
    assertThat(json.path("notificationUrl").asText()).isEqualTo(receiver.url("/create"));
    assertThat(json.path("latestSupportedTlsVersion").asText()).isEqualTo("v1_2");
    assertThat(json.path("includeResourceData").asBoolean()).isFalse();
    assertThat(json.path("applicationId").asText()).isNotBlank();
    assertThat(json.path("id").asText()).matches("[0-9a-f-]{36}");

    NotificationReceiver.Received handshake = receiver.received("/create").getFirst();
    assertThat(handshake.method()).isEqualTo("POST");
    assertThat(handshake.contentType()).startsWith("text/plain");
    assertThat(handshake.body()).isEmpty();
    assertThat(handshake.validationToken()).startsWith("Validation: ").contains(" ");

    Http.Response read = graph.get("subscriptions/" + json.path("id").asText());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("expirationDateTime").asText()).isEqualTo(json.path("expirationDateTime").asText());
    assertThat(graph.get("subscriptions").json().path("value")).extracting(n -> n.path("id").asText()).containsExactly(json.path("id").asText());
  }

  @Test
  void aReceiverThatFailsTheHandshakeFailsTheCreateWithGraphsValidationError() {
    Tenant tenant = emulator.tenant("subhandshake", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));

    receiver.respond("/wrong-echo", r -> Reply.text("not the token"));
    assertValidationError(graph.post("subscriptions", subscription("users", "updated", "/wrong-echo", Duration.ofHours(1))),
        "Subscription validation request failed. Response must exactly match validationToken query parameter.");

    receiver.respond("/still-encoded", r -> Reply.text(r.rawQuery().substring(r.rawQuery().indexOf('=') + 1)));
    assertValidationError(graph.post("subscriptions", subscription("users", "updated", "/still-encoded", Duration.ofHours(1))),
        "Subscription validation request failed. Response must exactly match validationToken query parameter.");

    receiver.respond("/html", r -> new Reply(200, "text/html; charset=utf-8", r.validationToken(), 0));
    assertValidationError(graph.post("subscriptions", subscription("users", "updated", "/html", Duration.ofHours(1))),
        "Subscription validation request failed. Notification endpoint must respond with Content-Type text/plain to validation request.");

    receiver.respond("/accepted", r -> new Reply(202, "text/plain", r.validationToken(), 0));
    assertValidationError(graph.post("subscriptions", subscription("users", "updated", "/accepted", Duration.ofHours(1))),
        "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");

    Map<String, Object> withLifecycle = subscription("users", "updated", "/good", Duration.ofHours(1));
    receiver.respond("/bad-lifecycle", r -> Reply.of(500));
    withLifecycle.put("lifecycleNotificationUrl", receiver.url("/bad-lifecycle"));
    assertValidationError(graph.post("subscriptions", withLifecycle),
        "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");

    Map<String, Object> nobodyListening = subscription("users", "updated", "/x", Duration.ofHours(1));
    nobodyListening.put("notificationUrl", "http://127.0.0.1:1/notify");
    assertValidationError(graph.post("subscriptions", nobodyListening),
        "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");

    assertThat(graph.get("subscriptions").json().path("value")).isEmpty();
    assertThat(emulator.admin().get("notifications/attempts?kind=validation&url=" + receiver.url("/wrong-echo")).json().path("value"))
        .singleElement().satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("rejected"));
  }

  @Test
  void aHandshakeNotAnsweredInTimeFailsWithGraphsTimeoutError() {
    Tenant tenant = emulator.tenant("subtimeout", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    assertThat(emulator.admin().put("notifications/settings", Map.of("validationTimeoutMillis", 200)).status()).isEqualTo(200);
    receiver.respond("/slow", r -> Reply.text(r.validationToken()).after(1_500));

    Http.Response refused = graph.post("subscriptions", subscription("users", "updated", "/slow", Duration.ofHours(1)));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidRequest");
    assertThat(refused.json().path("error").path("message").asText()).isEqualTo("Subscription validation request timed out.");
    assertThat(refused.json().path("error").path("innerError").path("request-id").asText()).isNotBlank();
  }

  private static void assertValidationError(Http.Response response, String message) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo("ValidationError");
    assertThat(response.json().path("error").path("message").asText()).isEqualTo(message);
    assertThat(response.json().path("error").path("innerError").path("date").asText()).isNotBlank();
  }

  @Test
  void expirationIsCappedPerResourceAndRaisedToTheMinimumOf45Minutes() {
    Tenant tenant = emulator.tenant("subexpiry", GraphTestEmulator.spec(3, 2, 1, 2, 2, 2, 1));
    String user = firstUser(tenant);
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All", "Mail.Read", "Calendars.Read", "Files.ReadWrite.All", "Group.Read.All"));
    String drive = emulator.adminGraph(tenant).get("users/" + user + "/drive").json().path("id").asText();

    Http.Response tooLongUsers = graph.post("subscriptions", subscription("users", "updated", "/exp", Duration.ofMinutes(41_760 + 5)));
    assertThat(tooLongUsers.status()).isEqualTo(400);
    assertThat(tooLongUsers.errorCode()).isEqualTo("ExtensionError");
    assertThat(tooLongUsers.json().path("error").path("message").asText()).isEqualTo("Subscription expiration can only be 41760 minutes in the future.");
    assertThat(graph.post("subscriptions", subscription("groups", "updated", "/exp", Duration.ofMinutes(41_700))).status()).isEqualTo(201);

    Http.Response tooLongMail = graph.post("subscriptions", subscription("users/" + user + "/messages", "created", "/exp", Duration.ofMinutes(4_230 + 5)));
    assertThat(tooLongMail.json().path("error").path("message").asText()).isEqualTo("Subscription expiration can only be 4230 minutes in the future.");
    assertThat(graph.post("subscriptions", subscription("users/" + user + "/events", "created", "/exp", Duration.ofMinutes(4_200))).status()).isEqualTo(201);
    assertThat(graph.post("subscriptions", subscription("drives/" + drive + "/root", "updated", "/exp", Duration.ofMinutes(42_300 + 5))).errorCode())
        .isEqualTo("ExtensionError");
    assertThat(graph.post("subscriptions", subscription("drives/" + drive + "/root", "updated", "/exp", Duration.ofMinutes(42_000))).status()).isEqualTo(201);

    Instant before = Instant.now();
    Http.Response shortOne = graph.post("subscriptions", subscription("users", "updated", "/exp", Duration.ofMinutes(5)));
    assertThat(shortOne.status()).isEqualTo(201);
    assertThat(Instant.parse(shortOne.json().path("expirationDateTime").asText())).isAfterOrEqualTo(before.plus(Duration.ofMinutes(45)));

    assertThat(emulator.admin().put("notifications/settings", Map.of("outlookMaxLifetimeMinutes", 10_080)).status()).isEqualTo(200);
    assertThat(graph.post("subscriptions", subscription("users/" + user + "/messages", "created", "/exp", Duration.ofMinutes(10_000))).status()).isEqualTo(201);
  }

  @Test
  void fieldsAreCheckedAsGraphChecksThem() {
    Tenant tenant = emulator.tenant("subfields", GraphTestEmulator.spec(3, 0, 0, 0, 0, 1, 1));
    String user = firstUser(tenant);
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All", "Files.ReadWrite.All", "Mail.Read"));
    String drive = emulator.adminGraph(tenant).get("users/" + user + "/drive").json().path("id").asText();

    assertThat(graph.post("subscriptions", subscription("users", "created", "/f", Duration.ofHours(1))).errorCode()).isEqualTo("InvalidRequest");
    assertThat(graph.post("subscriptions", subscription("drives/" + drive + "/root", "created,updated", "/f", Duration.ofHours(1))).errorCode())
        .isEqualTo("InvalidRequest");
    assertThat(graph.post("subscriptions", subscription("users", "updated,renamed", "/f", Duration.ofHours(1))).errorCode()).isEqualTo("InvalidRequest");
    assertThat(graph.post("subscriptions", subscription("contacts", "updated", "/f", Duration.ofHours(1))).errorCode()).isEqualTo("InvalidRequest");
    assertThat(graph.post("subscriptions", subscription("users/nobody@nowhere.example/messages", "created", "/f", Duration.ofHours(1))).status())
        .isEqualTo(404);
    Map<String, Object> noUrl = subscription("users", "updated", "/f", Duration.ofHours(1));
    noUrl.remove("notificationUrl");
    assertThat(graph.post("subscriptions", noUrl).json().path("error").path("message").asText())
        .isEqualTo("notificationUrl is a required property for subscription creation.");
    Map<String, Object> ftp = subscription("users", "updated", "/f", Duration.ofHours(1));
    ftp.put("notificationUrl", "ftp://127.0.0.1/notify");
    assertThat(graph.post("subscriptions", ftp).errorCode()).isEqualTo("InvalidRequest");
    Map<String, Object> longState = subscription("users", "updated", "/f", Duration.ofHours(1));
    longState.put("clientState", "x".repeat(129));
    assertThat(graph.post("subscriptions", longState).errorCode()).isEqualTo("InvalidRequest");
    Map<String, Object> unknown = subscription("users", "updated", "/f", Duration.ofHours(1));
    unknown.put("colour", "blue");
    assertThat(graph.post("subscriptions", unknown).errorCode()).isEqualTo("BadRequest");
    assertThat(receiver.received("/f")).isEmpty();

    Http.Response folder = graph.post("subscriptions", subscription("/users/" + user + "/mailFolders('Inbox')/messages", "created", "/f", Duration.ofHours(1)));
    assertThat(folder.status()).as(folder.body()).isEqualTo(201);
  }

  @Test
  void anAppWithoutTheResourcesReadPermissionIsRefusedBeforeAnyHandshake() {
    Tenant tenant = emulator.tenant("subperms", GraphTestEmulator.spec(3, 1, 1, 1, 1, 1, 1));
    String user = firstUser(tenant);
    String drive = emulator.adminGraph(tenant).get("users/" + user + "/drive").json().path("id").asText();
    Http mailOnly = emulator.graph(emulator.token(tenant, "Mail.Read"));
    Http basicUsers = emulator.graph(emulator.token(tenant, "User.ReadBasic.All", "Files.Read.All"));

    Http.Response users = mailOnly.post("subscriptions", subscription("users", "updated", "/p", Duration.ofHours(1)));
    assertThat(users.status()).isEqualTo(403);
    assertThat(users.errorCode()).isEqualTo("Authorization_RequestDenied");
    assertThat(mailOnly.post("subscriptions", subscription("groups", "updated", "/p", Duration.ofHours(1))).status()).isEqualTo(403);
    assertThat(mailOnly.post("subscriptions", subscription("users/" + user + "/events", "created", "/p", Duration.ofHours(1))).errorCode())
        .isEqualTo("ErrorAccessDenied");
    assertThat(basicUsers.post("subscriptions", subscription("users", "updated", "/p", Duration.ofHours(1))).status()).isEqualTo(403);
    assertThat(basicUsers.post("subscriptions", subscription("users/" + user + "/messages", "created", "/p", Duration.ofHours(1))).errorCode())
        .isEqualTo("ErrorAccessDenied");
    assertThat(basicUsers.post("subscriptions", subscription("drives/" + drive + "/root", "updated", "/p", Duration.ofHours(1))).status())
        .isEqualTo(403);
    assertThat(receiver.received("/p")).isEmpty();

    assertThat(mailOnly.post("subscriptions", subscription("users/" + user + "/messages", "created", "/p", Duration.ofHours(1))).status()).isEqualTo(201);
  }

  @Test
  void patchRenewsAndDeleteRemoves() {
    Tenant tenant = emulator.tenant("subrenew", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Http graph = emulator.graph(emulator.token(tenant, "User.Read.All"));
    String id = graph.post("subscriptions", subscription("users", "updated", "/renew", Duration.ofHours(1))).json().path("id").asText();

    Instant later = Instant.now().plus(Duration.ofDays(20)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Http.Response renewed = graph.patch("subscriptions/" + id, Map.of("expirationDateTime", later.toString()));
    assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
    assertThat(Instant.parse(renewed.json().path("expirationDateTime").asText())).isEqualTo(later);
    assertThat(Instant.parse(graph.get("subscriptions/" + id).json().path("expirationDateTime").asText())).isEqualTo(later);

    assertThat(graph.patch("subscriptions/" + id, Map.of("expirationDateTime", Instant.now().plus(Duration.ofDays(40)).toString())).errorCode())
        .isEqualTo("ExtensionError");
    assertThat(graph.patch("subscriptions/" + id, Map.of("resource", "groups")).errorCode()).isEqualTo("InvalidRequest");

    receiver.respond("/moved", r -> Reply.of(500));
    assertThat(graph.patch("subscriptions/" + id, Map.of("notificationUrl", receiver.url("/moved"))).errorCode()).isEqualTo("ValidationError");
    assertThat(graph.get("subscriptions/" + id).json().path("notificationUrl").asText()).isEqualTo(receiver.url("/renew"));

    assertThat(graph.delete("subscriptions/" + id).status()).isEqualTo(204);
    assertThat(graph.get("subscriptions/" + id).status()).isEqualTo(404);
    assertThat(graph.get("subscriptions/" + id).errorCode()).isEqualTo("ResourceNotFound");
    assertThat(graph.delete("subscriptions/" + id).status()).isEqualTo(404);
    assertThat(graph.patch("subscriptions/" + id, Map.of("expirationDateTime", later.toString())).status()).isEqualTo(404);
  }

  @Test
  void subscriptionsBelongToTheirTenantAndApp() {
    Tenant contoso = emulator.tenant("subcontoso", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Tenant fabrikam = emulator.tenant("subfabrikam", GraphTestEmulator.spec(3, 0, 0, 0, 0, 0, 1));
    Http contosoApp = emulator.graph(emulator.token(contoso, "User.Read.All"));
    Http otherContosoApp = emulator.graph(emulator.token(contoso, "User.Read.All"));
    Http fabrikamApp = emulator.graph(emulator.token(fabrikam, "User.Read.All"));
    String id = contosoApp.post("subscriptions", subscription("users", "updated", "/tenants", Duration.ofHours(1))).json().path("id").asText();

    assertThat(fabrikamApp.get("subscriptions/" + id).status()).isEqualTo(404);
    assertThat(fabrikamApp.delete("subscriptions/" + id).status()).isEqualTo(404);
    assertThat(fabrikamApp.get("subscriptions").json().path("value")).isEmpty();
    assertThat(otherContosoApp.get("subscriptions").json().path("value")).isEmpty();
    assertThat(otherContosoApp.get("subscriptions/" + id).status()).isEqualTo(404);
    assertThat(contosoApp.get("subscriptions/" + id).status()).isEqualTo(200);
    assertThat(emulator.admin().get("tenants/" + contoso.id() + "/subscriptions").json().path("value"))
        .singleElement().satisfies(s -> {
          assertThat(s.path("id").asText()).isEqualTo(id);
          assertThat(s.path("tenantId").asText()).isEqualTo(contoso.id());
        });
    assertThat(emulator.admin().get("tenants/" + fabrikam.id() + "/subscriptions").json().path("value")).isEmpty();
  }

  @Test
  void theFixturesGraphSectionSetsDeliverySettingsAtStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path fixture = dir.resolve("fixture.json");
    java.nio.file.Files.writeString(fixture, "{\"graph\": {\"notifications\": {\"timeScale\": 0.01, \"mode\": \"pause\", \"batchWindowMillis\": 5}}}");
    try (GraphTestEmulator withFixture = GraphTestEmulator.start(dev.graphgate.emulator.EmulatorConfig.ephemeral().withFixture(fixture))) {
      JsonNode settings = withFixture.admin().get("notifications/settings").json();
      assertThat(settings.path("timeScale").asDouble()).isEqualTo(0.01);
      assertThat(settings.path("mode").asText()).isEqualTo("pause");
      assertThat(settings.path("batchWindowMillis").asLong()).isEqualTo(5);
      assertThat(settings.path("deliveryTimeoutMillis").asLong()).isEqualTo(3000);
      Http.Response refused = withFixture.admin().put("notifications/settings", Map.of("timeScale", 2));
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().path("error").path("code").asText()).isEqualTo("invalid_body");
      assertThat(withFixture.admin().put("notifications/settings", Map.of("mode", "sometimes")).status()).isEqualTo(400);
    }
  }
}

package dev.graphgate.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks from the outbox to a real receiver on 127.0.0.1, on each database: signed as nango-api.md §7.2 says, sent
 * once, retried while the receiver is down and delivered once when it is back, retried through the API, signed with a
 * rotated key (and the previous one in a second header). Subclasses only supply the database.
 */
abstract class WebhookDeliveryContract {
  static final String SIGNING_KEY = "whsec-test-0123456789abcdef";
  static final String CLIENT = "7f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  static final String TENANT = "3c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e41";

  @TempDir static Path dataDir;
  static TestDatabase db;
  static Graphgate server;
  static ApiClient api;
  static WebhookReceiver receiver;
  static String key;

  static WebhookConfig fastDeliveries() {
    return WebhookConfig.defaults().withAllowPrivateUrls(true)
        .withDelivery(Duration.ofSeconds(5), 40, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(50));
  }

  static void start(TestDatabase database) {
    db = database;
    receiver = WebhookReceiver.started();
    server = Graphgate.start(TestServers.config(db, dataDir).webhooks(fastDeliveries()).build(),
        Graphgate.Options.defaults().withTokenEndpoint(new ScriptedTokenEndpoint()));
    api = TestServers.client(server);
    key = TestServers.randomKey();
    assertThat(api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key)).status()).isEqualTo(200);
    ApiClient.Response set = api.patch("/webhooks/settings", """
        {"primary_url":"%s","signing_key":"%s"}""".formatted(receiver.url("/hooks"), SIGNING_KEY));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
    db.close();
  }

  @BeforeEach
  void receiverUp() {
    receiver.start();
    receiver.answer(200);
    receiver.clear();
  }

  static ApiClient.Response importConnection(String cid) {
    ApiClient.Response r = api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s"},
         "connection_config":{"tenantId":"%s"},"tags":{"end_user_id":"u-1"}}""".formatted(key, cid, CLIENT, TENANT));
    assertThat(r.status()).as(r.body()).isIn(200, 201);
    return r;
  }

  static List<WebhookReceiver.Received> receivedFor(String cid) {
    return receiver.received().stream().filter(r -> r.json().path("connectionId").asText().equals(cid)).toList();
  }

  static String hmac(String k, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  static String sha256(String k, byte[] body) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(k.getBytes(StandardCharsets.UTF_8));
    sha.update(body);
    return HexFormat.of().formatHex(sha.digest());
  }

  static List<JsonNode> deliveries() {
    ApiClient.Response r = api.get("/webhooks/deliveries?limit=500");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonNode> list = new ArrayList<>();
    r.json().path("data").forEach(list::add);
    return list;
  }

  @Test
  void anImportIsAnnouncedOnceSignedWithNangosTwoSignaturesOverSortedJson() throws Exception {
    String cid = "signed-" + UUID.randomUUID();
    importConnection(cid);
    await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor(cid).size() == 1);
    WebhookReceiver.Received w = receivedFor(cid).get(0);
    assertThat(w.header(":method")).isEqualTo("POST");
    assertThat(w.header(":path")).isEqualTo("/hooks");
    assertThat(w.header("content-type")).isEqualTo("application/json");
    assertThat(w.header("x-nango-hmac-sha256")).isEqualTo(hmac(SIGNING_KEY, w.body()));
    assertThat(w.header("x-nango-signature")).isEqualTo(sha256(SIGNING_KEY, w.body()));
    // Sorted keys at every depth and no whitespace: the body is its own sorted serialisation.
    assertThat(w.bodyText()).isEqualTo(SortedJson.write(w.json())).doesNotContain(" ").doesNotContain("\n");
    assertThat(w.bodyText()).startsWith("{\"authMode\":\"OAUTH2_CC\",\"connectionId\":");
    JsonNode p = w.json();
    assertThat(p.path("from").asText()).isEqualTo("nango");
    assertThat(p.path("type").asText()).isEqualTo("auth");
    assertThat(p.path("operation").asText()).isEqualTo("creation");
    assertThat(p.path("success").asBoolean()).isTrue();
    assertThat(p.path("providerConfigKey").asText()).isEqualTo(key);
    assertThat(p.path("provider").asText()).isEqualTo("microsoft-oauth2-cc");
    assertThat(p.path("environment").asText()).isEqualTo("prod");
    assertThat(p.path("tags").path("end_user_id").asText()).isEqualTo("u-1");

    importConnection(cid);
    await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor(cid).size() == 2);
    assertThat(receivedFor(cid).get(1).json().path("operation").asText()).isEqualTo("override");
    assertThat(receivedFor(cid).stream().map(WebhookReceiver.Received::eventId).distinct()).hasSize(2);

    Set<String> ids = receivedFor(cid).stream().map(WebhookReceiver.Received::eventId).collect(Collectors.toSet());
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries().stream().filter(d -> ids.contains(d.path("event_id").asText()))
        .allMatch(d -> d.path("status").asText().equals("delivered")));
    JsonNode listed = deliveries().stream().filter(d -> ids.contains(d.path("event_id").asText())).findFirst().orElseThrow();
    assertThat(listed.path("event_type").asText()).isEqualTo("auth");
    assertThat(listed.path("destination").asText()).isEqualTo(receiver.url("/hooks"));
    assertThat(listed.path("attempts").asInt()).isEqualTo(1);
    assertThat(listed.path("last_status").asInt()).isEqualTo(200);
    assertThat(listed.path("next_attempt_at").isNull()).isTrue();
  }

  @Test
  void aConnectionsDeliveriesAreFoundByTheConnectionTheEventNames() {
    String one = "listed-" + UUID.randomUUID();
    String other = "listed-" + UUID.randomUUID();
    importConnection(one);
    importConnection(other);
    importConnection(one);
    await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor(one).size() == 2 && receivedFor(other).size() == 1);
    DeliveryRepository repository = new DeliveryRepository(org.jdbi.v3.core.Jdbi.create(db::open));
    List<Delivery> listed = repository.listForConnection(key, one, 20);
    // Newest first: the override, then the creation; none of the other connection's, nor of a namesake elsewhere.
    assertThat(listed).extracting(Delivery::eventId)
        .containsExactly(receivedFor(one).get(1).eventId(), receivedFor(one).get(0).eventId());
    assertThat(repository.listForConnection(key, other, 20)).extracting(Delivery::eventId).containsExactly(receivedFor(other).get(0).eventId());
    assertThat(repository.listForConnection("elsewhere", one, 20)).isEmpty();
    assertThat(repository.listForConnection(key, one, 1)).hasSize(1);
  }

  @Test
  void aReceiverDownForAWhileGetsEveryEventExactlyOnceWhenItIsBack() {
    receiver.answer(503);
    int answeredBefore = receiver.answered();
    List<String> cids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      cids.add("down-" + i + "-" + UUID.randomUUID());
      importConnection(cids.get(i));
    }
    // First it answers 503 to every event, then it is gone (connections refused) while the retries go on.
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.answered() - answeredBefore >= 10);
    receiver.stop();
    await().atMost(Duration.ofSeconds(20)).until(() -> deliveries().stream()
        .filter(d -> d.path("status").asText().equals("pending") && d.path("last_error").asText().contains("attempt"))
        .filter(d -> !d.path("last_error").asText().contains("503")).count() >= 5);
    receiver.answer(200);
    receiver.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> cids.stream().allMatch(c -> receivedFor(c).size() >= 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries().stream().noneMatch(d -> d.path("status").asText().equals("pending")
        || d.path("status").asText().equals("sending")));
    for (String c : cids) {
      assertThat(receivedFor(c)).as("event of " + c).hasSize(1);
    }
    Map<String, Long> byEvent = receiver.received().stream().collect(Collectors.groupingBy(WebhookReceiver.Received::eventId, Collectors.counting()));
    assertThat(byEvent.values()).allMatch(n -> n == 1);
  }

  @Test
  void aFailedDeliveryIsSentAgainThroughTheApiAndADeliveredOneNever() {
    receiver.answer(400);
    String cid = "retry-" + UUID.randomUUID();
    importConnection(cid);
    Function<String, JsonNode> delivery = status -> deliveries().stream()
        .filter(d -> d.path("status").asText().equals(status) && d.path("last_status").asInt() == 400).findFirst().orElse(null);
    await().atMost(Duration.ofSeconds(20)).until(() -> delivery.apply("failed") != null);
    JsonNode failed = delivery.apply("failed");
    assertThat(failed.path("attempts").asInt()).as("a 4xx is not retried").isEqualTo(1);
    assertThat(failed.path("last_error").asText()).contains("400");
    receiver.answer(200);
    ApiClient.Response retried = api.post("/webhooks/deliveries/" + failed.path("id").asLong() + "/retry", "");
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor(cid).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/webhooks/deliveries?status=delivered&limit=500").json().path("data")
        .findValues("id").stream().anyMatch(id -> id.asLong() == failed.path("id").asLong()));
    ApiClient.Response again = api.post("/webhooks/deliveries/" + failed.path("id").asLong() + "/retry", "");
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("webhook_delivery_not_retryable");
    assertThat(receivedFor(cid)).hasSize(1);
  }

  @Test
  void aRotatedKeySignsAtOnceAndThePreviousOneSignsASecondHeaderDuringTheGrace() throws Exception {
    ApiClient.Response rotated = api.post("/environment/webhook-signing-key/rotate", "");
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String newKey = rotated.json().path("data").path("webhook_signing_key").asText();
    assertThat(newKey).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    try {
      ApiClient.Response settings = api.get("/webhooks/settings");
      assertThat(settings.body()).doesNotContain(newKey).doesNotContain(SIGNING_KEY);
      assertThat(settings.json().path("data").path("signing_key_set").asBoolean()).isTrue();
      assertThat(settings.json().path("data").path("previous_signing_key_until").isTextual()).isTrue();
      String cid = "rotated-" + UUID.randomUUID();
      importConnection(cid);
      await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor(cid).size() == 1);
      WebhookReceiver.Received w = receivedFor(cid).get(0);
      assertThat(w.header("x-nango-hmac-sha256")).isEqualTo(hmac(newKey, w.body()));
      assertThat(w.header("x-nango-signature")).isEqualTo(sha256(newKey, w.body()));
      assertThat(w.header("x-graphgate-previous-hmac-sha256")).isEqualTo(hmac(SIGNING_KEY, w.body()));
    } finally {
      assertThat(api.patch("/webhooks/settings", "{\"signing_key\":\"" + SIGNING_KEY + "\"}").status()).isEqualTo(200);
    }
  }

  @Test
  void theSettingsAnswerNeverShowsTheKeyAndKeepWhatAPatchLeavesOut() {
    ApiClient.Response r = api.patch("/webhooks/settings", "{\"on_auth_refresh_error\":false}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode d = r.json().path("data");
    assertThat(d.path("primary_url").asText()).isEqualTo(receiver.url("/hooks"));
    assertThat(d.path("on_auth_refresh_error").asBoolean()).isFalse();
    assertThat(d.path("on_auth_creation").asBoolean()).isTrue();
    assertThat(d.has("signing_key")).isFalse();
    assertThat(r.body()).doesNotContain(SIGNING_KEY);
    assertThat(api.patch("/webhooks/settings", "{\"on_auth_refresh_error\":true}").json().path("data").path("on_auth_refresh_error").asBoolean())
        .isTrue();
    assertThat(Json.write(api.get("/webhooks/settings").json())).doesNotContain(SIGNING_KEY);
  }
}

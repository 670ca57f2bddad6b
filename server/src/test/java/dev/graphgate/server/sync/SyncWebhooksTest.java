package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sync} webhook (nango-api.md §7.3) from the outbox to a real receiver: one signed event per run with the
 * run's counts, none for a run that changed nothing while {@code on_sync_completion_always} is off, and a failure
 * event with the run's error code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncWebhooksTest {
  private static final String SIGNING_KEY = "whsec-sync-test-0123456789abcdef";

  @TempDir static Path dataDir;
  static TestDatabase db;
  static SyncRig rig;
  static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    receiver = WebhookReceiver.started();
    rig = SyncRig.start(dataDir, db, "{\"users\": 40, \"groups\": 2, \"membersPerGroup\": 5, \"anchorDate\": \"2025-03-14\"}",
        b -> b.webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true)
            .withDelivery(Duration.ofSeconds(5), 40, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(50))));
    rig.expect(rig.api().patch("/webhooks/settings", """
        {"primary_url":"%s","signing_key":"%s","on_sync_completion_always":false}""".formatted(receiver.url("/hooks"), SIGNING_KEY)), 200);
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
  void theFirstRunSendsOneSignedSyncEventWithItsCounts() throws Exception {
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}"), 200);
    JsonNode run = rig.awaitRunAfter(SyncRig.CONNECTION, "users", null);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCESS");

    WebhookReceiver.Received event = awaitSyncEvents(SyncRig.CONNECTION, 1).get(0);
    JsonNode body = event.json();
    assertThat(body.path("from").asText()).isEqualTo("nango");
    assertThat(body.path("success").asBoolean()).isTrue();
    assertThat(body.path("providerConfigKey").asText()).isEqualTo(SyncRig.INTEGRATION);
    assertThat(body.path("syncName").asText()).isEqualTo("users");
    assertThat(body.path("syncVariant").asText()).isEqualTo("base");
    assertThat(body.path("model").asText()).isEqualTo("User");
    assertThat(body.path("syncType").asText()).isEqualTo("INITIAL");
    assertThat(body.path("responseResults").toString()).isEqualTo("{\"added\":40,\"deleted\":0,\"updated\":0}");
    assertThat(body.path("modifiedAfter").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    // The body's keys are sorted at every depth, and the signature is over exactly these bytes.
    assertThat(event.bodyText()).startsWith("{\"connectionId\":\"contoso\",\"from\":\"nango\",\"model\":\"User\",\"modifiedAfter\":");
    assertThat(event.header("X-Nango-Hmac-Sha256")).isEqualTo(hmac(event.body()));
  }

  @Test
  @Order(2)
  void aRunThatChangedNothingIsNotAnnouncedAndTheNextRunCarriesExactlyItsChanges() {
    JsonNode unchanged = rig.runNow("users", false);
    assertThat(unchanged.path("latestResult").path("User").toString()).isEqualTo("{\"added\":0,\"updated\":0,\"deleted\":0}");
    String id = rig.allRecords("User", "").get(3).path("id").asText();
    rig.expect(rig.graphAdmin("PATCH", "/v1.0/users/" + id, "{\"jobTitle\":\"Announced\"}"), 204);
    rig.expect(rig.graphAdmin("DELETE", "/v1.0/users/" + rig.allRecords("User", "").get(7).path("id").asText(), null), 204);
    JsonNode changed = rig.runNow("users", false);
    assertThat(changed.path("status").asText()).isEqualTo("SUCCESS");

    List<WebhookReceiver.Received> events = awaitSyncEvents(SyncRig.CONNECTION, 2);
    JsonNode second = events.get(1).json();
    assertThat(second.path("syncType").asText()).isEqualTo("INCREMENTAL");
    assertThat(second.path("responseResults").toString()).isEqualTo("{\"added\":0,\"deleted\":1,\"updated\":1}");
    // The run with no changes wrote no event at all: the outbox holds exactly the two successes (the other
    // connection's runs, which fail for want of a permission, write failures).
    JsonNode deliveries = rig.api().get("/webhooks/deliveries?limit=500").json().path("data");
    assertThat(StreamSupport.stream(deliveries.spliterator(), false).filter(d -> d.path("event_type").asText().equals("sync"))
        .filter(d -> d.path("operation").asText().equals("success")).count()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void aFailedRunSendsAFailureEventWithTheRunsErrorCode() {
    JsonNode failed = rig.awaitRunAfter(SyncRig.BARE_CONNECTION, "users", null);
    assertThat(failed.path("status").asText()).isEqualTo("ERROR");

    JsonNode body = awaitSyncEvents(SyncRig.BARE_CONNECTION, 1).get(0).json();
    assertThat(body.path("success").asBoolean()).isFalse();
    assertThat(body.path("syncName").asText()).isEqualTo("users");
    assertThat(body.path("error").path("type").asText()).isEqualTo("permission_missing");
    assertThat(body.path("error").path("description").asText()).contains("User.Read.All");
    assertThat(body.path("startedAt").asText()).isNotEmpty();
    assertThat(body.path("failedAt").asText()).isNotEmpty();
    assertThat(body.has("responseResults")).isFalse();
  }

  private static List<WebhookReceiver.Received> awaitSyncEvents(String connection, int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> syncEvents(connection).size() >= count);
    List<WebhookReceiver.Received> events = syncEvents(connection);
    assertThat(events).hasSize(count);
    return events;
  }

  private static List<WebhookReceiver.Received> syncEvents(String connection) {
    return receiver.received().stream().filter(r -> r.json().path("type").asText().equals("sync"))
        .filter(r -> r.json().path("connectionId").asText().equals(connection)).toList();
  }

  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SIGNING_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}

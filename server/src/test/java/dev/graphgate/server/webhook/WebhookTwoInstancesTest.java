package dev.graphgate.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.observe.MeterNames;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database, both delivering from the one outbox: every event reaches the receiver
 * exactly once, first answers of 503 (which make both instances race for the retries) included.
 */
class WebhookTwoInstancesTest {
  @TempDir Path dataDir;
  TestDatabase db;
  Graphgate a;
  Graphgate b;
  WebhookReceiver receiver;

  @BeforeEach
  void start() {
    db = TestDatabase.postgres();
    receiver = WebhookReceiver.started();
    Graphgate.Options options = Graphgate.Options.defaults().withTokenEndpoint(new ScriptedTokenEndpoint());
    a = Graphgate.start(TestServers.config(db, dataDir).webhooks(WebhookDeliveryContract.fastDeliveries()).build(), options);
    b = Graphgate.start(TestServers.config(db, dataDir).webhooks(WebhookDeliveryContract.fastDeliveries()).build(), options);
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    receiver.close();
    db.close();
  }

  static long attempts(Graphgate g) {
    return (long) g.meters().find(MeterNames.WEBHOOK_ATTEMPTS).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void eachEventIsDeliveredOnceWhateverInstanceWroteIt() {
    ApiClient apiA = TestServers.client(a);
    ApiClient apiB = TestServers.client(b);
    assertThat(apiA.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}").status()).isEqualTo(200);
    assertThat(apiB.patch("/webhooks/settings", "{\"primary_url\":\"" + receiver.url("/a") + "\",\"secondary_url\":\""
        + receiver.url("/b") + "\"}").status()).isEqualTo(200);
    receiver.answer(503);
    int events = 20;
    List<String> cids = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      String cid = "two-" + i;
      cids.add(cid);
      ApiClient api = i % 2 == 0 ? apiA : apiB;
      ApiClient.Response r = api.post("/connections", """
          {"provider_config_key":"ms","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s"},
           "connection_config":{"tenantId":"%s"}}""".formatted(cid, WebhookDeliveryContract.CLIENT, WebhookDeliveryContract.TENANT));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.answered() >= events * 2 * 2);
    receiver.answer(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= events * 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> apiA.get("/webhooks/deliveries?limit=500").json().path("data").findValuesAsText("status")
        .stream().allMatch(s -> s.equals("delivered")));
    // Both destinations, each event once at each.
    Map<String, Long> perDestination = receiver.received().stream()
        .collect(Collectors.groupingBy(r -> r.header(":path") + " " + r.eventId(), Collectors.counting()));
    assertThat(perDestination).hasSize(events * 2);
    assertThat(perDestination.values()).allMatch(n -> n == 1);
    assertThat(receiver.received()).hasSize(events * 2);
    assertThat(attempts(a)).as("instance a sent some").isPositive();
    assertThat(attempts(b)).as("instance b sent some").isPositive();
    assertThat(attempts(a) + attempts(b)).as("every attempt reached the receiver").isEqualTo(receiver.answered());
    assertThat(receiver.received().stream().map(r -> r.json().path("connectionId").asText()).distinct().sorted().toList())
        .isEqualTo(cids.stream().sorted().toList());
  }
}

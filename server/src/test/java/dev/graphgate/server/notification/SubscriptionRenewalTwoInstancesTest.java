package dev.graphgate.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database, both running the subscription worker every 200 ms: when the
 * subscriptions come due for renewal (their renewal time set to now, as if their half-life had passed), each is
 * renewed exactly once per time it came due, by one instance (the conditional-UPDATE lease), and Graph's expiry moves.
 */
class SubscriptionRenewalTwoInstancesTest {
  static final int ROUNDS = 4;

  @TempDir Path dataDir;

  @Test
  void eachDueSubscriptionIsRenewedOnceAcrossTwoInstances() {
    try (TestDatabase db = TestDatabase.postgres()) {
      int port = freePort();
      SyncRig rig = SyncRig.start(dataDir, db, """
          {"users": 4, "groups": 1, "membersPerGroup": 2, "messagesPerMailbox": 1, "eventsPerMailbox": 0, "anchorDate": "2025-03-14"}""",
          b -> b.port(port).notificationUrl(URI.create("http://127.0.0.1:" + port)).subscriptionPollInterval(Duration.ofMillis(200)));
      try (rig; Graphgate second = Graphgate.start(rig.graphgate.config().toBuilder().port(0).build())) {
        NotificationRig n = new NotificationRig(rig, db);
        rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\",\"groups\",\"messages\"]}"), 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          List<JsonNode> s = subscriptions(rig);
          return s.size() >= 3 && s.stream().allMatch(x -> x.path("status").asText().equals("active"));
        });
        int count = subscriptions(rig).size();
        ApiClient emulator = new ApiClient(URI.create(rig.emulator.loginUrl()), null);
        for (int round = 1; round <= ROUNDS; round++) {
          Map<String, String> expiryAtGraph = graphExpiries(emulator);
          n.jdbi.useHandle(h -> h.createUpdate("UPDATE graph_subscriptions SET due_at = :now WHERE connection_id = :c")
              .bind("now", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1)).bind("c", n.connectionRowId(SyncRig.CONNECTION)).execute());
          int expected = round;
          await().atMost(Duration.ofSeconds(60)).until(() -> subscriptions(rig).stream().allMatch(s -> s.path("renewals").asInt() >= expected));
          assertThat(subscriptions(rig)).hasSize(count).allSatisfy(s -> assertThat(s.path("renewals").asInt()).as(s.toString()).isEqualTo(expected));
          // Each renewal reached Graph: its expiry moved (the emulator keeps it to the millisecond).
          Map<String, String> after = graphExpiries(emulator);
          assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(expiryAtGraph.keySet());
          after.forEach((id, exp) -> assertThat(exp).as(id).isNotEqualTo(expiryAtGraph.get(id)));
        }
      }
    }
  }

  private static Map<String, String> graphExpiries(ApiClient emulator) {
    Map<String, String> out = new HashMap<>();
    emulator.get("/_emulator/tenants/" + SyncRig.TENANT_ID + "/subscriptions").json().path("value")
        .forEach(s -> out.put(s.path("id").asText(), s.path("expirationDateTime").asText()));
    return out;
  }

  private static List<JsonNode> subscriptions(SyncRig rig) {
    ApiClient.Response r = rig.expect(rig.api().get("/connections/" + SyncRig.CONNECTION + "/subscriptions?provider_config_key=" + SyncRig.INTEGRATION),
        200);
    return StreamSupport.stream(r.json().path("subscriptions").spliterator(), false).toList();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.server.notification.SubscriptionRepository;
import dev.graphgate.server.secret.EncryptionKey;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notification Graphgate acknowledged survives {@code kill -9}: batches are posted to a {@code serve} process as
 * Graph posts them, each answered 202, the process is killed right after the last answer, and every acknowledged
 * notification is in the inbox; the restarted process processes each exactly once (one forward webhook entry each).
 * On PostgreSQL, so the test can see the process's tables while it runs; the subscription is written as if Graph had
 * created it (sealed with the process's encryption key).
 */
class ServeNotificationKillTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GRAPH_ID = "7d3c1b2a-0000-4f00-9000-00000000c0de";
  static final String CLIENT_STATE = "kill-test-client-state-0123456789";
  static final int BATCHES = 30;
  static final int PER_BATCH = 10;

  @TempDir Path temp;

  @Test
  void everyAcknowledgedNotificationIsProcessedOnceAfterAKill() throws Exception {
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); TestDatabase db = TestDatabase.postgres()) {
      EmulatedTenant.seed(emulator);
      Map<String, String> settings = new HashMap<>(ServeProcess.baseSettings(temp.resolve("data")));
      settings.putAll(EmulatedTenant.cloudSettings(emulator));
      settings.put("GRAPHGATE_DATABASE_URL", db.url());
      settings.put("GRAPHGATE_DATABASE_USER", db.user());
      settings.put("GRAPHGATE_SUBSCRIPTION_POLL_INTERVAL", "200ms");
      // The app is away: forwards wait in the outbox (what is checked here is what the processor wrote there).
      settings.put("GRAPHGATE_WEBHOOK_PRIMARY_URL", "http://127.0.0.1:" + ServeProcess.freePort() + "/hooks");
      settings.put("GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS", "true");

      List<String> acknowledged = new ArrayList<>();
      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        ApiClient api = serve.api();
        EmulatedTenant.createIntegration(api);
        assertThat(api.patch("/integrations/" + EmulatedTenant.INTEGRATION, "{\"forward_webhooks\":true}").status()).isEqualTo(200);
        assertThat(api.post("/connections", EmulatedTenant.importBody("contoso")).status()).isEqualTo(201);
        assertThat(api.send(api.json("PUT", "/integrations/" + EmulatedTenant.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}")).status())
            .isEqualTo(200);
        seedSubscription(db);
        String path = URI.create(api.get("/integrations/" + EmulatedTenant.INTEGRATION + "?include=webhook").json().path("data").path("webhook_url")
            .asText()).getRawPath();
        ApiClient graph = new ApiClient(serve.baseUrl(), null);
        for (int b = 0; b < BATCHES; b++) {
          List<String> batch = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < PER_BATCH; i++) {
            String id = "kill-" + b + "-" + i;
            ids.add(id);
            batch.add("""
                {"id":"%s","subscriptionId":"%s","clientState":"%s","changeType":"updated","resource":"Users/%s","tenantId":"%s",
                 "resourceData":{"@odata.type":"#Microsoft.Graph.User","id":"%s"}}""".formatted(id, GRAPH_ID, CLIENT_STATE, id, EmulatedTenant.TENANT_ID, id));
          }
          ApiClient.Response r = graph.send(graph.request(path).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"value\":[" + String.join(",", batch) + "]}")));
          assertThat(r.status()).as(r.body()).isEqualTo(202);
          acknowledged.addAll(ids);
        }
        serve.kill();
      }
      // Everything acknowledged was stored before its answer.
      assertThat(count(db, "SELECT COUNT(*) FROM notification_inbox")).isEqualTo(BATCHES * PER_BATCH);

      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        // A batch the kill caught mid-way is taken over once its lease (30 s) runs out.
        await().atMost(Duration.ofSeconds(90)).until(() -> count(db, "SELECT COUNT(*) FROM notification_inbox WHERE processed_at IS NULL") == 0);
        List<String> forwarded = new ArrayList<>();
        try (Connection c = db.open(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT body FROM webhook_events WHERE event_type = 'forward' ORDER BY id")) {
          while (rs.next()) {
            JsonNode event = JSON.readTree(rs.getString(1));
            assertThat(event.path("connectionId").asText()).isEqualTo("contoso");
            event.path("payload").path("value").forEach(n -> forwarded.add(n.path("id").asText()));
          }
        }
        Map<String, Long> times = forwarded.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(times.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(times.values()).allMatch(n -> n == 1);
      }
    }
  }

  private static void seedSubscription(TestDatabase db) throws Exception {
    SecretBox box = new SecretBox(EncryptionKey.fromBase64(ServeProcess.ENCRYPTION_KEY), List.of(), new SecureRandom());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Connection c = db.open(); PreparedStatement p = c.prepareStatement("INSERT INTO graph_subscriptions (connection_id, sync_name, resource, "
        + "change_type, subscription_id, client_state_sealed, status, expires_at, action, due_at, renewals, failures, created_at, updated_at) "
        + "SELECT id, 'users', 'users', 'updated,deleted', ?, ?, 'active', ?, 'renew', ?, 0, 0, ?, ? FROM connections WHERE connection_id = 'contoso'")) {
      p.setString(1, GRAPH_ID);
      p.setString(2, box.seal(CLIENT_STATE, SubscriptionRepository.CLIENT_STATE_PURPOSE));
      p.setObject(3, now.plusDays(20));
      p.setObject(4, now.plusDays(7));
      p.setObject(5, now);
      p.setObject(6, now);
      assertThat(p.executeUpdate()).isEqualTo(1);
    }
  }

  private static long count(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.graphgate.server.testing.ApiClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox survives {@code kill -9}: connections are imported (each answer confirms the connection and its
 * {@code auth} event, one commit) while the customer's app is down, the {@code serve} process is killed, the app comes
 * up, and the restarted process delivers every event, exactly once, signed with the configured key.
 */
class ServeWebhookKillTest {
  static final String SIGNING_KEY = "kill-test-signing-key-0123456789";
  static final int CONNECTIONS = 10;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void eventsCommittedBeforeAKillAreDeliveredOnceAfterTheRestart() throws Exception {
    int receiverPort = ServeProcess.freePort();
    Map<String, String> settings = new HashMap<>(ServeProcess.baseSettings(temp.resolve("data")));
    settings.put("GRAPHGATE_WEBHOOK_PRIMARY_URL", "http://127.0.0.1:" + receiverPort + "/hooks");
    settings.put("GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    settings.put("GRAPHGATE_WEBHOOK_SIGNING_KEY", SIGNING_KEY);
    settings.put("GRAPHGATE_WEBHOOK_RETRY_INITIAL", "200ms");
    settings.put("GRAPHGATE_WEBHOOK_RETRY_MAX", "1s");
    settings.put("GRAPHGATE_WEBHOOK_MAX_ATTEMPTS", "50");
    settings.put("GRAPHGATE_WEBHOOK_POLL_INTERVAL", "100ms");
    // A delivery the kill catches mid-send is sent again once its lease runs out: twice the attempt timeout plus
    // DeliveryWorker.LEASE_MARGIN (30 s), 34 s with this timeout (70 s with the default one). The waits after the
    // restart below outlast that.
    settings.put("GRAPHGATE_WEBHOOK_TIMEOUT", "2s");

    List<String> cids = new ArrayList<>();
    try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
      ApiClient api = serve.api();
      assertThat(api.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}").status()).isEqualTo(200);
      for (int i = 0; i < CONNECTIONS; i++) {
        String cid = "kill-" + i;
        ApiClient.Response r = api.post("/connections", """
            {"provider_config_key":"ms","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"7f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
             "client_secret":"s"},"connection_config":{"tenantId":"3c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e41"}}""".formatted(cid));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        cids.add(cid);
      }
      // The app is down: every delivery has been tried and is waiting for its next attempt.
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        JsonNode list = JSON.readTree(api.get("/webhooks/deliveries?status=pending").body()).path("data");
        int tried = 0;
        for (JsonNode d : list) {
          tried += d.path("attempts").asInt() >= 1 ? 1 : 0;
        }
        return tried == CONNECTIONS;
      });
      serve.kill();
    }

    List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    List<String> signatures = Collections.synchronizedList(new ArrayList<>());
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), receiverPort), 0);
    app.createContext("/hooks", exchange -> {
      bodies.add(exchange.getRequestBody().readAllBytes());
      signatures.add(exchange.getRequestHeaders().getFirst("X-Nango-Hmac-Sha256"));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    app.start();
    try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
      ApiClient api = serve.api();
      await().atMost(Duration.ofSeconds(75)).until(() -> bodies.size() >= CONNECTIONS);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        JsonNode list = JSON.readTree(api.get("/webhooks/deliveries?limit=500").body()).path("data");
        int delivered = 0;
        for (JsonNode d : list) {
          delivered += d.path("status").asText().equals("delivered") ? 1 : 0;
        }
        return delivered == CONNECTIONS && list.size() == CONNECTIONS;
      });
    } finally {
      app.stop(0);
    }
    assertThat(bodies).hasSize(CONNECTIONS);
    Map<String, Long> perConnection = bodies.stream().map(b -> {
      try {
        return JSON.readTree(b).path("connectionId").asText();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).collect(Collectors.groupingBy(c -> c, Collectors.counting()));
    assertThat(perConnection.keySet()).containsExactlyInAnyOrderElementsOf(cids);
    assertThat(perConnection.values()).allMatch(n -> n == 1);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SIGNING_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    for (int i = 0; i < bodies.size(); i++) {
      assertThat(signatures.get(i)).isEqualTo(HexFormat.of().formatHex(mac.doFinal(bodies.get(i))));
    }
  }
}

package dev.graphgate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.notification.SubscriptionRepository;
import dev.graphgate.server.secret.EncryptionKey;
import dev.graphgate.server.secret.SecretBox;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Graphgate of {@link NotificationsBenchmark}, in a JVM of its own: the emulator (a tenant with 50 users whose
 * admin granted {@code User.Read.All}), Graphgate on the default embedded database (an H2 file) with
 * {@code GRAPHGATE_PUBLIC_URL} its own address, the integration with {@code forward_webhooks}, connection
 * {@code contoso}, the {@code users} sync enabled (so Graphgate creates its Graph subscription, handshake included),
 * and the app's webhook receiver, which counts the notifications forwarded to it. Prints
 * {@code READY <port> <webhook path> <subscription id> <clientState> <tenant>} once the subscription is active;
 * answers {@code stats} with {@code STATS <inbox rows> <processed> <forwarded distinct> <forwarded total> <sync runs>}.
 */
public final class NotificationsProcess {
  static final String TENANT_ID = "5d7e9f1a-2b3c-4d5e-8f6a-7b8c9d0e1f2a";
  static final String APP_ID = "9e8d7c6b-5a49-4382-b716-a5b4c3d2e1f0";
  static final String APP_SECRET = "notifications-bench-secret";
  static final String KEY = "benchmark-encryption-key-32byte!";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Set<String> forwardedIds = ConcurrentHashMap.newKeySet();
    AtomicLong forwardedTotal = new AtomicLong();
    AtomicLong syncRuns = new AtomicLong();
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/hooks", exchange -> {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      if (body.path("type").asText().equals("forward")) {
        body.path("payload").path("value").forEach(n -> {
          forwardedTotal.incrementAndGet();
          forwardedIds.add(n.path("id").asText());
        });
      } else if (body.path("type").asText().equals("sync")) {
        syncRuns.incrementAndGet();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    app.start();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Files.createTempDirectory("graphgate-notifications-bench");
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral())) {
      emulator.directory().createTenant(Optional.of(TENANT_ID), Optional.of("Contoso"), List.of("contoso.onmicrosoft.com"));
      emulator.directory().createApp(new NewApp(Optional.of(APP_ID), "notifications benchmark", true, Optional.of(TENANT_ID), List.of(),
          List.of("User.Read.All"), List.of(new NewApp.NewSecret(Optional.of(APP_SECRET), Optional.empty())), List.of(), false));
      emulator.directory().grant(TENANT_ID, APP_ID, List.of("User.Read.All"));
      emulator.graphData().tenants().generate(TENANT_ID,
          new GenerationSpec(50, 0, 0, 0, 0, 0, 0, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty()));
      GraphgateConfig config = GraphgateConfig.builder().port(port).host("127.0.0.1").dataDir(data).secretKey(Fixture.SECRET_KEY)
          .encryptionKey(Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.US_ASCII)))
          .cloud(CloudConfig.custom(emulator.loginUrl(), emulator.graphUrl()))
          .notificationUrl(URI.create("http://127.0.0.1:" + port)).subscriptionPollInterval(Duration.ofMillis(500))
          .webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true))
          .build();
      try (Graphgate g = Graphgate.start(config); HttpClient http = HttpClient.newHttpClient()) {
        URI base = g.baseUrl();
        send(http, base, "POST", "/integrations", "{\"unique_key\":\"microsoft\",\"provider\":\"microsoft-oauth2-cc\",\"forward_webhooks\":true}");
        send(http, base, "POST", "/connections", """
            {"provider_config_key":"microsoft","connection_id":"contoso","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
             "connection_config":{"tenantId":"%s"}}""".formatted(APP_ID, APP_SECRET, TENANT_ID));
        send(http, base, "PATCH", "/webhooks/settings", "{\"primary_url\":\"http://127.0.0.1:" + app.getAddress().getPort() + "/hooks\","
            + "\"on_sync_completion_always\":true}");
        send(http, base, "PUT", "/integrations/microsoft/syncs", "{\"syncs\":[\"users\"]}");
        String webhookPath = URI.create(JSON.readTree(send(http, base, "GET", "/integrations/microsoft?include=webhook", null)).path("data")
            .path("webhook_url").asText()).getRawPath();
        Instant until = Instant.now().plusSeconds(60);
        JsonNode sub = null;
        while (Instant.now().isBefore(until)) {
          JsonNode list = JSON.readTree(send(http, base, "GET", "/connections/contoso/subscriptions?provider_config_key=microsoft", null))
              .path("subscriptions");
          if (list.size() == 1 && list.get(0).path("status").asText().equals("active")) {
            sub = list.get(0);
            break;
          }
          Thread.sleep(200);
        }
        if (sub == null) {
          throw new IllegalStateException("the users subscription did not become active within 60 s");
        }
        String jdbc = config.databaseUrl();
        SecretBox box = new SecretBox(EncryptionKey.fromBase64(config.encryptionKey().orElseThrow()), List.of(), new SecureRandom());
        String clientState;
        try (Connection c = DriverManager.getConnection(jdbc, "", ""); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT client_state_sealed FROM graph_subscriptions")) {
          rs.next();
          clientState = box.unseal(rs.getString(1), SubscriptionRepository.CLIENT_STATE_PURPOSE);
        }
        System.out.println("READY " + port + " " + webhookPath + " " + sub.path("subscription_id").asText() + " " + clientState + " " + TENANT_ID);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
          if (line.equals("stats")) {
            try (Connection c = DriverManager.getConnection(jdbc, "", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(processed_at) FROM notification_inbox")) {
              rs.next();
              System.out.println("STATS " + rs.getLong(1) + " " + rs.getLong(2) + " " + forwardedIds.size() + " " + forwardedTotal.get() + " "
                  + syncRuns.get());
              System.out.flush();
            }
          }
        }
      }
    } finally {
      app.stop(0);
    }
  }

  private static String send(HttpClient http, URI base, String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + Fixture.SECRET_KEY);
    b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}

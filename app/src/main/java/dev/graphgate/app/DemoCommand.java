package dev.graphgate.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.InvalidConfigException;
import dev.graphgate.server.config.WebhookConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graphgate demo}: the emulator and Graphgate in one process. The emulator is seeded with a tenant whose admin
 * granted the app's permissions ({@code contoso}) and one whose admin has not yet ({@code fabrikam}); Graphgate, through
 * its public API, with the integration {@code microsoft} and a connection to each.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the demo: the Microsoft emulator with seeded tenants (contoso.onmicrosoft.com, fabrikam.onmicrosoft.com) "
        + "and app, and Graphgate in front of it with the integration 'microsoft' and a connection to each tenant.")
final class DemoCommand implements Callable<Integer> {
  static final String SECRET_KEY = "5b1f3c1e-9d7a-4c2b-8e6f-0a1b2c3d4e5f";
  static final String TENANT_ID = "8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41";
  static final String TENANT_DOMAIN = "contoso.onmicrosoft.com";
  static final String FABRIKAM_ID = "c7d9e1f3-5a7b-4c9d-8e1f-3a5b7c9d1e2f";
  static final String FABRIKAM_DOMAIN = "fabrikam.onmicrosoft.com";
  static final String APP_ID = "4a6f1d0e-7b2c-4e8a-9f3d-2c5b8e1a6d70";
  static final String APP_SECRET = "demo-secret-not-for-production";
  /** What the demo's contoso tenant holds in Graph: enough to page through, small enough to read. */
  static final GenerationSpec DEMO_DATA =
      new GenerationSpec(250, 12, 20, 25, 15, 20, 4, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty());

  /** Read for the syncs and the proxy; write for the pre-built actions (docs/actions.md). */
  static final List<String> ROLES = List.of("User.Read.All", "Group.Read.All", "Mail.Read", "Calendars.Read", "Files.Read.All", "Sites.Read.All",
      "Mail.Send", "Calendars.ReadWrite", "User.ReadWrite.All", "GroupMember.ReadWrite.All", "Files.ReadWrite.All",
      "Organization.Read.All");
  static final String INTEGRATION = "microsoft";

  // Read GRAPHGATE_PORT when the demo runs, not when picocli builds the command: a bad value must be a one-line error
  // of the demo, not a stack trace from every subcommand.
  @Option(names = "--port", description = "Graphgate's port (default: GRAPHGATE_PORT, else 3003; 0 = any free port).")
  Integer port;

  @Option(names = "--login-port", description = "Port of the emulator's login host (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int loginPort = EmulatorConfig.DEFAULT_LOGIN_PORT;

  @Option(names = "--graph-port", description = "Port of the emulator's Graph host (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int graphPort = EmulatorConfig.DEFAULT_GRAPH_PORT;

  /** The running demo: both servers, seeded. */
  record Demo(Emulator emulator, Graphgate graphgate, String connectLink, String connectLinkExpiresAt) implements AutoCloseable {
    String baseUrl() {
      return "http://localhost:" + graphgate.port();
    }

    @Override
    public void close() {
      graphgate.close();
      emulator.close();
    }
  }

  @Override
  public Integer call() throws Exception {
    int port;
    try {
      port = this.port != null ? this.port : defaultPort(System.getenv());
    } catch (InvalidConfigException e) {
      System.err.println("graphgate: " + e.getMessage());
      return 2;
    }
    Ports.requireFree("127.0.0.1", port, "--port");
    Ports.requireFree(EmulatorConfig.DEFAULT_HOST, loginPort, "--login-port");
    Ports.requireFree(EmulatorConfig.DEFAULT_HOST, graphPort, "--graph-port");
    Demo demo = start(port, loginPort, graphPort);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println();
      System.out.println("Stopping the demo ...");
      demo.close();
      System.out.println("Demo stopped (its in-memory data is gone; ./graphgate demo starts it afresh).");
    }, "demo-shutdown"));
    Emulator emulator = demo.emulator();
    String base = demo.baseUrl();
    System.out.println("Graphgate demo is running.");
    System.out.println("  Graphgate:  " + base + "   secret key " + SECRET_KEY);
    System.out.println("              integration '" + INTEGRATION + "'; connection 'contoso' (permissions granted),");
    System.out.println("              connection 'fabrikam' (its admin has not granted them yet)");
    System.out.println("  Microsoft emulator: login host " + emulator.loginUrl() + ", Graph host " + emulator.graphUrl());
    System.out.println("              tenants " + TENANT_DOMAIN + " (" + TENANT_ID + ") and " + FABRIKAM_DOMAIN + " (" + FABRIKAM_ID + ")");
    System.out.println("              app " + APP_ID + ", secret " + APP_SECRET + ", granted in contoso: " + String.join(", ", ROLES));
    System.out.println("              contoso's Graph data: " + DEMO_DATA.users() + " users, " + DEMO_DATA.groups() + " groups, mail, calendars,"
        + " files and sites (docs/emulator-graph.md)");
    System.out.println();
    System.out.println("Fetch contoso's token from Graphgate:");
    System.out.println("  curl -s '" + base + "/connections/contoso?provider_config_key=" + INTEGRATION + "' \\");
    System.out.println("    -H 'Authorization: Bearer " + SECRET_KEY + "'");
    System.out.println();
    System.out.println("Call Graph through Graphgate's proxy (token added, throttling honoured):");
    System.out.println("  curl -s '" + base + "/proxy/v1.0/users?$top=3&$select=displayName,mail' \\");
    System.out.println("    -H 'Authorization: Bearer " + SECRET_KEY + "' -H 'Connection-Id: contoso' -H 'Provider-Config-Key: " + INTEGRATION + "'");
    System.out.println();
    System.out.println("The users, groups, messages, events, drive-items and sites syncs run for every connection (hourly); contoso's records:");
    System.out.println("  curl -s '" + base + "/records?model=User&limit=3' \\");
    System.out.println("    -H 'Authorization: Bearer " + SECRET_KEY + "' -H 'Connection-Id: contoso' -H 'Provider-Config-Key: " + INTEGRATION + "'");
    System.out.println("  (docs/syncs.md)");
    System.out.println("Changes arrive in real time: Graph's change notifications trigger the syncs (docs/notifications.md); the subscriptions:");
    System.out.println("  curl -s '" + base + "/connections/contoso/subscriptions?provider_config_key=" + INTEGRATION + "' \\");
    System.out.println("    -H 'Authorization: Bearer " + SECRET_KEY + "'");
    System.out.println();
    System.out.println("The same token request, straight to the emulator:");
    System.out.println("  " + CurlHints.tokenRequest(emulator, TENANT_DOMAIN, APP_ID, APP_SECRET));
    System.out.println();
    System.out.println("Connect a tenant as a customer's admin would, in the Connect UI (a connect session's link; it works until "
        + demo.connectLinkExpiresAt() + "):");
    System.out.println("  " + demo.connectLink());
    System.out.println("  for contoso: tenant ID " + TENANT_ID + ", client ID " + APP_ID + ", client secret " + APP_SECRET);
    System.out.println("  (a new link: POST /connect/sessions, docs/connect.md)");
    System.out.println();
    System.out.println("Request counters: curl -s " + emulator.loginUrl() + "/_emulator/stats");
    System.out.println("More: docs/proxy.md, docs/connections-and-tokens.md, docs/syncs.md, docs/emulator.md. Press Ctrl+C to stop.");
    new CountDownLatch(1).await();
    return 0;
  }

  /** GRAPHGATE_PORT, read and checked as {@code serve} reads it, else {@value GraphgateConfig#DEFAULT_PORT}. */
  static int defaultPort(java.util.Map<String, String> env) {
    String value = env.get("GRAPHGATE_PORT");
    return value == null ? GraphgateConfig.DEFAULT_PORT : GraphgateConfig.fromEnvironment(java.util.Map.of("GRAPHGATE_PORT", value)).port();
  }

  /** Starts the emulator, Graphgate in front of it (fresh in-memory database), and seeds both. */
  static Demo start(int port, int loginPort, int graphPort) throws IOException, InterruptedException {
    Emulator emulator = Emulator.start(EmulatorConfig.defaults().withPorts(loginPort, graphPort));
    Graphgate graphgate;
    try {
      // A fresh in-memory database each run, so the demo always starts from the same state.
      graphgate = Graphgate.start(GraphgateConfig.builder()
          .port(port)
          .host("127.0.0.1")
          .dataDir(demoDataDir())
          .databaseUrl("jdbc:h2:mem:graphgate-demo-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")
          .secretKey(SECRET_KEY)
          .encryptionKey(Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32)))
          .cloud(CloudConfig.custom(emulator.loginUrl(), emulator.graphUrl()))
          // The demo's webhook receiver is on this machine (docs/webhooks.md): loopback destinations are allowed.
          .webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true))
          // Graph (the emulator) delivers change notifications here: the syncs' subscriptions are created at start, and
          // a change in the emulator reaches the records in seconds (docs/notifications.md). Needs the port up front.
          .notificationUrl(port == 0 ? null : URI.create("http://127.0.0.1:" + port))
          .subscriptionPollInterval(java.time.Duration.ofSeconds(1))
          .build());
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
    try {
      seed(emulator, "http://localhost:" + graphgate.port() + "/admin-consent/callback");
      URI api = URI.create("http://localhost:" + graphgate.port() + "/");
      // One client for the setup calls, closed afterwards (each HttpClient keeps a selector thread while it lives).
      try (HttpClient http = HttpClient.newHttpClient()) {
        post(http, api.resolve("integrations"),
            "{\"unique_key\":\"" + INTEGRATION + "\",\"provider\":\"microsoft-oauth2-cc\",\"display_name\":\"Microsoft 365\"}");
        for (String[] c : new String[][] {{"contoso", TENANT_ID}, {"fabrikam", FABRIKAM_ID}}) {
          post(http, api.resolve("connections"), "{\"provider_config_key\":\"" + INTEGRATION + "\",\"connection_id\":\"" + c[0] + "\","
              + "\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"" + APP_ID + "\",\"client_secret\":\"" + APP_SECRET + "\"},"
              + "\"connection_config\":{\"tenantId\":\"" + c[1] + "\"}}");
        }
        // The pre-built syncs run on every connection of the integration (contoso's first run starts at once).
        send(http, "PUT", api.resolve("integrations/" + INTEGRATION + "/syncs"),
            "{\"syncs\":[\"users\",\"groups\",\"messages\",\"events\",\"drive-items\",\"sites\"]}");
        JsonNode session = Json.parse(post(http, api.resolve("connect/sessions"),
            "{\"end_user\":{\"id\":\"demo-admin\",\"display_name\":\"Demo admin\"},\"allowed_integrations\":[\"" + INTEGRATION + "\"]}"))
            .path("data");
        return new Demo(emulator, graphgate, session.path("connect_link").asText(), session.path("expires_at").asText());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      graphgate.close();
      emulator.close();
      throw e;
    }
  }

  /** An empty directory for the settings that need one; nothing is written there (in-memory database, key given). */
  private static java.nio.file.Path demoDataDir() throws IOException {
    java.nio.file.Path dir = Files.createTempDirectory("graphgate-demo");
    dir.toFile().deleteOnExit();
    return dir;
  }

  /**
   * The customer tenants and the SaaS app: Contoso's admin has consented to the app's permissions, Fabrikam's has
   * installed the app without granting them. Graphgate's admin-consent callback is a registered redirect URI.
   */
  static void seed(Emulator emulator, String graphgateConsentCallback) {
    emulator.directory().createTenant(Optional.of(TENANT_ID), Optional.of("Contoso"), List.of(TENANT_DOMAIN));
    emulator.directory().createTenant(Optional.of(FABRIKAM_ID), Optional.of("Fabrikam"), List.of(FABRIKAM_DOMAIN));
    emulator.directory().createApp(new NewApp(
        Optional.of(APP_ID), "Graphgate demo app", true, Optional.of(TENANT_ID),
        List.of("http://localhost:3000/consent/callback", graphgateConsentCallback),
        ROLES, List.of(new NewApp.NewSecret(Optional.of(APP_SECRET), Optional.empty())), List.of(), false));
    emulator.directory().grant(TENANT_ID, APP_ID, ROLES);
    emulator.directory().grant(FABRIKAM_ID, APP_ID, List.of());
    emulator.graphData().tenants().generate(TENANT_ID, DEMO_DATA);
  }

  private static String post(HttpClient http, URI uri, String json) throws IOException, InterruptedException {
    return send(http, "POST", uri, json);
  }

  private static String send(HttpClient http, String method, URI uri, String json) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + SECRET_KEY)
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("demo setup failed: " + method + " " + uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}

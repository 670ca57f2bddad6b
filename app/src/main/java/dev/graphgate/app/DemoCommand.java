package dev.graphgate.app;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
    description = "Start the Microsoft emulator and Graphgate against it, seed a demo integration and connections, and print what to try.")
final class DemoCommand implements Callable<Integer> {
  static final String SECRET_KEY = "5b1f3c1e-9d7a-4c2b-8e6f-0a1b2c3d4e5f";
  static final String TENANT_ID = "8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41";
  static final String TENANT_DOMAIN = "contoso.onmicrosoft.com";
  static final String FABRIKAM_ID = "c7d9e1f3-5a7b-4c9d-8e1f-3a5b7c9d1e2f";
  static final String FABRIKAM_DOMAIN = "fabrikam.onmicrosoft.com";
  static final String APP_ID = "4a6f1d0e-7b2c-4e8a-9f3d-2c5b8e1a6d70";
  static final String APP_SECRET = "demo-secret-not-for-production";
  static final List<String> ROLES = List.of("User.Read.All", "Group.Read.All", "Mail.Read", "Calendars.Read", "Files.Read.All", "Sites.Read.All");

  @Option(names = "--port", description = "Graphgate's port (default: GRAPHGATE_PORT, else ${DEFAULT-VALUE}).")
  int port = Integer.parseInt(System.getenv().getOrDefault("GRAPHGATE_PORT", "3003"));

  @Option(names = "--emulator-login-port", description = "The emulator's login host port (default: ${DEFAULT-VALUE}).")
  int loginPort = EmulatorConfig.DEFAULT_LOGIN_PORT;

  @Option(names = "--emulator-graph-port", description = "The emulator's Graph host port (default: ${DEFAULT-VALUE}).")
  int graphPort = EmulatorConfig.DEFAULT_GRAPH_PORT;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws Exception {
    Emulator emulator = Emulator.start(EmulatorConfig.defaults().withPorts(loginPort, graphPort));
    Path dataDir = Files.createTempDirectory("graphgate-demo");
    Graphgate graphgate;
    try {
      // A fresh in-memory database each run, so the demo always starts from the same state.
      graphgate = Graphgate.start(GraphgateConfig.builder()
          .port(port)
          .host("127.0.0.1")
          .dataDir(dataDir)
          .databaseUrl("jdbc:h2:mem:graphgate-demo;DB_CLOSE_DELAY=-1")
          .secretKey(SECRET_KEY)
          .encryptionKey(java.util.Base64.getEncoder().encodeToString(new java.security.SecureRandom().generateSeed(32)))
          .cloud(CloudConfig.custom(emulator.loginUrl(), emulator.graphUrl()))
          .build());
    } catch (RuntimeException e) {
      emulator.close();
      System.err.println("graphgate demo: " + e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      graphgate.close();
      emulator.close();
    }, "demo-shutdown"));

    seed(emulator, "http://localhost:" + graphgate.port() + "/admin-consent/callback");

    URI api = URI.create("http://localhost:" + graphgate.port() + "/");
    post(api.resolve("integrations"), SECRET_KEY, "{\"unique_key\":\"microsoft\",\"provider\":\"microsoft-oauth2-cc\",\"display_name\":\"Microsoft 365\"}");
    for (String[] c : new String[][] {{"contoso", TENANT_ID}, {"fabrikam", FABRIKAM_ID}}) {
      post(api.resolve("connections"), SECRET_KEY, "{\"provider_config_key\":\"microsoft\",\"connection_id\":\"" + c[0] + "\","
          + "\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"" + APP_ID + "\",\"client_secret\":\"" + APP_SECRET + "\"},"
          + "\"connection_config\":{\"tenantId\":\"" + c[1] + "\"}}");
    }

    String base = "http://localhost:" + graphgate.port();
    System.out.println("Graphgate demo is running.");
    System.out.println("  Graphgate:          " + base);
    System.out.println("  Microsoft emulator: login " + emulator.loginUrl() + ", Graph " + emulator.graphUrl());
    System.out.println("  Secret key:         " + SECRET_KEY);
    System.out.println("  Emulator:           tenants " + TENANT_DOMAIN + " (" + TENANT_ID + ") and " + FABRIKAM_DOMAIN + ",");
    System.out.println("                      app " + APP_ID + " (secret " + APP_SECRET + ")");
    System.out.println("  Graphgate:          integration 'microsoft'; connection 'contoso' (permissions granted: " + String.join(", ", ROLES) + "),");
    System.out.println("                      connection 'fabrikam' (its admin has not granted them yet)");
    System.out.println();
    System.out.println("Fetch contoso's token:");
    System.out.println("  curl -s '" + base + "/connections/contoso?provider_config_key=microsoft' \\");
    System.out.println("    -H 'Authorization: Bearer " + SECRET_KEY + "'");
    System.out.println();
    System.out.println("More in docs/connections-and-tokens.md. Press Ctrl+C to stop.");
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * The customer tenants and the SaaS app: Contoso's admin has consented to the app's permissions, Fabrikam's has
   * installed the app without granting them. Graphgate's admin-consent callback is a registered redirect URI.
   */
  static void seed(Emulator emulator, String graphgateConsentCallback) {
    emulator.directory().createTenant(Optional.of(TENANT_ID), Optional.of("Contoso"), List.of(TENANT_DOMAIN));
    emulator.directory().createTenant(Optional.of(FABRIKAM_ID), Optional.of("Fabrikam"), List.of(FABRIKAM_DOMAIN));
    emulator.directory().createApp(new NewApp(
        Optional.of(APP_ID), "Graphgate demo app", true, Optional.of(TENANT_ID), List.of("http://localhost:3000/consent/callback", graphgateConsentCallback),
        ROLES, List.of(new NewApp.NewSecret(Optional.of(APP_SECRET), Optional.empty())), List.of(), false));
    emulator.directory().grant(TENANT_ID, APP_ID, ROLES);
    emulator.directory().grant(FABRIKAM_ID, APP_ID, List.of());
  }

  private void post(URI uri, String bearer, String json) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("demo setup failed: POST " + uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
    }
  }
}

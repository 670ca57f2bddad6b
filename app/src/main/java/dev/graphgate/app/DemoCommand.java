package dev.graphgate.app;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graphgate demo}: the emulator and Graphgate in one process, seeded through their public APIs with a tenant
 * that granted the app's permissions ({@code contoso}) and one that has not yet ({@code fabrikam}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start the Microsoft emulator and Graphgate against it, seed a demo integration and connections, and print what to try.")
final class DemoCommand implements Callable<Integer> {
  static final String SECRET_KEY = "5b1f3c1e-9d7a-4c2b-8e6f-0a1b2c3d4e5f";
  static final String APP_ID = "3f0c9d2a-6b1e-4c8f-9a7d-2e5b8c1f4a6d";
  static final String APP_SECRET = "demo-app-secret-value";
  static final String CONTOSO = "8a2f4c6e-1b3d-4e5f-8a9b-0c1d2e3f4a5b";
  static final String FABRIKAM = "c7d9e1f3-5a7b-4c9d-8e1f-3a5b7c9d1e2f";

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

    URI admin = URI.create(emulator.loginUrl() + "/_emulator/");
    post(admin.resolve("tenants"), null, "{\"id\":\"" + CONTOSO + "\",\"displayName\":\"Contoso\",\"domains\":[\"contoso.onmicrosoft.com\"]}");
    post(admin.resolve("tenants"), null, "{\"id\":\"" + FABRIKAM + "\",\"displayName\":\"Fabrikam\",\"domains\":[\"fabrikam.onmicrosoft.com\"]}");
    post(admin.resolve("apps"), null, "{\"appId\":\"" + APP_ID + "\",\"displayName\":\"Graphgate demo app\",\"multiTenant\":true,"
        + "\"requiredRoles\":[\"User.Read.All\",\"Mail.Read\"],\"secrets\":[{\"value\":\"" + APP_SECRET + "\"}]}");
    post(admin.resolve("grants"), null, "{\"tenantId\":\"" + CONTOSO + "\",\"appId\":\"" + APP_ID + "\",\"roles\":[\"User.Read.All\",\"Mail.Read\"]}");
    post(admin.resolve("grants"), null, "{\"tenantId\":\"" + FABRIKAM + "\",\"appId\":\"" + APP_ID + "\",\"roles\":[]}");

    URI api = URI.create("http://localhost:" + graphgate.port() + "/");
    post(api.resolve("integrations"), SECRET_KEY, "{\"unique_key\":\"microsoft\",\"provider\":\"microsoft-oauth2-cc\",\"display_name\":\"Microsoft 365\"}");
    for (String[] c : new String[][] {{"contoso", CONTOSO}, {"fabrikam", FABRIKAM}}) {
      post(api.resolve("connections"), SECRET_KEY, "{\"provider_config_key\":\"microsoft\",\"connection_id\":\"" + c[0] + "\","
          + "\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"" + APP_ID + "\",\"client_secret\":\"" + APP_SECRET + "\"},"
          + "\"connection_config\":{\"tenantId\":\"" + c[1] + "\"}}");
    }

    String base = "http://localhost:" + graphgate.port();
    System.out.println("Graphgate demo is running.");
    System.out.println("  Graphgate:          " + base);
    System.out.println("  Microsoft emulator: login " + emulator.loginUrl() + ", Graph " + emulator.graphUrl());
    System.out.println("  Secret key:         " + SECRET_KEY);
    System.out.println("  Seeded:             integration 'microsoft'; connection 'contoso' (permissions granted),");
    System.out.println("                      connection 'fabrikam' (the tenant's admin has not granted them yet)");
    System.out.println();
    System.out.println("Fetch contoso's token:");
    System.out.println("  curl -s '" + base + "/connections/contoso?provider_config_key=microsoft' \\");
    System.out.println("    -H 'Authorization: Bearer " + SECRET_KEY + "'");
    System.out.println();
    System.out.println("More in docs/connections-and-tokens.md. Press Ctrl+C to stop.");
    new CountDownLatch(1).await();
    return 0;
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

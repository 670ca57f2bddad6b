package dev.graphgate.app;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.graph.GraphOptions;
import dev.graphgate.emulator.graph.throttle.ThrottleSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code graphgate emulator}: the Microsoft emulator on its own, until interrupted. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = "Run the Microsoft emulator: Entra ID (login host) and Microsoft Graph (Graph host).")
final class EmulatorCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--host", description = "Interface to bind both listeners to (default: ${DEFAULT-VALUE}).")
  String host = EmulatorConfig.DEFAULT_HOST;

  @Option(names = "--login-port", description = "Port of the login host (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int loginPort = EmulatorConfig.DEFAULT_LOGIN_PORT;

  @Option(names = "--graph-port", description = "Port of the Graph host (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int graphPort = EmulatorConfig.DEFAULT_GRAPH_PORT;

  @Option(names = "--https", description = "Serve TLS with a certificate generated at start.")
  boolean https;

  @Option(
      names = "--trust-dir",
      description = "Where --https writes the certificate (PEM) and a PKCS12 trust store (default: ${DEFAULT-VALUE}).")
  Path trustDir = EmulatorConfig.DEFAULT_TRUST_DIR;

  @Option(names = "--fixture", description = "JSON file of tenants, apps and grants to load at start.")
  Path fixture;

  @Option(
      names = "--token-lifetime",
      description = "expires_in of issued tokens, in seconds (default: ${DEFAULT-VALUE}, as Entra).")
  long tokenLifetimeSeconds = EmulatorConfig.DEFAULT_TOKEN_LIFETIME.toSeconds();

  @Option(names = "--seed", description = "Seed for generated data and injected faults (default: ${DEFAULT-VALUE}).")
  long seed = EmulatorConfig.DEFAULT_SEED;

  @Option(
      names = "--throttling",
      description = "Graph throttling at start: none, or microsoft (Graph's documented limits; see emulator/README.md). Default: ${DEFAULT-VALUE}.")
  String throttling = "none";

  @Option(
      names = "--delta-token-lifetime-hours",
      description = "How long Graph delta links stay usable, in hours (default: ${DEFAULT-VALUE}, the directory's 7 days).")
  long deltaTokenLifetimeHours = GraphOptions.DEFAULT_DELTA_TOKEN_LIFETIME.toHours();

  @Override
  public Integer call() throws InterruptedException {
    EmulatorConfig config =
        EmulatorConfig.defaults()
            .withHost(host)
            .withPorts(loginPort, graphPort)
            .withTokenLifetime(Duration.ofSeconds(tokenLifetimeSeconds))
            .withSeed(seed);
    if (https) {
      config = config.withHttps(trustDir);
    }
    ThrottleSettings throttle = switch (throttling.toLowerCase(java.util.Locale.ROOT)) {
      case "none" -> ThrottleSettings.NONE;
      case "microsoft" -> ThrottleSettings.MICROSOFT;
      // The command's own spec, so the usage shown is "graphgate emulator" with the real defaults, not the bad value.
      default -> throw new ParameterException(
          spec.commandLine(), "Invalid value for option '--throttling': expected none or microsoft but was '" + throttling + "'");
    };
    config = config.withGraph(config.graph().withThrottling(throttle).withDeltaTokenLifetime(Duration.ofHours(deltaTokenLifetimeHours)));
    if (fixture != null) {
      config = config.withFixture(fixture);
    }
    Ports.requireFree(host, loginPort, "--login-port");
    Ports.requireFree(host, graphPort, "--graph-port");
    Emulator emulator = Emulator.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      System.out.println("Microsoft emulator stopped (its tenants, apps and grants were in memory; a --fixture loads them again).");
    }, "emulator-shutdown"));
    System.out.println("Microsoft emulator running");
    System.out.println("  login host: " + emulator.loginUrl() + "   (stands in for https://login.microsoftonline.com)");
    System.out.println("  Graph host: " + emulator.graphUrl() + "   (stands in for https://graph.microsoft.com)");
    System.out.println("  admin API:  " + emulator.loginUrl() + "/_emulator/   (see emulator/README.md)");
    System.out.println("  Graph data: POST " + emulator.loginUrl() + "/_emulator/tenants/{id}/generate   (see docs/emulator-graph.md)");
    emulator.trustMaterial().ifPresent(trust -> {
      System.out.println("  TLS trust:  " + trust.certificatePem() + " (PEM), " + trust.trustStore() + " (PKCS12)");
      System.out.println("  JVM clients: " + trust.jvmOptions());
    });
    System.out.println();
    if (emulator.directory().tenants().isEmpty()) {
      System.out.println("Get a token (copy and paste):");
      System.out.println(CurlHints.setupAndToken(emulator));
    } else {
      System.out.println("Loaded " + emulator.directory().tenants().size() + " tenant(s) and " + emulator.directory().apps().size()
          + " app(s). Get a token:");
      System.out.println("  " + CurlHints.tokenRequest(emulator, emulator.directory().tenants().getFirst().initialDomain(),
          "<appId>", "<secret>"));
    }
    System.out.println();
    System.out.println("Press Ctrl+C to stop.");
    new CountDownLatch(1).await();
    return 0;
  }
}

package dev.graphgate.app;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.InvalidConfigException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code graphgate serve}: the Graphgate service, configured by {@code GRAPHGATE_*} environment variables. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {"Run the Graphgate service. Settings come from GRAPHGATE_* environment variables (see docs/configuration.md);",
        "the defaults need nothing installed: an embedded database and keys in ./data, port 3003."})
final class ServeCommand implements Callable<Integer> {

  @Override
  public Integer call() throws InterruptedException {
    GraphgateConfig config;
    Graphgate graphgate;
    try {
      config = GraphgateConfig.fromEnvironment(System.getenv());
      graphgate = Graphgate.start(config);
    } catch (InvalidConfigException e) {
      System.err.println("graphgate: " + e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(graphgate::close, "graphgate-shutdown"));
    System.out.println("Graphgate is running on http://localhost:" + graphgate.port());
    graphgate.generatedSecretKey().ifPresent(key -> {
      System.out.println();
      System.out.println("  Your secret key (shown once; it is stored only as a hash):");
      System.out.println("    " + key);
      System.out.println("  Use it as: Authorization: Bearer " + key);
      System.out.println("  To choose your own, set GRAPHGATE_SECRET_KEY to a UUID v4.");
      System.out.println();
    });
    System.out.println("Press Ctrl+C to stop.");
    new CountDownLatch(1).await();
    return 0;
  }
}

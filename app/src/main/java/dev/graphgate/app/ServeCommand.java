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
    description = {"Run the Graphgate service, configured by GRAPHGATE_* environment variables (docs/configuration.md).",
        "The defaults need nothing installed: an embedded database and keys in ./data, port 3003.",
        "SIGTERM or Ctrl+C stops it gracefully: requests in flight finish (GRAPHGATE_SHUTDOWN_GRACE), then the request log is written."})
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
    // SIGTERM and Ctrl+C: the whole ordered stop (drain, flush, close storage) runs in this hook; the embedded database
    // registers no hook of its own (DB_CLOSE_ON_EXIT=FALSE), so nothing closes it under a request still running.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long grace = config.shutdownGrace().toMillis();
      System.out.println("Graphgate is stopping: requests in flight may finish for up to "
          + (grace % 1000 == 0 ? grace / 1000 + " s" : grace + " ms") + " (GRAPHGATE_SHUTDOWN_GRACE).");
      graphgate.close();
      System.out.println("Graphgate stopped.");
    }, "graphgate-shutdown"));
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

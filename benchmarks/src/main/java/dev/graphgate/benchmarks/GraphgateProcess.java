package dev.graphgate.benchmarks;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;

/**
 * Graphgate in a JVM of its own, so the benchmark can read its resident memory: the default embedded database (an H2
 * file in a temporary directory), port 0, Graph at the URL
 * given as the first argument. Prints {@code PORT <n>} when listening; answers {@code stats} on stdin with
 * {@code STATS <database statements>}; stops on {@code stop} or end of input.
 */
public final class GraphgateProcess {
  public static void main(String[] args) throws IOException {
    GraphgateConfig config = GraphgateConfig.builder()
        // The default embedded database, an H2 file: the request log's rows go to disk, as in a real deployment (an
        // in-memory database would keep every row of the run in the heap).
        .port(0).host("127.0.0.1").dataDir(Files.createTempDirectory("graphgate-proxy-bench"))
        .secretKey(Fixture.SECRET_KEY)
        .encryptionKey(Base64.getEncoder().encodeToString("benchmark-encryption-key-32byte!".getBytes(StandardCharsets.US_ASCII)))
        .cloud(CloudConfig.custom(URI.create("http://127.0.0.1:9"), URI.create(args[0])))
        .build();
    try (Graphgate g = Graphgate.start(config)) {
      System.out.println("PORT " + g.port());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("stop")) {
        if (line.equals("stats")) {
          System.out.println("STATS " + g.databaseStatements());
          System.out.flush();
        }
      }
    }
  }
}

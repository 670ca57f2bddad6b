package dev.graphgate.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Load on {@code GET /connections/{id}} (a token read served from memory) at 1, 16 and 64 clients, each a closed-loop
 * client on one keep-alive HTTP/1.1 connection ({@link HttpLoad}). Baseline in the same run: {@code GET /health} on the
 * same server, the same HTTP stack without authentication, lookup or a connection's JSON. Load generator and server
 * share the JVM and the cores. It also counts the database statements the connection reads cause (expected: none).
 *
 * <p>Arguments: {@code --warmup <s>} (default 5), {@code --measure <s>} (default 20), {@code --clients 1,16,64}.
 */
public final class ConnectionLoadRun {

  public static void main(String[] args) throws Exception {
    int warmup = 5;
    int measure = 20;
    int[] clients = {1, 16, 64};
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--measure" -> measure = Integer.parseInt(args[i + 1]);
        case "--clients" -> clients = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --warmup, --measure, --clients)");
      }
    }
    List<HttpLoad.Result> results = new ArrayList<>();
    List<Long> statements = new ArrayList<>();
    try (Fixture fixture = new Fixture()) {
      URI origin = fixture.uri("");
      HttpLoad.Request health = HttpLoad.Request.get(origin, "/health");
      HttpLoad.Request connection = HttpLoad.Request.get(origin,
          "/connections/" + Fixture.CONNECTION + "?provider_config_key=" + Fixture.INTEGRATION, "Authorization: Bearer " + Fixture.SECRET_KEY);
      for (int n : clients) {
        results.add(HttpLoad.run("health", health, n, Duration.ofSeconds(warmup), Duration.ofSeconds(measure)));
        long before = fixture.graphgate.databaseStatements();
        results.add(HttpLoad.run("connection", connection, n, Duration.ofSeconds(warmup), Duration.ofSeconds(measure)));
        statements.add(fixture.graphgate.databaseStatements() - before);
      }
    }
    System.out.printf("%nGET /connections/{id} load, %d cores, Java %s; warm-up %d s, measured %d s per point; RSS %d MB%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), warmup, measure, Cpu.rssMegabytes());
    System.out.println("| target | clients | req/s | vs baseline | p50 | p99 | errors | CPU | database statements |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < results.size(); i += 2) {
      HttpLoad.Result base = results.get(i);
      HttpLoad.Result r = results.get(i + 1);
      row("GET /health (baseline)", base, base, "-");
      row("GET /connections/{id}", r, base, Long.toString(statements.get(i / 2)));
    }
  }

  private static void row(String name, HttpLoad.Result r, HttpLoad.Result base, String statements) {
    System.out.printf("| %s | %d | %,.0f | %.2f | %.2f ms | %.2f ms | %d | %.0f%% | %s |%n", name, r.clients(), r.perSecond(),
        r.perSecond() / base.perSecond(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.errors(), r.cpu() * 100, statements);
  }
}

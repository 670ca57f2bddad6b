package dev.graphgate.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load on {@code GET /connections/{id}} (the token read, served from memory) at 1, 16 and 64 clients, each client a
 * thread sending requests back to back over keep-alive HTTP/1.1. Baseline in the same run: {@code GET /health} on the
 * same server, which goes through the same HTTP stack without authentication, lookup or JSON rendering of a
 * connection. The load generator runs in the same JVM as the server, on the same cores.
 *
 * <p>Arguments: {@code --warmup <s>} (default 5), {@code --measure <s>} (default 20), {@code --clients 1,16,64}.
 */
public final class ConnectionLoadRun {
  record Result(String target, int clients, double rps, double p50Ms, double p99Ms, long errors, double cpuPercent) {}

  public static void main(String[] args) throws Exception {
    int warmup = 5;
    int measure = 20;
    int[] clients = {1, 16, 64};
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--measure" -> measure = Integer.parseInt(args[i + 1]);
        case "--clients" -> clients = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    List<Result> results = new ArrayList<>();
    try (Fixture fixture = new Fixture()) {
      URI connection = fixture.uri("/connections/" + Fixture.CONNECTION + "?provider_config_key=" + Fixture.INTEGRATION);
      URI health = fixture.uri("/health");
      for (int n : clients) {
        System.err.printf("clients=%d: warming up %d s, measuring %d s per target...%n", n, warmup, measure);
        results.add(run("GET /health (baseline)", health, n, warmup, measure));
        long statementsBefore = fixture.graphgate.databaseStatements();
        results.add(run("GET /connections/{id}", connection, n, warmup, measure));
        long statements = fixture.graphgate.databaseStatements() - statementsBefore;
        System.err.printf("  database statements during the connection run: %d%n", statements);
      }
    }
    System.out.println();
    System.out.printf("machine: %d cores, %s; RSS after run: %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), rss());
    System.out.println("| target | clients | req/s | ratio to baseline | p50 ms | p99 ms | errors | CPU % (both cores = 100) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      double base = r.target().startsWith("GET /health") ? r.rps() : results.get(i - 1).rps();
      System.out.printf("| %s | %d | %.0f | %.2f | %.2f | %.2f | %d | %.0f |%n", r.target(), r.clients(), r.rps(), r.rps() / base,
          r.p50Ms(), r.p99Ms(), r.errors(), r.cpuPercent());
    }
  }

  static Result run(String name, URI uri, int clients, int warmupSeconds, int measureSeconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + Fixture.SECRET_KEY).GET().build();
    AtomicBoolean recording = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    long[] errors = new long[clients];
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int id = c;
      latencies[id] = new long[1 << 16];
      Thread t = new Thread(() -> {
        try {
          while (!stop.get()) {
            long start = System.nanoTime();
            int status;
            try {
              status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
              status = -1;
            }
            long took = System.nanoTime() - start;
            if (recording.get()) {
              if (status != 200) {
                errors[id]++;
              }
              if (counts[id] == latencies[id].length) {
                latencies[id] = Arrays.copyOf(latencies[id], latencies[id].length * 2);
              }
              latencies[id][counts[id]++] = took;
            }
          }
        } finally {
          done.countDown();
        }
      }, "load-client-" + c);
      t.start();
    }
    sleep(Duration.ofSeconds(warmupSeconds));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long startNanos = System.nanoTime();
    recording.set(true);
    sleep(Duration.ofSeconds(measureSeconds));
    recording.set(false);
    long elapsed = System.nanoTime() - startNanos;
    long cpu = os.getProcessCpuTime() - cpuBefore;
    stop.set(true);
    done.await();
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int pos = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(latencies[c], 0, all, pos, counts[c]);
      pos += counts[c];
    }
    Arrays.sort(all);
    double cpuPercent = 100.0 * cpu / (elapsed * (double) Runtime.getRuntime().availableProcessors());
    return new Result(name, clients, total / (elapsed / 1e9), percentile(all, 0.50), percentile(all, 0.99),
        Arrays.stream(errors).sum(), cpuPercent);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  private static String rss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
          .map(l -> l.replace("VmRSS:", "").trim()).findFirst().orElse("unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d);
  }
}

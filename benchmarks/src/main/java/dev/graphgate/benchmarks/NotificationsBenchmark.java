package dev.graphgate.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code benchmarks/run notifications [--total 10000] [--per-post 100] [--concurrent 10] [--pause-ms 250]}: Graph's
 * side of change notifications against a real Graphgate process ({@link NotificationsProcess}). Posts {@code total}
 * notifications for one subscription, in bursts of {@code concurrent} POSTs at once of {@code per-post} notifications
 * each, a pause between bursts, and measures each POST's time to its 202 (every notification of a POST is acknowledged
 * then): p50, p99, max against Graph's 3 s budget. Then waits until every notification is processed and checks that
 * each was forwarded to the app exactly once, and counts the sync runs the burst caused.
 *
 * <p>Warm-up, not measured (the method's warm-up, shared/BENCHMARKS.md): {@code --warmup 5000} notifications (other
 * ids) posted the same way first, and processed, so the JIT has compiled the receiver's path before a POST is timed.
 */
public final class NotificationsBenchmark {
  static final Duration GRAPH_BUDGET = Duration.ofSeconds(3);

  public static void main(String[] args) throws Exception {
    int total = option(args, "--total", 10_000);
    int perPost = option(args, "--per-post", 100);
    int concurrent = option(args, "--concurrent", 10);
    int pauseMs = option(args, "--pause-ms", 250);
    int warmup = option(args, "--warmup", 5_000);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx512m"));
    // GRAPHGATE_JAVA_OPTS (a flight recording, say) goes to the Graphgate process's JVM, as in the other benchmarks.
    String opts = System.getenv("GRAPHGATE_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(List.of(opts.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NotificationsProcess.class.getName()));
    // Graphgate's log goes to a file, for a run that ends short of "exactly once" to be looked into.
    File log = Files.createTempFile("graphgate-notifications-bench", ".log").toFile();
    System.out.printf(Locale.ROOT, "Graphgate's log: %s%n", log);
    Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log)).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    try {
      String[] ready = null;
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("READY ")) {
          ready = line.split(" ");
          break;
        }
      }
      if (ready == null) {
        throw new IllegalStateException("the Graphgate process did not get ready");
      }
      URI url = URI.create("http://127.0.0.1:" + ready[1] + ready[2]);
      String subscription = ready[3];
      String clientState = ready[4];
      String tenant = ready[5];
      System.out.printf(Locale.ROOT, "notifications: %d in POSTs of %d, %d POSTs at once, %d ms between bursts, to %s; warm-up first: %d, not measured%n",
          total, perPost, concurrent, pauseMs, url, warmup);
      try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
          ExecutorService pool = Executors.newFixedThreadPool(concurrent)) {
        if (warmup > 0) {
          Burst w = post(http, pool, url, "warm-", warmup, perPost, concurrent, pauseMs, subscription, clientState, tenant);
          awaitProcessed(in, out, warmup);
          System.out.printf(Locale.ROOT, "warm-up: %d notifications acknowledged in %.1f s and processed%n", warmup, w.seconds());
        }
        Burst measured = post(http, pool, url, "bench-", total, perPost, concurrent, pauseMs, subscription, clientState, tenant);
        long[] sorted = measured.latenciesNanos().stream().mapToLong(Long::longValue).sorted().toArray();
        long over = Arrays.stream(sorted).filter(n -> n > GRAPH_BUDGET.toNanos()).count();
        System.out.printf(Locale.ROOT, "acknowledged: %d POSTs (%d notifications) in %.1f s (%.0f notifications/s); answers not 202: %d%n", sorted.length,
            total, measured.seconds(), total / measured.seconds(), measured.failures());
        System.out.printf(Locale.ROOT, "time to 202 per POST: p50 %.1f ms, p99 %.1f ms, max %.1f ms; over Graph's 3 s budget: %d%n",
            pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6, over);
      }
      long waitStart = System.nanoTime();
      long[] stats = awaitProcessed(in, out, warmup + total);
      long all = warmup + total;
      System.out.printf(Locale.ROOT, "processed: %d of %d stored (%d received, with the warm-up's); forwarded to the app: %d distinct, %d in all (%s); "
              + "sync runs caused: %d; all processed %.1f s after the last 202%n", stats[1], stats[0], all, stats[2], stats[3],
          stats[2] == all && stats[3] == all ? "each exactly once" : "NOT exactly once", stats[4], (System.nanoTime() - waitStart) / 1e9);
    } finally {
      in.println("stop");
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroy();
      }
    }
  }

  /** The POSTs of one series: each one's time to its answer, how many were not 202, and the series' duration. */
  record Burst(List<Long> latenciesNanos, int failures, double seconds) {}

  /** Posts {@code count} notifications with ids {@code prefix0...}, in bursts of {@code concurrent} POSTs. */
  private static Burst post(HttpClient http, ExecutorService pool, URI url, String prefix, int count, int perPost, int concurrent, int pauseMs,
      String subscription, String clientState, String tenant) throws Exception {
    List<Long> latenciesNanos = new ArrayList<>();
    int posts = (count + perPost - 1) / perPost;
    long started = System.nanoTime();
    int next = 0;
    int failures = 0;
    while (next < posts) {
      List<Future<long[]>> burst = new ArrayList<>();
      for (int i = 0; i < concurrent && next < posts; i++, next++) {
        int from = next * perPost;
        int to = Math.min(count, from + perPost);
        String body = body(prefix, from, to, subscription, clientState, tenant);
        burst.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
          return new long[] {System.nanoTime() - t0, r.statusCode()};
        }));
      }
      for (Future<long[]> f : burst) {
        long[] r = f.get();
        latenciesNanos.add(r[0]);
        if (r[1] != 202) {
          failures++;
        }
      }
      Thread.sleep(pauseMs);
    }
    return new Burst(latenciesNanos, failures, (System.nanoTime() - started) / 1e9);
  }

  /** Asks the Graphgate process for its counts until {@code expected} notifications are processed and forwarded. */
  private static long[] awaitProcessed(PrintWriter in, BufferedReader out, long expected) throws Exception {
    long waitStart = System.nanoTime();
    long[] stats = null;
    while (System.nanoTime() - waitStart < Duration.ofMinutes(3).toNanos()) {
      in.println("stats");
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("STATS ")) {
          stats = Arrays.stream(line.substring(6).trim().split(" ")).mapToLong(Long::parseLong).toArray();
          break;
        }
      }
      if (stats != null && stats[1] == expected && stats[2] == expected) {
        break;
      }
      Thread.sleep(200);
    }
    if (stats == null) {
      throw new IllegalStateException("no stats from the Graphgate process");
    }
    return stats;
  }

  private static String body(String prefix, int from, int to, String subscription, String clientState, String tenant) {
    StringBuilder b = new StringBuilder("{\"value\":[");
    for (int i = from; i < to; i++) {
      if (i > from) {
        b.append(',');
      }
      b.append("{\"id\":\"").append(prefix).append(i).append("\",\"subscriptionId\":\"").append(subscription)
          .append("\",\"subscriptionExpirationDateTime\":\"2030-01-01T00:00:00Z\",\"clientState\":\"").append(clientState)
          .append("\",\"changeType\":\"updated\",\"resource\":\"Users/").append(prefix).append(i).append("\",\"tenantId\":\"").append(tenant)
          .append("\",\"resourceData\":{\"@odata.type\":\"#Microsoft.Graph.User\",\"@odata.id\":\"Users/").append(prefix).append(i)
          .append("\",\"id\":\"").append(prefix).append(i).append("\"}}");
    }
    return b.append("]}").toString();
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static int option(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}

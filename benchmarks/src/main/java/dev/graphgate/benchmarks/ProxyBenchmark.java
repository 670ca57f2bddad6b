package dev.graphgate.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Graph proxy under load: the same read ({@code GET /v1.0/users}, a fixed 2,257-byte Graph page) sent directly to
 * the upstream and through Graphgate's {@code /proxy}, in one run, at 1, 16 and 64 clients, against an upstream that
 * answers at once and one that takes 50 ms. Graphgate runs in a JVM of its own (so its RSS is its own), for the whole
 * run; the upstream and the harness in this one; the load generator is wrk when installed, else {@link HttpLoad}.
 *
 * <p>Arguments: {@code --warmup <s>} (5), {@code --measure <s>} (20), {@code --clients 1,16,64}, {@code --latency 0,50}
 * (milliseconds), {@code --load wrk|java}. {@code GRAPHGATE_JAVA_OPTS} is passed to Graphgate's JVM.
 */
public final class ProxyBenchmark {

  record Point(long latencyMs, HttpLoad.Result direct, HttpLoad.Result proxy, long rssMb, long statements, double cpuMicrosPerRequest) {}

  public static void main(String[] args) throws Exception {
    int warmup = 5;
    int measure = 20;
    int[] clients = {1, 16, 64};
    long[] latencies = {0, 50};
    boolean wrk = Wrk.installed();
    boolean proxyOnly = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--measure" -> measure = Integer.parseInt(args[i + 1]);
        case "--clients" -> clients = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--latency" -> latencies = Arrays.stream(args[i + 1].split(",")).mapToLong(Long::parseLong).toArray();
        case "--load" -> wrk = args[i + 1].equals("wrk");
        case "--proxy-only" -> proxyOnly = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --warmup, --measure, --clients, --latency, --load, --proxy-only)");
      }
    }
    System.err.println("proxy benchmark: load generator " + (wrk ? "wrk" : "HttpLoad (install wrk for the reference figures)"));
    List<Point> points = new ArrayList<>();
    // One upstream and one Graphgate for the whole run, as a service runs: the slow-upstream points are measured on a
    // JVM the earlier points have warmed (at 50 ms and one client, a fresh JVM would still be compiling).
    try (GraphPageUpstream upstream = new GraphPageUpstream(Duration.ZERO); GraphgateJvm graphgate = GraphgateJvm.start(upstream.url())) {
      Fixture.seed(graphgate.base());
      check(graphgate.base());
      for (long latency : latencies) {
        upstream.latency(Duration.ofMillis(latency));
        for (int n : clients) {
          String tag = latency == 0 ? "zero-latency" : latency + " ms";
          HttpLoad.Result direct = proxyOnly ? new HttpLoad.Result("direct", n, 1, 0, 1, 0, 0, 0)
              : load(wrk, "direct, " + tag, upstream.url(), "/v1.0/users", List.of(), n, warmup, measure);
          long before = graphgate.statements();
          long[] cpu = new long[1];
          HttpLoad.Result proxy = load(wrk, "proxy, " + tag, graphgate.base(), "/proxy/v1.0/users", List.of(
              "Authorization: Bearer " + Fixture.SECRET_KEY, "Connection-Id: " + Fixture.CONNECTION, "Provider-Config-Key: " + Fixture.INTEGRATION),
              n, warmup, measure, () -> cpu[0] = Cpu.processTicks(graphgate.pid()), () -> cpu[0] = Cpu.processTicks(graphgate.pid()) - cpu[0]);
          points.add(new Point(latency, direct, proxy, Cpu.rssMegabytes(graphgate.pid()), graphgate.statements() - before,
              cpu[0] * (1e6 / Cpu.TICKS_PER_SECOND) / Math.max(1, proxy.requests())));
        }
      }
    }
    print(points, wrk, warmup, measure);
  }

  private static HttpLoad.Result load(boolean wrk, String name, URI origin, String path, List<String> headers, int clients, int warmup,
      int measure) throws Exception {
    return load(wrk, name, origin, path, headers, clients, warmup, measure, () -> { }, () -> { });
  }

  /** {@code measuring} runs as the measured period starts, {@code measured} as it ends. */
  private static HttpLoad.Result load(boolean wrk, String name, URI origin, String path, List<String> headers, int clients, int warmup,
      int measure, Runnable measuring, Runnable measured) throws Exception {
    if (wrk) {
      return Wrk.run(name, URI.create(origin + path), headers, clients, Duration.ofSeconds(warmup), Duration.ofSeconds(measure), measuring, measured);
    }
    long[] before = Cpu.machineTicks();
    measuring.run();
    HttpLoad.Result r = HttpLoad.run(name, HttpLoad.Request.get(origin, path, headers.toArray(String[]::new)), clients,
        Duration.ofSeconds(warmup), Duration.ofSeconds(measure));
    measured.run();
    return new HttpLoad.Result(r.name(), r.clients(), r.requests(), r.errors(), r.seconds(), r.p50Nanos(), r.p99Nanos(),
        Cpu.machineBusy(before, Cpu.machineTicks()));
  }

  /** One proxied request before the load: the page must come back whole. */
  private static void check(URI graphgate) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(graphgate + "/proxy/v1.0/users"))
        .header("Authorization", "Bearer " + Fixture.SECRET_KEY).header("Connection-Id", Fixture.CONNECTION)
        .header("Provider-Config-Key", Fixture.INTEGRATION).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200 || !Arrays.equals(r.body(), GraphPageUpstream.page())) {
      throw new IllegalStateException("the proxy answered " + r.statusCode() + " with " + r.body().length + " bytes");
    }
  }

  private static void print(List<Point> points, boolean wrk, int warmup, int measure) {
    System.out.printf("%nGraph proxy, %s, %d cores, Java %s, load by %s (one thread); warm-up %d s, measured %d s per point;%n"
        + "Graphgate's JVM: %s%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        wrk ? "wrk" : "HttpLoad", warmup, measure, jvmOptions());
    System.out.println("| upstream | clients | direct req/s | proxy req/s | ratio | direct p50 / p99 | proxy p50 / p99 | added p50 / p99 "
        + "| errors direct / proxy | machine CPU direct / proxy | Graphgate CPU per request | Graphgate RSS | DB statements |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Point p : points) {
      HttpLoad.Result d = p.direct();
      HttpLoad.Result x = p.proxy();
      System.out.printf("| %s | %d | %,.0f | %,.0f | %.2f | %s / %s | %s / %s | %s / %s | %d / %d | %.0f%% / %.0f%% | %.0f µs | %d MB | %d |%n",
          p.latencyMs() == 0 ? "zero-latency" : p.latencyMs() + " ms", d.clients(), d.perSecond(), x.perSecond(), x.perSecond() / d.perSecond(),
          ms(d.p50Nanos()), ms(d.p99Nanos()), ms(x.p50Nanos()), ms(x.p99Nanos()), ms(x.p50Nanos() - d.p50Nanos()), ms(x.p99Nanos() - d.p99Nanos()),
          d.errors(), x.errors(), d.cpu() * 100, x.cpu() * 100, p.cpuMicrosPerRequest(), p.rssMb(), p.statements());
    }
  }

  private static String ms(long nanos) {
    double ms = nanos / 1e6;
    return Math.abs(ms) < 10 ? String.format("%.2f ms", ms) : String.format("%.1f ms", ms);
  }

  /**
   * Graphgate's JVM options: {@code GRAPHGATE_JAVA_OPTS} when set, else {@link #DEFAULT_JVM_OPTIONS}, the small-instance
   * setting of docs/running.md (a 128 MB heap, the serial collector, native memory the JIT freed given back).
   */
  static String jvmOptions() {
    String set = System.getenv("GRAPHGATE_JAVA_OPTS");
    return set == null || set.isBlank() ? DEFAULT_JVM_OPTIONS : set;
  }

  static final String DEFAULT_JVM_OPTIONS = "-Xms32m -Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000";

  /** Graphgate in a child JVM ({@link GraphgateProcess}). */
  static final class GraphgateJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final int port;

    private GraphgateJvm(Process process) throws IOException {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      String line;
      int found = -1;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("PORT ")) {
          found = Integer.parseInt(line.substring(5).trim());
          break;
        }
      }
      if (found < 0) {
        throw new IllegalStateException("Graphgate's JVM did not start; see its output above");
      }
      this.port = found;
    }

    static GraphgateJvm start(URI graph) throws IOException {
      return start(graph, jvmOptions(), List.of());
    }

    /** With these JVM options and {@link GraphgateProcess}'s options after the Graph URL. */
    static GraphgateJvm start(URI graph, String jvmOptions, List<String> options) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd = new ArrayList<>(List.of(java));
      if (!jvmOptions.isBlank()) {
        cmd.addAll(Arrays.asList(jvmOptions.trim().split("\\s+")));
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GraphgateProcess.class.getName(), graph.toString()));
      cmd.addAll(options);
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new GraphgateJvm(p);
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
      return process.pid();
    }

    long statements() throws IOException {
      String answer = ask("stats", "STATS ");
      return answer == null ? -1 : Long.parseLong(answer.trim());
    }

    /** Forgets the heap peaks so far (after a full collection in Graphgate's JVM). */
    void resetHeapPeaks() throws IOException {
      ask("heap-reset", "HEAP-RESET");
    }

    /** Graphgate's heap since {@link #resetHeapPeaks()}: {peak in use, peak after a collection, maximum, peak after a full collection}, in bytes. */
    long[] heap() throws IOException {
      String answer = ask("heap", "HEAP ");
      if (answer == null) {
        return new long[] {-1, -1, -1, -1};
      }
      return Arrays.stream(answer.trim().split(" ")).mapToLong(Long::parseLong).toArray();
    }

    /** Sends a command to {@link GraphgateProcess}; answers the rest of the line starting with {@code prefix}. */
    private synchronized String ask(String command, String prefix) throws IOException {
      in.println(command);
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length());
        }
      }
      return null;
    }

    @Override
    public void close() {
      in.println("stop");
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroy();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroy();
      }
    }
  }
}

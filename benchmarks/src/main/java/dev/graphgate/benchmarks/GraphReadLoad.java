package dev.graphgate.benchmarks;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.emulator.token.CredentialKind;
import io.javalin.Javalin;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the emulator serves a simple Graph read: {@code GET /v1.0/users?$top=100} (a page of 100 users, about 45 KB)
 * with a bearer token, at 1, 16 and 64 concurrent clients ({@link HttpLoad}), against a baseline measured in the same run: a bare Javalin
 * server (same HTTP stack, virtual threads) answering the same bytes without any Graph work. The ratio says what the
 * emulator's own work (token check, routing, generation, JSON) costs.
 *
 * <p>It also measures what generating a tenant of 100,000 users costs in time and heap, and prints the emulator's
 * heap and RSS. Run it with {@code benchmarks/run graph [--warmup S] [--seconds S] [--clients 1,16,64]}.
 */
public final class GraphReadLoad {

  public static void main(String[] args) throws Exception {
    Duration warmup = Duration.ofSeconds(5);
    Duration measured = Duration.ofSeconds(20);
    List<Integer> clients = List.of(1, 16, 64);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--seconds", "--duration" -> measured = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--clients" -> clients = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --warmup S --seconds S --clients 1,16,64");
      }
    }
    System.out.println("Graph read load: " + ZonedDateTime.now() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral())) {
      footprint(emulator);
      Tenant tenant = emulator.directory().createTenant(Optional.empty(), Optional.of("Load"), List.of("load.onmicrosoft.com"));
      emulator.graphData().tenants().generate(tenant.id(), new GenerationSpec(10_000, 0, 0, 0, 0, 0, 1, 1024, Optional.empty(), Optional.of(LocalDate.of(2025, 3, 14))));
      AppRegistration app = emulator.directory().createApp(new NewApp(Optional.empty(), "load", false, Optional.of(tenant.id()),
          List.of(), List.of("User.Read.All"), List.of(NewApp.NewSecret.generated()), List.of(), false)).app();
      ServicePrincipal sp = emulator.directory().grant(tenant.id(), app.appId(), List.of("User.Read.All"));
      String token = emulator.tokens().issue(tenant, app, sp, CredentialKind.SECRET, GraphPermissions.GRAPH_RESOURCE).accessToken();
      URI users = URI.create(emulator.graphUrl() + "/v1.0/users?$top=100");
      byte[] page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(users).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
      System.out.printf("One page of 100 users: %,d bytes%n", page.length);

      Javalin baseline = Javalin.create(config -> {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.routes.get("/v1.0/users", ctx -> ctx.contentType("application/json").result(page));
      }).start("127.0.0.1", 0);
      try {
        URI baselineOrigin = URI.create("http://127.0.0.1:" + baseline.port());
        String path = "/v1.0/users?$top=100";
        String[] auth = {"Authorization: Bearer " + token};
        HttpLoad.Request staticPage = HttpLoad.Request.get(baselineOrigin, path, auth);
        HttpLoad.Request samePage = HttpLoad.Request.get(emulator.graphUrl(), path, auth);
        // A parameter Graph ignores makes every request distinct, so the emulator generates and serializes each page
        // afresh instead of serving it from its response cache: the cost of a page nobody read before.
        AtomicLong distinct = new AtomicLong();
        HttpLoad.Request newPage = HttpLoad.Request.varying(emulator.graphUrl(), () -> path + "&n=" + distinct.incrementAndGet(), auth);
        List<HttpLoad.Result> rows = new ArrayList<>();
        for (int c : clients) {
          rows.add(HttpLoad.run("baseline (static page)", staticPage, c, warmup, measured));
          rows.add(HttpLoad.run("emulator, same page", samePage, c, warmup, measured));
          rows.add(HttpLoad.run("emulator, every page new", newPage, c, warmup, measured));
        }
        System.out.println();
        System.out.println("| scenario | clients | req/s | vs baseline | p50 (ms) | p99 (ms) | errors | CPU (process) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < rows.size(); i += 3) {
          HttpLoad.Result base = rows.get(i);
          for (int j = i; j < i + 3; j++) {
            HttpLoad.Result r = rows.get(j);
            System.out.printf("| %s | %d | %,.0f | %.2f | %.2f | %.2f | %d | %.0f%% |%n", r.name(), r.clients(), r.perSecond(),
                r.perSecond() / base.perSecond(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.errors(), r.cpu() * 100);
          }
        }
        System.out.printf("%nProcess after the run: heap used %,d MB, RSS %s%n", heapUsed() / (1 << 20), rss());
      } finally {
        baseline.stop();
      }
    }
  }

  /** What a tenant of 100,000 generated users costs: time to generate, heap before and after reading all of them. */
  private static void footprint(Emulator emulator) throws IOException, InterruptedException {
    Tenant big = emulator.directory().createTenant(Optional.empty(), Optional.of("Footprint"), List.of("footprint.onmicrosoft.com"));
    long before = settledHeap();
    long started = System.nanoTime();
    emulator.graphData().tenants().generate(big.id(), new GenerationSpec(100_000, 1_000, 100, 50, 20, 20, 10, 1 << 20, Optional.empty(), Optional.empty()));
    double millis = (System.nanoTime() - started) / 1e6;
    long afterGenerate = settledHeap();
    long count = 0;
    var it = emulator.graphData().tenants().find(big.id()).orElseThrow().users().store().ascending(-1);
    long readStarted = System.nanoTime();
    while (it.hasNext()) {
      it.next();
      count++;
    }
    double readMillis = (System.nanoTime() - readStarted) / 1e6;
    long afterRead = settledHeap();
    System.out.printf("Tenant of %,d users (1,000 groups x 100 members, 50 messages and 20 events per mailbox, 20 files per drive): generated in %.1f ms; heap %+,d KB after generation, %+,d KB after reading every user once (%.0f ms, %.1f us per user)%n",
        count, millis, (afterGenerate - before) / 1024, (afterRead - before) / 1024, readMillis, readMillis * 1000 / count);
  }

  private static long settledHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return heapUsed();
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return line.substring(6).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}

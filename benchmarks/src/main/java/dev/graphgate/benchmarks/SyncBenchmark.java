package dev.graphgate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.emulator.token.CredentialKind;
import dev.graphgate.server.sync.UsersSync;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The {@code users} sync end to end: Graphgate in a JVM of its own ({@link GraphgateProcess}, the small-instance JVM
 * options of {@link ProxyBenchmark#jvmOptions()}) syncing an emulated tenant (the emulator in this JVM) into H2 and
 * PostgreSQL. For each database and each tenant size: a full run (records/s, Graphgate's peak heap), then 1% of the
 * tenant changed through the emulator's admin API (a third added, a third changed, a third deleted) and an incremental
 * run (its time as a fraction of the full run's, and its counts checked). Runs are asked for with
 * {@code POST /sync/trigger} and watched through {@code GET /sync/status}.
 *
 * <p>Baseline, measured in the same run just before each sync: a plain client (JDK HttpClient, Jackson, one request
 * at a time as the sync reads) reading the same delta pages ({@code /users/delta} with the sync's {@code $select})
 * from the same emulator: the rate Graph serves them at, the ceiling of any sync. After the changes it reads its own
 * delta link too, the floor of the incremental run.
 *
 * <p>Warm-up, not measured (the method's warm-up, shared/BENCHMARKS.md): before the measured runs, in the same
 * Graphgate process, a second connection to the same tenant syncs {@code --warmup-users} users in full and is deleted
 * (its records with it), so the JIT has compiled the sync's path and the emulator's before either is timed.
 *
 * <p>Options: {@code --users 100000}, {@code --small 10000} (0: no small tenant), {@code --db h2,postgres},
 * {@code --changes 0.01}, {@code --warmup-users 60000} (0: none). {@code GRAPHGATE_JAVA_OPTS} replaces Graphgate's JVM options.
 */
public final class SyncBenchmark {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TENANT_ID = "5d2c8e41-7a3b-4f6e-9c1d-2b8a4e6f0c37";
  static final String APP_ID = "7e3a9c15-2d4b-4a8f-b6e1-0c5d7f9a2e48";
  static final String APP_SECRET = "sync-benchmark-secret";
  static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String PG_USER = "postgres";

  /** One plain read of a delta round. */
  record Raw(long pages, long records, double seconds, List<String> ids, String deltaLink) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  /** A run of the sync as the client saw it. */
  record Run(double wallSeconds, Optional<Double> serverSeconds, long pages, JsonNode result) {
    double seconds() {
      return serverSeconds.orElse(wallSeconds);
    }
  }

  /** {@code fullCpu}, {@code incrementalCpu}: Graphgate's CPU seconds from the trigger to the run seen done. */
  record Row(String db, int users, Raw rawFull, Run full, double fullCpu, long[] heap, long rssMb, int adds, int updates, int deletes,
      Raw rawIncremental, Run incremental, double incrementalCpu) {}

  public static void main(String[] args) throws Exception {
    int users = 100_000;
    int small = 10_000;
    List<String> dbs = List.of("h2", "postgres");
    double changes = 0.01;
    int warmupUsers = 60_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--users" -> users = Integer.parseInt(args[i + 1]);
        case "--small" -> small = Integer.parseInt(args[i + 1]);
        case "--db" -> dbs = Arrays.asList(args[i + 1].split(","));
        case "--changes" -> changes = Double.parseDouble(args[i + 1]);
        case "--warmup-users" -> warmupUsers = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --users, --small, --db h2,postgres, --changes 0.01, --warmup-users 60000)");
      }
    }
    for (String db : dbs) {
      if (!db.equals("h2") && !db.equals("postgres")) {
        throw new IllegalArgumentException("--db takes h2 and/or postgres, got " + db);
      }
    }
    List<Integer> sizes = small > 0 && small < users ? List.of(small, users) : List.of(users);
    String started = ZonedDateTime.now().toString();
    long[] machineBefore = Cpu.machineTicks();
    List<Row> rows = new ArrayList<>();
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral()); HttpClient http = HttpClient.newHttpClient()) {
      Tenant tenant = emulator.directory().createTenant(Optional.of(TENANT_ID), Optional.of("Sync benchmark"), List.of("syncbench.onmicrosoft.com"));
      AppRegistration app = emulator.directory().createApp(new NewApp(Optional.of(APP_ID), "sync benchmark", false, Optional.of(TENANT_ID),
          List.of(), List.of("User.Read.All"), List.of(new NewApp.NewSecret(Optional.of(APP_SECRET), Optional.empty())), List.of(), false)).app();
      ServicePrincipal sp = emulator.directory().grant(TENANT_ID, APP_ID, List.of("User.Read.All"));
      String token = emulator.tokens().issue(tenant, app, sp, CredentialKind.SECRET, GraphPermissions.GRAPH_RESOURCE).accessToken();
      Emulated graph = new Emulated(emulator, http, token);
      for (String db : dbs) {
        for (int size : sizes) {
          rows.add(measure(graph, db, size, changes, warmupUsers));
        }
      }
    }
    print(rows, started, Cpu.machineBusy(machineBefore, Cpu.machineTicks()), warmupUsers);
  }

  private static Row measure(Emulated graph, String db, int users, double changeShare, int warmupUsers) throws Exception {
    System.err.printf("%n== %s, %,d users ==%n", db, users);
    // An empty tenant first: enabling the sync starts its first run at once (on an empty directory), so the measured
    // full run is one asked for with POST /sync/trigger and nothing else runs beside it.
    graph.generate(0);
    try (Database database = Database.create(db); ProxyBenchmark.GraphgateJvm graphgate = ProxyBenchmark.GraphgateJvm.start(graph.emulator.graphUrl(),
        ProxyBenchmark.jvmOptions(), database.options(graph.emulator.loginUrl()))) {
      Api api = new Api(graph.http, graphgate.base(), Fixture.CONNECTION);
      api.call("POST", "/integrations", "{\"unique_key\":\"" + Fixture.INTEGRATION + "\",\"provider\":\"microsoft-oauth2-cc\"}");
      api.call("PUT", "/integrations/" + Fixture.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}");
      api.connect();
      api.awaitFirstRun();
      if (warmupUsers > 0) {
        Api warmup = new Api(graph.http, graphgate.base(), "warmup");
        warmup.connect();
        warmup.awaitFirstRun();
        graph.generate(warmupUsers);
        warmup.runSync("warm-up (not measured): a full run of another connection", warmupUsers, true);
        warmup.call("DELETE", "/connection/warmup?provider_config_key=" + Fixture.INTEGRATION, null);
      }
      graph.generate(users);
      Raw rawFull = graph.readRound(graph.initialLink(), "baseline: plain client reading the full delta round");
      if (rawFull.records() != users) {
        throw new IllegalStateException("the plain client read " + rawFull.records() + " users, expected " + users);
      }
      graphgate.resetHeapPeaks();
      long cpuBefore = Cpu.processTicks(graphgate.pid());
      Run full = api.runSync("full run", users, true);
      double fullCpu = (Cpu.processTicks(graphgate.pid()) - cpuBefore) / (double) Cpu.TICKS_PER_SECOND;
      // RSS first: the heap's answer includes a full collection.
      long rss = Cpu.rssMegabytes(graphgate.pid());
      long[] heap = graphgate.heap();
      long count = api.status().path("recordCount").path("User").asLong();
      check(full.result(), users, 0, 0, "full run");
      if (count != users) {
        throw new IllegalStateException("after the full run Graphgate holds " + count + " users, the tenant " + users);
      }
      System.err.printf("  full run: %.2f s (Graphgate CPU %.2f s), %,.0f records/s; Graphgate heap peak %d MB in use, %d MB after a collection (of %d MB); RSS %d MB%n",
          full.seconds(), fullCpu, users / full.seconds(), heap[0] >> 20, heap[1] >> 20, heap[2] >> 20, rss);

      int n = Math.max(3, (int) Math.round(users * changeShare));
      int adds = n / 3;
      int deletes = n / 3;
      int updates = n - adds - deletes;
      graph.change(rawFull.ids(), adds, updates, deletes);
      Raw rawIncremental = graph.readRound(rawFull.deltaLink(), "baseline: plain client reading the changes from its delta link");
      cpuBefore = Cpu.processTicks(graphgate.pid());
      Run incremental = api.runSync("incremental run", n, false);
      double incrementalCpu = (Cpu.processTicks(graphgate.pid()) - cpuBefore) / (double) Cpu.TICKS_PER_SECOND;
      check(incremental.result(), adds, updates, deletes, "incremental run");
      System.err.printf("  incremental run: %.3f s, %.2f%% of the full run%n", incremental.seconds(), 100 * incremental.seconds() / full.seconds());
      return new Row(db, users, rawFull, full, fullCpu, heap, rss, adds, updates, deletes, rawIncremental, incremental, incrementalCpu);
    }
  }

  private static void check(JsonNode result, long added, long updated, long deleted, String what) {
    JsonNode u = result.path("User");
    if (u.path("added").asLong() != added || u.path("updated").asLong() != updated || u.path("deleted").asLong() != deleted) {
      throw new IllegalStateException(what + " reported " + result + ", expected added " + added + ", updated " + updated + ", deleted " + deleted);
    }
  }

  private static void print(List<Row> rows, String started, double machineBusy, int warmupUsers) {
    System.out.printf("%n`users` sync, started %s, %d cores, Java %s, Graphgate's JVM: %s; warm-up: %s; machine CPU busy over the whole run: %.0f%%%n",
        started, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), ProxyBenchmark.jvmOptions(),
        warmupUsers > 0 ? String.format("a full run of %,d users per Graphgate process, not measured", warmupUsers) : "none", machineBusy * 100);
    System.out.println();
    System.out.println("| database | users | plain client, records/s (baseline) | full run | records/s | vs baseline | Graphgate CPU per 1,000 records "
        + "| heap peak in use | heap peak after GC | heap live (after full GCs) | RSS | changes (add/update/delete) | plain client, changes | incremental run | incremental / full |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      double rate = r.users() / r.full().seconds();
      System.out.printf("| %s | %,d | %,.0f | %.2f s | %,.0f | %.2f | %.0f ms | %d MB | %d MB | %d MB | %d MB | %d/%d/%d | %.3f s | %.3f s | %.1f%% |%n", r.db(), r.users(),
          r.rawFull().recordsPerSecond(), r.full().seconds(), rate, rate / r.rawFull().recordsPerSecond(), r.fullCpu() * 1e6 / r.users(), r.heap()[0] >> 20, r.heap()[1] >> 20,
          r.heap()[3] >> 20, r.rssMb(), r.adds(), r.updates(), r.deletes(), r.rawIncremental().seconds(), r.incremental().seconds(),
          100 * r.incremental().seconds() / r.full().seconds());
    }
    System.out.println();
    for (String db : rows.stream().map(Row::db).distinct().toList()) {
      List<Row> of = rows.stream().filter(r -> r.db().equals(db)).toList();
      if (of.size() == 2) {
        Row s = of.get(0);
        Row b = of.get(1);
        System.out.printf("%s: tenant %.0fx larger; heap peak in use %.2fx, heap peak after GC %.2fx, heap live %.2fx, RSS %.2fx; records/s %.2fx%n", db,
            b.users() / (double) s.users(), b.heap()[0] / (double) s.heap()[0], b.heap()[1] / (double) s.heap()[1], b.heap()[3] / (double) s.heap()[3],
            b.rssMb() / (double) s.rssMb(),
            (b.users() / b.full().seconds()) / (s.users() / s.full().seconds()));
      }
    }
    System.out.println("(run times are Graphgate's: the run's start to its end, from GET /sync/status; wall times trigger to done: "
        + String.join(", ", rows.stream().map(r -> String.format("%s %,d full %.2f s incremental %.3f s", r.db(), r.users(), r.full().wallSeconds(),
            r.incremental().wallSeconds())).toList()) + ")");
  }

  /** The emulator and a plain client of it. */
  static final class Emulated {
    final Emulator emulator;
    final HttpClient http;
    final String token;

    Emulated(Emulator emulator, HttpClient http, String token) {
      this.emulator = emulator;
      this.http = http;
      this.token = token;
    }

    String initialLink() {
      return emulator.graphUrl() + "/v1.0/users/delta?$select=" + String.join(",", UsersSync.FIELDS);
    }

    void generate(int users) {
      System.err.printf("  generating a tenant of %,d users ...%n", users);
      long t = System.nanoTime();
      emulator.graphData().tenants().generate(TENANT_ID, new GenerationSpec(users, 0, 0, 0, 0, 0, 1, GenerationSpec.DEFAULT_MAX_FILE_BYTES,
          Optional.empty(), Optional.of(LocalDate.of(2025, 3, 14))));
      // Generation is lazy (users are computed from their index when read), so this is quick; reading them is what costs.
      System.err.printf("  generated in %.1f ms (lazily: each user is computed when a page is read)%n", (System.nanoTime() - t) / 1e6);
    }

    /** Follows a delta round from {@code link} to its delta link, one page at a time, as a sync reads. */
    Raw readRound(String link, String what) throws IOException, InterruptedException {
      System.err.println("  " + what + " ...");
      long t = System.nanoTime();
      long lastPrint = t;
      long pages = 0;
      List<String> ids = new ArrayList<>();
      String next = link;
      String delta = null;
      while (next != null) {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(next)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("the emulator answered " + r.statusCode() + " to " + next + ": " + new String(r.body()));
        }
        JsonNode page = JSON.readTree(r.body());
        page.path("value").forEach(u -> ids.add(u.path("id").asText()));
        pages++;
        next = page.path("@odata.nextLink").isTextual() ? page.path("@odata.nextLink").asText() : null;
        delta = page.path("@odata.deltaLink").isTextual() ? page.path("@odata.deltaLink").asText() : delta;
        long now = System.nanoTime();
        if (now - lastPrint > 1_000_000_000L) {
          System.err.printf("    %,d pages, %,d records, %,.0f records/s%n", pages, ids.size(), ids.size() / ((now - t) / 1e9));
          lastPrint = now;
        }
      }
      double seconds = (System.nanoTime() - t) / 1e9;
      System.err.printf("    %,d pages, %,d records in %.3f s: %,.0f records/s%n", pages, ids.size(), seconds, ids.size() / seconds);
      return new Raw(pages, ids.size(), seconds, ids, delta);
    }

    /** Through the admin pass-through: {@code adds} new users, {@code updates} changed, {@code deletes} deleted (distinct users). */
    void change(List<String> ids, int adds, int updates, int deletes) throws IOException, InterruptedException {
      int total = adds + updates + deletes;
      System.err.printf("  changing %,d users through the emulator's admin API: %d added, %d changed, %d deleted ...%n", total, adds, updates, deletes);
      String base = emulator.loginUrl() + "/_emulator/tenants/" + TENANT_ID + "/graph/v1.0/users";
      int stride = Math.max(1, ids.size() / (updates + deletes));
      long t = System.nanoTime();
      int done = 0;
      for (int i = 0; i < adds; i++) {
        admin("POST", base, "{\"accountEnabled\": true, \"displayName\": \"Benchmark user " + i + "\", \"mailNickname\": \"bench" + i
            + "\", \"userPrincipalName\": \"bench" + i + "-" + System.nanoTime() + "@syncbench.onmicrosoft.com\", \"passwordProfile\": {\"password\": \"Bench-" + i
            + "-pw!\"}}");
        done = progress(++done, total);
      }
      for (int i = 0; i < updates; i++) {
        admin("PATCH", base + "/" + ids.get(i * stride), "{\"jobTitle\": \"Benchmarked " + i + "\", \"department\": \"Sync\"}");
        done = progress(++done, total);
      }
      for (int i = 0; i < deletes; i++) {
        admin("DELETE", base + "/" + ids.get((updates + i) * stride), null);
        done = progress(++done, total);
      }
      System.err.printf("    done in %.2f s%n", (System.nanoTime() - t) / 1e9);
    }

    private static int progress(int done, int total) {
      if (done % Math.max(1, total / 5) == 0 && done < total) {
        System.err.printf("    %,d of %,d changes%n", done, total);
      }
      return done;
    }

    private void admin(String method, String uri, String json) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri));
      b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
          : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + uri + " answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  /** Graphgate's API, with the benchmark's secret key. */
  record Api(HttpClient http, URI base, String connectionId) {
    /** Creates the connection (client credentials against the emulator's tenant); enabling the sync runs it at once. */
    void connect() throws IOException, InterruptedException {
      call("POST", "/connections", "{\"provider_config_key\":\"" + Fixture.INTEGRATION + "\",\"connection_id\":\"" + connectionId
          + "\",\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"" + APP_ID + "\",\"client_secret\":\"" + APP_SECRET + "\"},"
          + "\"connection_config\":{\"tenantId\":\"" + TENANT_ID + "\"}}");
    }

    JsonNode call(String method, String path, String json) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + Fixture.SECRET_KEY);
      b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
          : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** Waits for the run enabling the sync started (on the empty tenant) to end. */
    void awaitFirstRun() throws IOException, InterruptedException {
      System.err.println("  waiting for the first run (started by enabling the sync, on the empty tenant) ...");
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (System.nanoTime() < deadline) {
        JsonNode s = status();
        if (s.path("latestExecutionStatus").isTextual() && !s.path("status").asText().equals("RUNNING")) {
          if (!s.path("latestExecutionStatus").asText().equals("SUCCESS")) {
            throw new IllegalStateException("the first run failed: " + s);
          }
          return;
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("the first run did not end within 2 minutes: " + status());
    }

    JsonNode status() throws IOException, InterruptedException {
      JsonNode syncs = call("GET", "/sync/status?syncs=users&provider_config_key=" + Fixture.INTEGRATION + "&connection_id=" + connectionId, null)
          .path("syncs");
      return syncs.isEmpty() ? JSON.createObjectNode() : syncs.get(0);
    }

    /**
     * {@code POST /sync/trigger}, then {@code GET /sync/status} until a run finishing after the trigger is there
     * (every 50 ms for the first 2 s, then every second: each status call counts the records), printing its progress every second.
     */
    Run runSync(String what, long expected, boolean reset) throws IOException, InterruptedException {
      String finishedBefore = status().path("finishedAt").asText(null);
      System.err.printf("  %s: POST /sync/trigger%s%n", what, reset ? " with opts.reset (a full round from scratch)" : "");
      long t = System.nanoTime();
      call("POST", "/sync/trigger", "{\"syncs\":[\"users\"],\"provider_config_key\":\"" + Fixture.INTEGRATION + "\",\"connection_id\":\""
          + connectionId + "\"" + (reset ? ",\"opts\":{\"reset\":true}" : "") + "}");
      Instant runStarted = null;
      long lastPrint = t;
      long pages = 0;
      while (true) {
        long elapsed = System.nanoTime() - t;
        Thread.sleep(elapsed < 2_000_000_000L ? 50 : 1000);
        JsonNode s = status();
        JsonNode progress = s.path("progress");
        if (progress.path("started_at").isTextual()) {
          runStarted = Instant.parse(progress.path("started_at").asText());
          pages = progress.path("pages").asLong();
        }
        String finished = s.path("finishedAt").asText(null);
        boolean done = !s.path("status").asText().equals("RUNNING") && finished != null && !finished.equals(finishedBefore);
        long now = System.nanoTime();
        if (done) {
          double wall = (now - t) / 1e9;
          if (!s.path("latestExecutionStatus").asText().equals("SUCCESS")) {
            throw new IllegalStateException(what + " failed: " + s);
          }
          Optional<Double> server = runStarted == null ? Optional.empty()
              : Optional.of((Instant.parse(finished).toEpochMilli() - runStarted.toEpochMilli()) / 1e3);
          System.err.printf("    done: %s, %.3f s from the trigger%s%n", s.path("latestResult"), wall,
              server.map(v -> String.format(", the run itself %.3f s", v)).orElse(""));
          return new Run(wall, server, pages, s.path("latestResult"));
        }
        if (s.path("status").asText().equals("ERROR")) {
          throw new IllegalStateException(what + " failed: " + s);
        }
        if (now - lastPrint >= 1_000_000_000L) {
          long records = progress.path("records").asLong();
          System.err.printf("    %s: %,d pages, %,d of %,d records, %,.0f records/s%n", s.path("status").asText(), progress.path("pages").asLong(),
              records, expected, records / ((now - t) / 1e9));
          lastPrint = now;
        }
      }
    }
  }

  /** Graphgate's database for one measurement: its default embedded H2 file, or a new PostgreSQL database dropped after. */
  static final class Database implements AutoCloseable {
    private final String pgName;

    private Database(String pgName) {
      this.pgName = pgName;
    }

    static Database create(String kind) throws SQLException {
      if (kind.equals("h2")) {
        return new Database(null);
      }
      byte[] b = new byte[6];
      new SecureRandom().nextBytes(b);
      String name = "gg_syncbench_" + HexFormat.of().formatHex(b);
      try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        throw new SQLException("PostgreSQL is needed at " + PG_ADMIN_URL + " (user " + PG_USER + ", trust auth): " + e.getMessage(), e);
      }
      return new Database(name);
    }

    List<String> options(URI login) {
      List<String> o = new ArrayList<>(List.of("--login", login.toString()));
      if (pgName != null) {
        o.addAll(List.of("--database-url", "jdbc:postgresql://127.0.0.1:5432/" + pgName, "--database-user", PG_USER));
      }
      return o;
    }

    @Override
    public void close() throws SQLException {
      if (pgName != null) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
        }
      }
    }
  }
}

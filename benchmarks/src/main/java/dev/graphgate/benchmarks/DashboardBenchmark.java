package dev.graphgate.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The dashboard's page loads at scale: Graphgate in a JVM of its own ({@link GraphgateProcess}) on its default H2 file
 * (or a new PostgreSQL database), signed in through the dashboard's session like a browser. Each JSON route a page
 * load calls is timed on the nearly empty database (the integration and one connection: the baseline), then the
 * database is filled directly over JDBC, in the schema Flyway made, with {@code --connections} connections,
 * {@code --rows} request-log rows and {@code --events} webhook deliveries, and the same routes are timed again.
 * Prints p50/p99 per route and the ratio seeded/empty.
 */
public final class DashboardBenchmark {
  private static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String PG_USER = "postgres";
  private static final String[] PATHS = {
      "/v1.0/users", "/v1.0/users/%s", "/v1.0/users/%s/messages?$top=", "/v1.0/users/%s/calendarView?startDateTime=&endDateTime=",
      "/v1.0/groups", "/v1.0/groups/%s/members", "/v1.0/users/%s/drive/root/children", "/v1.0/sites?search=", "/beta/users/%s",
      "/v1.0/users/delta?$deltatoken=", "/v1.0/organization"};

  private DashboardBenchmark() {}

  public static void main(String[] args) throws Exception {
    int connections = 10_000;
    int rows = 1_000_000;
    int events = 20_000;
    int repetitions = 60;
    List<String> databases = List.of("h2");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--connections" -> connections = Integer.parseInt(args[i + 1]);
        case "--rows" -> rows = Integer.parseInt(args[i + 1]);
        case "--events" -> events = Integer.parseInt(args[i + 1]);
        case "--repetitions" -> repetitions = Integer.parseInt(args[i + 1]);
        case "--db" -> databases = Arrays.asList(args[i + 1].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("dashboard benchmark: %,d connections, %,d request-log rows, %,d webhook deliveries, %d rounds over the routes "
        + "(after 20 unmeasured), on %s; the machine is shared with other sessions, so absolute times move between runs.%n",
        connections, rows, events, repetitions, String.join(", ", databases));
    for (String db : databases) {
      run(db, connections, rows, events, repetitions);
    }
  }

  private static void run(String kind, int connections, int rows, int events, int repetitions) throws Exception {
    Path dir = Files.createTempDirectory("graphgate-dashbench");
    String pgName = null;
    String url;
    String user;
    if (kind.equals("h2")) {
      url = "jdbc:h2:file:" + dir.resolve("graphgate");
      user = "";
    } else if (kind.equals("postgres")) {
      byte[] b = new byte[6];
      new SecureRandom().nextBytes(b);
      pgName = "gg_dashbench_" + HexFormat.of().formatHex(b);
      try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + pgName);
      }
      url = "jdbc:postgresql://127.0.0.1:5432/" + pgName;
      user = PG_USER;
    } else {
      throw new IllegalArgumentException("--db takes h2 and/or postgres, not " + kind);
    }
    List<String> options = List.of("--database-url", url, "--database-user", user);
    URI nowhere = URI.create("http://127.0.0.1:9");
    try {
      Map<String, String> empty;
      try (ProxyBenchmark.GraphgateJvm g = ProxyBenchmark.GraphgateJvm.start(nowhere, ProxyBenchmark.jvmOptions(), options)) {
        Fixture.seed(g.base());
        Dashboard d = Dashboard.signIn(g.base());
        // On the empty database the deep cursors are the first page's: nothing is deeper.
        empty = measure(d, routes(Long.MAX_VALUE, Long.MAX_VALUE), repetitions);
      }
      Seeded seeded = seed(kind, url, user, connections, rows, events);
      Map<String, String> full;
      try (ProxyBenchmark.GraphgateJvm g = ProxyBenchmark.GraphgateJvm.start(nowhere, ProxyBenchmark.jvmOptions(), options)) {
        Dashboard d = Dashboard.signIn(g.base());
        full = measure(d, routes(seeded.deepConnection(), seeded.deepLog()), repetitions);
      }
      System.out.printf("%n%s: %,d connections, %,d request-log rows, %,d webhook deliveries%n", kind.equals("h2") ? "H2 (file)" : "PostgreSQL",
          connections, rows, events);
      System.out.println("| route | empty p50 / p99 | seeded p50 / p99 | seeded / empty p50 | seeded / empty p99 |");
      System.out.println("|---|---|---|---|---|");
      for (String route : empty.keySet()) {
        long[] e = parse(empty.get(route));
        long[] f = parse(full.get(route));
        System.out.printf("| %s | %s / %s | %s / %s | %.1f | %.1f |%n", route, ms(e[0]), ms(e[1]), ms(f[0]), ms(f[1]),
            (double) f[0] / e[0], (double) f[1] / e[1]);
      }
    } finally {
      if (pgName != null) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
        }
      }
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The JSON routes of the dashboard's page loads, by what they show; the last is the server's cheapest answer. */
  private static Map<String, String> routes(long deepConnection, long deepLog) {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("session (every page)", "/dashboard/api/session");
    r.put("integrations", "/dashboard/api/integrations");
    r.put("connections, first page", "/dashboard/api/connections");
    r.put("connections, deep page (cursor 90% down)", "/dashboard/api/connections?cursor=" + deepConnection);
    r.put("connections, id prefix search", "/dashboard/api/connections?search=conn-042");
    r.put("connections, id prefix matching none", "/dashboard/api/connections?search=zzz");
    r.put("connection page (contoso)", "/dashboard/api/connection?provider_config_key=microsoft&connection_id=contoso");
    r.put("request log, first page", "/dashboard/api/logs");
    r.put("request log, deep page (cursor 90% down)", "/dashboard/api/logs?cursor=" + deepLog);
    r.put("request log, connection", "/dashboard/api/logs?connection_id=conn-04217");
    r.put("request log, status 5xx", "/dashboard/api/logs?status=5xx");
    r.put("request log, status 429", "/dashboard/api/logs?status=429");
    r.put("request log, path prefix", "/dashboard/api/logs?path=" + enc("/v1.0/groups/"));
    r.put("request log, path prefix matching none", "/dashboard/api/logs?path=" + enc("/v1.0/nothing"));
    r.put("request log, one hour three days ago", "/dashboard/api/logs?since=" + enc(Instant.now().minus(Duration.ofHours(73)).toString())
        + "&until=" + enc(Instant.now().minus(Duration.ofHours(72)).toString()));
    r.put("request log, connection and 4xx", "/dashboard/api/logs?connection_id=contoso&status=4xx");
    r.put("GET /health/live (no database)", "/health/live");
    return r;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Every route in turn, {@code repetitions} rounds, after 20 unmeasured rounds (the JIT and the database's caches
   * warm): "p50 p99" per route, in microseconds. Round by round, so a slow moment of the shared machine spreads over
   * all routes instead of landing on one.
   */
  private static Map<String, String> measure(Dashboard d, Map<String, String> routes, int repetitions) throws Exception {
    for (int round = 0; round < 20; round++) {
      for (String path : routes.values()) {
        d.get(path);
      }
    }
    Map<String, long[]> micros = new LinkedHashMap<>();
    routes.keySet().forEach(k -> micros.put(k, new long[repetitions]));
    for (int round = 0; round < repetitions; round++) {
      for (Map.Entry<String, String> route : routes.entrySet()) {
        long start = System.nanoTime();
        d.get(route.getValue());
        micros.get(route.getKey())[round] = (System.nanoTime() - start) / 1000;
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    micros.forEach((route, m) -> {
      Arrays.sort(m);
      out.put(route, m[repetitions / 2] + " " + m[Math.min(repetitions - 1, (int) Math.ceil(repetitions * 0.99) - 1)]);
    });
    return out;
  }

  private static long[] parse(String s) {
    return Arrays.stream(s.split(" ")).mapToLong(Long::parseLong).toArray();
  }

  private static String ms(long micros) {
    return String.format("%.1f ms", micros / 1000.0);
  }

  /** The ids the deep pages continue below: 90% of the way down the connections and the request log. */
  private record Seeded(long deepConnection, long deepLog) {}

  /**
   * Straight into the tables, in batches: connections copied from contoso (its sealed credentials and token, with new
   * ids and creation times), request-log rows spread over the connections and the last 7 days, and delivered webhook
   * events (1% about contoso). Statistics refreshed after, as a database that grew to this size would have them.
   */
  private static Seeded seed(String kind, String url, String user, int connections, int rows, int events) throws SQLException {
    long started = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      c.setAutoCommit(false);
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM connections WHERE 1 = 0")) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          String name = rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT);
          if (!name.equals("id") && !name.equals("connection_id") && !name.equals("created_at") && !name.equals("updated_at")) {
            columns.add(name);
          }
        }
      }
      String copied = String.join(", ", columns);
      Instant now = Instant.now();
      try (PreparedStatement p = c.prepareStatement("INSERT INTO connections (connection_id, created_at, updated_at, " + copied + ") SELECT ?, ?, ?, "
          + copied + " FROM connections WHERE connection_id = 'contoso'")) {
        for (int n = 0; n < connections; n++) {
          Timestamp at = Timestamp.from(now.minus(Duration.ofMinutes(connections - n)));
          p.setString(1, "conn-%05d".formatted(n));
          p.setTimestamp(2, at);
          p.setTimestamp(3, at);
          p.addBatch();
          if (n % 1000 == 999 || n == connections - 1) {
            p.executeBatch();
            c.commit();
            System.out.printf("seeding: %,d of %,d connections%n", n + 1, connections);
          }
        }
      }
      Random random = new Random(42);
      Instant from = now.minus(Duration.ofDays(7));
      long spanMillis = Duration.ofDays(7).toMillis();
      try (PreparedStatement p = c.prepareStatement("""
          INSERT INTO proxy_log (created_at, integration_key, connection_id, method, path, base_url, status, attempts, waited_ms, duration_ms,
                                 request_bytes, response_bytes, upstream_request_id, error_code)
          VALUES (?, 'microsoft', ?, 'GET', ?, 'https://graph.microsoft.com', ?, ?, ?, ?, 0, ?, ?, ?)""")) {
        for (int n = 0; n < rows; n++) {
          int pick = random.nextInt(100);
          String connection = pick == 0 ? "contoso" : "conn-%05d".formatted(random.nextInt(connections));
          int s = random.nextInt(100);
          int status = s < 85 ? 200 : s < 90 ? 429 : s < 93 ? 404 : s < 95 ? 403 : s < 98 ? 503 : 500;
          String path = PATHS[random.nextInt(PATHS.length)].formatted(UUID.nameUUIDFromBytes(new byte[] {(byte) random.nextInt(256)}));
          p.setTimestamp(1, Timestamp.from(from.plusMillis(spanMillis * n / rows)));
          p.setString(2, connection);
          p.setString(3, path);
          p.setInt(4, status);
          p.setInt(5, status == 429 ? 2 : 1);
          p.setLong(6, status == 429 ? 1000 : 0);
          p.setLong(7, 20 + random.nextInt(300));
          p.setLong(8, status == 200 ? 2000 + random.nextInt(50_000) : 200);
          p.setString(9, UUID.randomUUID().toString());
          p.setString(10, status >= 400 ? "upstream_" + status : null);
          p.addBatch();
          if (n % 10_000 == 9_999 || n == rows - 1) {
            p.executeBatch();
            c.commit();
            if ((n + 1) % 100_000 == 0 || n == rows - 1) {
              System.out.printf("seeding: %,d of %,d request-log rows (%.0f s)%n", n + 1, rows, (System.nanoTime() - started) / 1e9);
            }
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("""
          INSERT INTO webhook_events (event_id, event_type, operation, body, created_at, integration_key, connection_id)
          VALUES (?, 'auth', 'refresh', ?, ?, 'microsoft', ?)""")) {
        for (int n = 0; n < events; n++) {
          String connection = n % 100 == 0 ? "contoso" : "conn-%05d".formatted(random.nextInt(connections));
          p.setString(1, UUID.randomUUID().toString());
          p.setString(2, "{\"connectionId\":\"" + connection + "\",\"from\":\"nango\",\"providerConfigKey\":\"microsoft\",\"type\":\"auth\"}");
          p.setTimestamp(3, Timestamp.from(from.plusMillis(spanMillis * n / Math.max(1, events))));
          p.setString(4, connection);
          p.addBatch();
          if (n % 5_000 == 4_999 || n == events - 1) {
            p.executeBatch();
            c.commit();
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("""
            INSERT INTO webhook_deliveries (event_row_id, destination, status, attempts, attempt_limit, next_attempt_at, last_status, delivered_at, created_at)
            SELECT id, 'http://127.0.0.1:9/hooks', 'delivered', 1, 5, created_at, 200, created_at, created_at FROM webhook_events""");
        c.commit();
        System.out.printf("seeding: %,d webhook deliveries%n", events);
        c.setAutoCommit(true);
        s.execute("ANALYZE");
      }
      long deepConnection;
      long deepLog;
      try (Statement s = c.createStatement()) {
        deepConnection = one(s, "SELECT MIN(id) + " + (connections / 10) + " FROM connections");
        deepLog = one(s, "SELECT MIN(id) + " + (rows / 10) + " FROM proxy_log");
      }
      System.out.printf("seeded in %.0f s%n", (System.nanoTime() - started) / 1e9);
      return new Seeded(deepConnection, deepLog);
    }
  }

  private static long one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The dashboard's JSON routes as its page calls them: with the session cookie sign-in set. */
  private record Dashboard(HttpClient http, URI base, String cookie) {
    static Dashboard signIn(URI base) throws IOException, InterruptedException {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/dashboard/api/session")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"credential\":\"" + Fixture.SECRET_KEY + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("dashboard sign-in failed: " + r.statusCode() + " " + r.body());
      }
      String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
      return new Dashboard(http, base, cookie);
    }

    void get(String path) throws IOException, InterruptedException {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
      }
    }
  }
}

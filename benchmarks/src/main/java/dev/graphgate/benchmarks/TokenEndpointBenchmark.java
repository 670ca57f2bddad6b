package dev.graphgate.benchmarks;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.CreatedApp;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.keys.SigningKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * How fast the emulator's token endpoint answers, against a baseline measured in the same run: the trivial
 * {@code GET /_emulator/permissions} on the same listener. First it times RS256 signing alone, the cost that decides
 * how the endpoint can scale.
 *
 * <pre>
 *   benchmarks/run token [--seconds 20] [--warmup 5] [--clients 1,16,64]
 * </pre>
 *
 * <p>Scenarios: {@code baseline}; {@code token}, a client secret request as MSAL sends it, with the emulator's default
 * token reuse window (repeated identical requests share a signature); {@code token-signed}, the same with reuse off,
 * so every request signs a new token.
 */
public final class TokenEndpointBenchmark {

  private TokenEndpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Duration measured = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20")));
    Duration warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5")));
    int[] clientCounts = Arrays.stream(options.getOrDefault("clients", "1,16,64").split(",")).mapToInt(Integer::parseInt).toArray();

    System.out.printf("Token endpoint benchmark, %s, %d cores, Java %s; warm-up %d s, measured %d s per point%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), Runtime.version(), warmUp.toSeconds(), measured.toSeconds());
    signingAlone(Duration.ofSeconds(Math.max(2, measured.toSeconds() / 4)));

    try (Emulator reusing = Emulator.start(EmulatorConfig.ephemeral());
        Emulator signing = Emulator.start(EmulatorConfig.ephemeral().withTokenReuseWindow(Duration.ZERO))) {
      HttpLoad.Request baseline = HttpLoad.Request.get(reusing.loginUrl(), "/_emulator/permissions");
      HttpLoad.Request token = tokenRequest(reusing);
      HttpLoad.Request tokenSigned = tokenRequest(signing);

      List<String[]> rows = new ArrayList<>();
      for (int clients : clientCounts) {
        HttpLoad.Result base = HttpLoad.run("baseline", baseline, clients, warmUp, measured);
        rows.add(row(base, base));
        rows.add(row(HttpLoad.run("token", token, clients, warmUp, measured), base));
        rows.add(row(HttpLoad.run("token-signed", tokenSigned, clients, warmUp, measured), base));
      }
      System.out.println();
      print(rows);
      System.out.printf("%nTokens signed: %,d with reuse (default %d ms window), %,d without; RSS %d MB%n",
          reusing.stats().tokensSigned(), EmulatorConfig.DEFAULT_TOKEN_REUSE_WINDOW.toMillis(),
          signing.stats().tokensSigned(), Cpu.rssMegabytes());
    }
  }

  /** RS256 signing of a token-sized claim set on 1 and on 2 threads: the ceiling of a sign-every-time endpoint. */
  private static void signingAlone(Duration duration) throws InterruptedException {
    SigningKey key = SigningKey.generate(Instant.now());
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .audience("https://graph.microsoft.com").issuer("https://sts.windows.net/" + "0".repeat(8) + "/")
        .expirationTime(Date.from(Instant.now().plusSeconds(3599))).claim("roles", List.of("User.Read.All")).build();
    for (int i = 0; i < 200; i++) {
      key.sign(claims);
    }
    for (int threads : new int[] {1, 2}) {
      LongAdder count = new LongAdder();
      long end = System.nanoTime() + duration.toNanos();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(Thread.ofPlatform().start(() -> {
          while (System.nanoTime() < end) {
            key.sign(claims);
            count.increment();
          }
        }));
      }
      for (Thread w : workers) {
        w.join();
      }
      System.out.printf("RS256 signing alone, %d thread%s: %,.0f tokens/s%n", threads, threads == 1 ? "" : "s",
          count.sum() / (duration.toNanos() / 1e9));
    }
  }

  /** A tenant, an app with a secret and a grant, and the form MSAL4J would send for it. */
  private static HttpLoad.Request tokenRequest(Emulator emulator) {
    Tenant tenant = emulator.directory().createTenant(Optional.empty(), Optional.of("Bench"), List.of("bench.onmicrosoft.com"));
    CreatedApp app = emulator.directory().createApp(new NewApp(Optional.empty(), "Bench app", false, Optional.of(tenant.id()),
        List.of(), List.of("User.Read.All"), List.of(new NewApp.NewSecret(Optional.of("bench-secret"), Optional.empty())),
        List.of(), false));
    emulator.directory().grant(tenant.id(), app.app().appId(), List.of("User.Read.All"));
    String form = "client_id=" + app.app().appId()
        + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default openid profile offline_access", StandardCharsets.UTF_8)
        + "&client_secret=bench-secret&grant_type=client_credentials&client_info=1";
    return HttpLoad.Request.postForm(emulator.loginUrl(), "/" + tenant.id() + "/oauth2/v2.0/token", form);
  }

  private static String[] row(HttpLoad.Result r, HttpLoad.Result baseline) {
    return new String[] {
      r.name(), Integer.toString(r.clients()), String.format("%,.0f", r.perSecond()),
      String.format("%.2f", r.perSecond() / baseline.perSecond()),
      String.format("%.2f ms", r.p50Nanos() / 1e6), String.format("%.2f ms", r.p99Nanos() / 1e6),
      Long.toString(r.errors()), String.format("%.0f%%", r.cpu() * 100)
    };
  }

  private static void print(List<String[]> rows) {
    String[] header = {"scenario", "clients", "req/s", "vs baseline", "p50", "p99", "errors", "CPU"};
    System.out.println("| " + String.join(" | ", header) + " |");
    System.out.println("|" + "---|".repeat(header.length));
    for (String[] row : rows) {
      System.out.println("| " + String.join(" | ", row) + " |");
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: TokenEndpointBenchmark [--seconds N] [--warmup N] [--clients 1,16,64]; got " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}

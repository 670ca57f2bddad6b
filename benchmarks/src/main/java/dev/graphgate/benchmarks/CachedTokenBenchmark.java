package dev.graphgate.benchmarks;

import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionKey;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The cached-token path as the proxy will use it: look the connection up and ask the token service for a fresh token
 * (memory only). Baseline in the same run: one {@link ConcurrentHashMap} lookup of the same object, the floor any
 * in-memory cache pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CachedTokenBenchmark {
  private Fixture fixture;
  private final Map<ConnectionKey, Connection> baseline = new ConcurrentHashMap<>();
  private final ConnectionKey key = new ConnectionKey(Fixture.INTEGRATION, Fixture.CONNECTION);

  @Setup(Level.Trial)
  public void start() {
    fixture = new Fixture();
    Connection c = fixture.graphgate.connections().get(Fixture.INTEGRATION, Fixture.CONNECTION);
    baseline.put(key, ((TokenAnswer.Valid) fixture.graphgate.tokens().token(c, false)).connection());
  }

  @TearDown(Level.Trial)
  public void stop() {
    fixture.close();
  }

  @Benchmark
  public TokenAnswer cachedToken() {
    Connection c = fixture.graphgate.connections().get(Fixture.INTEGRATION, Fixture.CONNECTION);
    return fixture.graphgate.tokens().token(c, false);
  }

  @Benchmark
  public Connection baselineMapLookup() {
    return baseline.get(key);
  }

  /** Runs both, prints ns/op and the ratio to the baseline. Args: warmup and measurement seconds (default 3 and 5). */
  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Options options = new OptionsBuilder()
        .include(CachedTokenBenchmark.class.getSimpleName())
        .forks(1)
        .warmupIterations(warmup).warmupTime(TimeValue.seconds(1))
        .measurementIterations(measure).measurementTime(TimeValue.seconds(1))
        .build();
    Collection<RunResult> results = new Runner(options).run();
    double base = 0;
    double cached = 0;
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      if (name.endsWith("baselineMapLookup")) {
        base = r.getPrimaryResult().getScore();
      } else if (name.endsWith("cachedToken")) {
        cached = r.getPrimaryResult().getScore();
      }
    }
    System.out.println();
    System.out.println("| benchmark | ns/op | ratio to baseline |");
    System.out.println("|---|---|---|");
    System.out.printf("| baseline: ConcurrentHashMap.get | %.1f | 1.0 |%n", base);
    System.out.printf("| cached token: connection lookup + fresh-token check | %.1f | %.1f |%n", cached, cached / base);
  }
}

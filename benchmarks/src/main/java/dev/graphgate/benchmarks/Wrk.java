package dev.graphgate.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (the Debian package), as shared/BENCHMARKS.md prefers it: one thread, {@code clients} connections, a warm-up run
 * whose figures are dropped, then the measured run with {@code --latency}. Its output is parsed into the same result
 * {@link HttpLoad} gives, with the machine's CPU use over the measured run.
 */
final class Wrk {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  private Wrk() {}

  static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "wrk"))) {
        return true;
      }
    }
    return false;
  }

  static HttpLoad.Result run(String name, URI url, List<String> headers, int clients, Duration warmUp, Duration measured,
      Runnable measuring, Runnable done) throws IOException, InterruptedException {
    System.err.printf("  %-30s c=%-3d warm-up %d s ...%n", name, clients, warmUp.toSeconds());
    wrk(url, headers, clients, warmUp, false);
    System.err.printf("  %-30s c=%-3d measuring %d s ...%n", name, clients, measured.toSeconds());
    long[] before = Cpu.machineTicks();
    measuring.run();
    String out = wrk(url, headers, clients, measured, true);
    done.run();
    long[] after = Cpu.machineTicks();
    Matcher total = REQUESTS.matcher(out);
    if (!total.find()) {
      throw new IllegalStateException("could not read wrk's output:\n" + out);
    }
    long requests = Long.parseLong(total.group(1));
    double seconds = nanos(total.group(2), total.group(3)) / 1e9;
    long p50 = 0;
    long p99 = 0;
    Matcher p = PERCENTILE.matcher(out);
    while (p.find()) {
      long v = nanos(p.group(2), p.group(3));
      if (p.group(1).equals("50")) {
        p50 = v;
      } else {
        p99 = v;
      }
    }
    long errors = 0;
    Matcher s = SOCKET_ERRORS.matcher(out);
    if (s.find()) {
      for (int i = 1; i <= 4; i++) {
        errors += Long.parseLong(s.group(i));
      }
    }
    Matcher n = NON_2XX.matcher(out);
    if (n.find()) {
      errors += Long.parseLong(n.group(1));
    }
    return new HttpLoad.Result(name, clients, requests, errors, seconds, p50, p99, Cpu.machineBusy(before, after));
  }

  private static String wrk(URI url, List<String> headers, int clients, Duration d, boolean latency) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("wrk", "-t", "1", "-c", Integer.toString(clients), "-d", d.toSeconds() + "s", "--timeout", "10s"));
    if (latency) {
      cmd.add("--latency");
    }
    for (String h : headers) {
      cmd.add("-H");
      cmd.add(h);
    }
    cmd.add(url.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    return out;
  }

  private static long nanos(String value, String unit) {
    double v = Double.parseDouble(value);
    return (long) switch (unit.toLowerCase(Locale.ROOT)) {
      case "us" -> v * 1e3;
      case "ms" -> v * 1e6;
      case "s" -> v * 1e9;
      case "m" -> v * 60e9;
      default -> throw new IllegalArgumentException(unit);
    };
  }
}

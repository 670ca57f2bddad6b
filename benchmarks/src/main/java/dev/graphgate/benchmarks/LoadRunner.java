package dev.graphgate.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP load generator: {@code clients} virtual threads each send a request, wait for the whole answer,
 * and send the next, for a warm-up and then a measured period. It reports requests per second, latency percentiles,
 * errors (non-2xx or I/O failures) and the machine's CPU use during the measured period, and prints progress every
 * second so a long run shows it is alive.
 */
public final class LoadRunner {

  /** What one measured point produced. */
  public record Result(String name, int clients, long requests, long errors, double seconds, double p50Millis, double p99Millis, double cpu) {
    public double perSecond() {
      return requests / seconds;
    }
  }

  private final HttpClient client;
  private final PrintStream progress;

  public LoadRunner(PrintStream progress) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    this.progress = progress;
  }

  /** Runs one point: {@code request} builds each request (it is called concurrently). */
  public Result run(String name, int clients, Duration warmup, Duration measured, Supplier<HttpRequest> request) throws InterruptedException {
    AtomicBoolean recording = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    LongAdder requests = new LongAdder();
    LongAdder errors = new LongAdder();
    List<long[]> latencies = new ArrayList<>();
    int[] counts = new int[clients];
    CountDownLatch done = new CountDownLatch(clients);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        long[] samples = new long[1 << 16];
        latencies.add(samples);
        int index = c;
        threads.submit(() -> {
          long[] mine = samples;
          try {
            while (!stop.get()) {
              long start = System.nanoTime();
              boolean ok;
              try {
                HttpResponse<byte[]> response = client.send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
                ok = response.statusCode() / 100 == 2;
              } catch (java.io.IOException e) {
                ok = false;
              }
              long elapsed = System.nanoTime() - start;
              if (recording.get()) {
                requests.increment();
                if (!ok) {
                  errors.increment();
                }
                if (counts[index] == mine.length) {
                  mine = Arrays.copyOf(mine, mine.length * 2);
                  synchronized (latencies) {
                    latencies.set(index, mine);
                  }
                }
                mine[counts[index]++] = elapsed;
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
          return null;
        });
      }
      tick(name + " c=" + clients + " warm-up", warmup, requests);
      recording.set(true);
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      os.getCpuLoad();
      long started = System.nanoTime();
      double cpu = tick(name + " c=" + clients + " measuring", measured, requests);
      recording.set(false);
      double seconds = (System.nanoTime() - started) / 1e9;
      stop.set(true);
      done.await();
      int total = 0;
      for (int c = 0; c < clients; c++) {
        total += counts[c];
      }
      long[] all = new long[total];
      int at = 0;
      for (int c = 0; c < clients; c++) {
        System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
        at += counts[c];
      }
      Arrays.sort(all);
      return new Result(name, clients, requests.sum(), errors.sum(), seconds, percentile(all, 0.50), percentile(all, 0.99), cpu);
    }
  }

  /** Waits {@code period}, printing progress each second; returns the average machine CPU use seen. */
  private double tick(String label, Duration period, LongAdder requests) throws InterruptedException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long end = System.nanoTime() + period.toNanos();
    long before = requests.sum();
    double cpuSum = 0;
    int samples = 0;
    int second = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      second++;
      double load = os.getCpuLoad();
      if (load >= 0) {
        cpuSum += load;
        samples++;
      }
      long now = requests.sum();
      progress.printf("  %-40s %3ds  %,10d requests  cpu %3.0f%%%n", label, second, now - before, load * 100);
    }
    return samples == 0 ? -1 : cpuSum / samples;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }

  public static HttpRequest get(URI uri, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder.build();
  }
}

package dev.graphgate.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets: {@code clients} threads each send one request,
 * read the whole answer, and send the next, for a warm-up and then a measured period. Raw sockets keep the client's
 * own cost small, because client and server share the machine's two cores.
 */
final class HttpLoad {

  /** What one load run measured. Latencies are per request, in nanoseconds. */
  record Result(String name, int clients, long requests, long errors, double seconds, long p50Nanos, long p99Nanos, double cpu) {
    double perSecond() {
      return requests / seconds;
    }
  }

  /**
   * One request, ready to write: its bytes never change during a run, unless {@code each} gives every send its own
   * bytes (to defeat a server-side cache).
   */
  record Request(URI origin, byte[] bytes, Supplier<byte[]> each) {
    Request(URI origin, byte[] bytes) {
      this(origin, bytes, null);
    }

    byte[] next() {
      return each == null ? bytes : each.get();
    }

    static Request get(URI origin, String path, String... headerLines) {
      return new Request(origin, getBytes(origin, path, headerLines));
    }

    /** A GET whose path {@code paths} gives anew for every send. */
    static Request varying(URI origin, Supplier<String> paths, String... headerLines) {
      return new Request(origin, getBytes(origin, paths.get(), headerLines), () -> getBytes(origin, paths.get(), headerLines));
    }

    private static byte[] getBytes(URI origin, String path, String... headerLines) {
      StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + origin.getRawAuthority() + "\r\n");
      for (String h : headerLines) {
        head.append(h).append("\r\n");
      }
      return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    static Request postForm(URI origin, String path, String form) {
      byte[] body = form.getBytes(StandardCharsets.UTF_8);
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + origin.getRawAuthority()
          + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n";
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
      System.arraycopy(body, 0, all, headBytes.length, body.length);
      return new Request(origin, all);
    }
  }

  private HttpLoad() {}

  static Result run(String name, Request request, int clients, Duration warmUp, Duration measured) throws InterruptedException {
    Phase phase = new Phase();
    LongAdder errors = new LongAdder();
    Client[] workers = new Client[clients];
    CountDownLatch done = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      workers[i] = new Client(request, phase, errors, done);
      Thread thread = new Thread(workers[i], name + "-client-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    Progress progress = new Progress(name + " c=" + clients, workers);
    progress.during("warm-up", warmUp);
    long cpuStart = Cpu.processNanos();
    long start = System.nanoTime();
    phase.measuring = true;
    progress.during("measured", measured);
    phase.measuring = false;
    long elapsed = System.nanoTime() - start;
    long cpuUsed = Cpu.processNanos() - cpuStart;
    phase.stopped = true;
    done.await();
    progress.clear();

    long total = 0;
    int samples = 0;
    for (Client w : workers) {
      total += w.count;
      samples += w.latencyCount;
    }
    long[] latencies = new long[samples];
    int offset = 0;
    for (Client w : workers) {
      System.arraycopy(w.latencies, 0, latencies, offset, w.latencyCount);
      offset += w.latencyCount;
    }
    Arrays.sort(latencies);
    double seconds = elapsed / 1e9;
    double cpu = cpuUsed / (elapsed * (double) Runtime.getRuntime().availableProcessors());
    return new Result(name, clients, total, errors.sum() + Arrays.stream(workers).mapToLong(w -> w.badStatus).sum(), seconds,
        percentile(latencies, 0.50), percentile(latencies, 0.99), cpu);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static final class Phase {
    volatile boolean measuring;
    volatile boolean stopped;
  }

  /** Prints a line per second (requests/s so far) so a long run shows it is alive. */
  private record Progress(String label, Client[] workers) {
    void during(String what, Duration duration) throws InterruptedException {
      long end = System.nanoTime() + duration.toNanos();
      long before = sent();
      long second = 0;
      while (System.nanoTime() < end) {
        Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        long now = sent();
        second++;
        System.err.printf("\r  %-28s %-8s %3d/%-3d s  %,9d req/s   ", label, what, second, duration.toSeconds(), now - before);
        before = now;
      }
    }

    void clear() {
      System.err.print("\r" + " ".repeat(80) + "\r");
    }

    private long sent() {
      long sum = 0;
      for (Client w : workers) {
        sum += w.sent;
      }
      return sum;
    }
  }

  /** One keep-alive connection sending the same request in a loop; reconnects after an I/O error. */
  private static final class Client implements Runnable {
    private final Request request;
    private final Phase phase;
    private final LongAdder errors;
    private final CountDownLatch done;
    private final byte[] buffer = new byte[64 * 1024];
    long[] latencies = new long[1 << 16];
    int latencyCount;
    long count;
    long badStatus;
    volatile long sent;

    Client(Request request, Phase phase, LongAdder errors, CountDownLatch done) {
      this.request = request;
      this.phase = phase;
      this.errors = errors;
      this.done = done;
    }

    @Override
    public void run() {
      try {
        while (!phase.stopped) {
          try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(request.origin().getHost(), request.origin().getPort()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            while (!phase.stopped) {
              long begin = System.nanoTime();
              out.write(request.next());
              out.flush();
              int status = readResponse(in);
              long latency = System.nanoTime() - begin;
              sent++;
              if (phase.measuring) {
                count++;
                if (status < 200 || status > 299) {
                  badStatus++;
                }
                record(latency);
              }
            }
          } catch (IOException e) {
            if (phase.measuring) {
              errors.increment();
            }
          }
        }
      } finally {
        done.countDown();
      }
    }

    private void record(long latency) {
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[latencyCount++] = latency;
    }

    /** Reads status line and headers, then exactly Content-Length bytes of body; returns the status. */
    private int readResponse(InputStream in) throws IOException {
      String statusLine = readLine(in);
      if (statusLine.length() < 12) {
        throw new IOException("no status line");
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      String line;
      while (!(line = readLine(in)).isEmpty()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          String name = line.substring(0, colon).trim();
          if (name.equalsIgnoreCase("Content-Length")) {
            length = Long.parseLong(line.substring(colon + 1).trim());
          } else if (name.equalsIgnoreCase("Transfer-Encoding") && line.toLowerCase().contains("chunked")) {
            chunked = true;
          }
        }
      }
      if (chunked) {
        long size;
        while ((size = Long.parseLong(readLine(in).trim().split(";")[0], 16)) > 0) {
          skip(in, size + 2);
        }
        readLine(in);
      } else if (length > 0) {
        skip(in, length);
      }
      return status;
    }

    private void skip(InputStream in, long bytes) throws IOException {
      long left = bytes;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("connection closed mid-body");
        }
        left -= n;
      }
    }

    private final StringBuilder line = new StringBuilder(128);

    private String readLine(InputStream in) throws IOException {
      line.setLength(0);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }
}

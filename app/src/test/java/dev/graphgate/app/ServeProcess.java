package dev.graphgate.app;

import static org.awaitility.Awaitility.await;

import dev.graphgate.server.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@code graphgate serve} process (not a thread): {@code java -cp <this JVM's class path> dev.graphgate.app.Main
 * serve}, configured by {@code GRAPHGATE_*} variables only, on a free port picked here (port 0 could not be seen from
 * outside). {@link #kill()} is SIGKILL, {@link #terminate()} SIGTERM. Its output goes to a file beside the data
 * directory, shown when a start fails.
 */
final class ServeProcess implements AutoCloseable {
  static final String SECRET_KEY = "4b0e6f0a-1d2c-4e3f-9a8b-7c6d5e4f3a2b";
  static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString("graphgate-test-key-0123456789abc".getBytes(StandardCharsets.US_ASCII));
  private static final AtomicInteger STARTS = new AtomicInteger();

  private final Process process;
  private final int port;
  private final Path output;

  private ServeProcess(Process process, int port, Path output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** The settings every test process gets: loopback, a free port, the data directory, fixed keys. */
  static Map<String, String> baseSettings(Path dataDir) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GRAPHGATE_HOST", "127.0.0.1");
    env.put("GRAPHGATE_PORT", Integer.toString(freePort()));
    env.put("GRAPHGATE_DATA_DIR", dataDir.toString());
    env.put("GRAPHGATE_SECRET_KEY", SECRET_KEY);
    env.put("GRAPHGATE_ENCRYPTION_KEY", ENCRYPTION_KEY);
    return env;
  }

  /** Starts {@code serve} with exactly these settings (none inherited from this JVM's environment); does not wait. */
  static ServeProcess start(Map<String, String> settings) {
    Path dataDir = Path.of(settings.get("GRAPHGATE_DATA_DIR"));
    Path output = dataDir.resolveSibling(dataDir.getFileName() + "-serve-" + STARTS.incrementAndGet() + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("GRAPHGATE_"));
    builder.environment().putAll(settings);
    try {
      return new ServeProcess(builder.start(), Integer.parseInt(settings.get("GRAPHGATE_PORT")), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code serve} and waits until {@code GET /health} answers. */
  static ServeProcess startHealthy(Map<String, String> settings) {
    ServeProcess p = start(settings);
    p.awaitHealthy();
    return p;
  }

  /** Waits until {@code GET /health} answers 200; fails at once, with the process's output, if it exits instead. */
  void awaitHealthy() {
    try (HttpClient http = HttpClient.newHttpClient()) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("serve exited with " + process.exitValue() + " before it was healthy:\n" + output());
        }
        try {
          return http.send(HttpRequest.newBuilder(baseUrl().resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (ConnectException notYet) {
          return false;
        }
      });
    }
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port);
  }

  ApiClient api() {
    return new ApiClient(baseUrl(), SECRET_KEY, Duration.ofSeconds(60));
  }

  /** SIGKILL: the process dies at once, nothing of it runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM; returns at once. */
  void signalTerm() {
    process.destroy();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then waits for the process to end (its shutdown hook included); returns its exit status. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("serve did not stop within 2 minutes of SIGTERM:\n" + output());
    }
    return process.exitValue();
  }

  /** Waits for the process to exit on its own; returns its exit status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("serve did not exit within 2 minutes:\n" + output());
    }
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}

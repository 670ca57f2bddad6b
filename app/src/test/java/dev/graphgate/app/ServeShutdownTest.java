package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.graph.GraphOptions;
import dev.graphgate.emulator.graph.faults.FaultPolicy;
import dev.graphgate.emulator.graph.faults.FaultSettings;
import dev.graphgate.emulator.graph.faults.Sleeper;
import dev.graphgate.server.testing.ApiClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM drains. Under load (proxied calls held by Microsoft when the signal comes, metadata PATCHes and imports),
 * every request either completed with its full response or was refused before it started; after a restart every
 * answered proxied call has its request-log row, every confirmed write is there, and nothing unconfirmed is.
 */
class ServeShutdownTest {
  static final int READERS = 3;
  static final int WRITERS = 3;

  @TempDir Path temp;

  /** What one request came to. */
  enum Outcome { ANSWERED, REFUSED, BROKEN }

  record Result(Outcome outcome, int status, String body, String error) {}

  /**
   * The emulator's slow-response fault, hit by every Graph request: counts the requests that reached Microsoft and,
   * once {@link #hold} is called, keeps their answers back until {@link #release}.
   */
  static final class GraphAnswers implements Sleeper {
    final AtomicInteger reached = new AtomicInteger();
    final AtomicInteger held = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean holding;

    @Override
    public void sleep(Duration ignored) throws InterruptedException {
      reached.incrementAndGet();
      if (holding) {
        held.incrementAndGet();
        released.await();
      }
    }

    void hold() {
      holding = true;
    }

    void release() {
      released.countDown();
    }
  }

  /** One client's requests, in order; it stops at the first that is not answered. */
  static final class Client {
    final String connection;
    final List<Result> proxied = new CopyOnWriteArrayList<>();
    final List<Result> patches = new ArrayList<>();
    final Map<String, Result> imports = new HashMap<>();

    Client(String connection) {
      this.connection = connection;
    }

    long answered(List<Result> results) {
      return results.stream().filter(r -> r.outcome() == Outcome.ANSWERED).count();
    }

    List<Result> all() {
      List<Result> all = new ArrayList<>(proxied);
      all.addAll(patches);
      all.addAll(imports.values());
      return all;
    }
  }

  @Test
  void sigtermUnderLoadThenEveryRequestCompletedOrWasRefusedAndEveryAnsweredCallIsLogged() throws Exception {
    GraphAnswers graph = new GraphAnswers();
    FaultSettings everyRequest = new FaultSettings(Map.of(FaultPolicy.SLOW_RESPONSE, 1.0), Duration.ZERO, 1, Optional.empty(), Optional.empty());
    try (Emulator emulator = Emulator.start(EmulatorConfig.ephemeral().withGraph(GraphOptions.defaults().withFaults(everyRequest).withSleeper(graph)))) {
      EmulatedTenant.seed(emulator);
      Map<String, String> settings = new HashMap<>(ServeProcess.baseSettings(temp.resolve("data")));
      settings.putAll(EmulatedTenant.cloudSettings(emulator));
      settings.put("GRAPHGATE_SHUTDOWN_GRACE", "60s");
      List<Client> readers = new ArrayList<>();
      List<Client> writers = new ArrayList<>();
      int exit;
      String output;

      try (ServeProcess serve = ServeProcess.startHealthy(settings)) {
        ApiClient api = serve.api();
        EmulatedTenant.createIntegration(api);
        for (int i = 0; i < READERS + WRITERS; i++) {
          Client c = new Client((i < READERS ? "reader-" : "writer-") + i);
          (i < READERS ? readers : writers).add(c);
          ApiClient.Response r = api.post("/connections", EmulatedTenant.importBody(c.connection));
          assertThat(r.status()).as(r.body()).isEqualTo(201);
        }

        ExecutorService pool = Executors.newFixedThreadPool(READERS + WRITERS);
        try {
          List<Future<?>> running = new ArrayList<>();
          readers.forEach(c -> running.add(pool.submit(() -> read(api, c))));
          writers.forEach(c -> running.add(pool.submit(() -> write(api, c))));
          // Load runs: every reader has had answers; then Microsoft holds the next answers, so SIGTERM finds proxied
          // calls in flight, and releases them only once Graphgate has stopped accepting connections.
          await().atMost(Duration.ofSeconds(60)).until(() -> readers.stream().allMatch(c -> c.answered(c.proxied) >= 2));
          graph.hold();
          await().atMost(Duration.ofSeconds(60)).until(() -> graph.held.get() >= READERS);
          serve.signalTerm();
          await().atMost(Duration.ofSeconds(60)).until(() -> refusesConnections(serve.baseUrl().getPort()) || !serve.isAlive());
          graph.release();
          exit = serve.awaitExit();
          for (Future<?> f : running) {
            f.get();
          }
        } finally {
          graph.release();
          pool.shutdownNow();
        }
        output = serve.output();
      }

      try (ServeProcess restarted = ServeProcess.startHealthy(settings)) {
        ApiClient api = restarted.api();
        Map<String, JsonNode> stored = new HashMap<>();
        for (JsonNode c : api.get("/connections?limit=2000").json().path("connections")) {
          stored.put(c.path("connection_id").asText(), c);
        }
        long answeredReads = readers.stream().mapToLong(c -> c.answered(c.proxied)).sum();
        SoftAssertions.assertSoftly(softly -> {
          softly.assertThat(exit).as("exit status after SIGTERM").isIn(0, 143);
          softly.assertThat(output).as("the stopped process's output").doesNotContain("Exception").doesNotContain(" ERROR ");
          softly.assertThat(answeredReads).as("proxied calls answered = proxied calls that reached Microsoft (none cut off after it started)")
              .isEqualTo(graph.reached.get());
          for (Client c : readers) {
            softly.assertThat((long) EmulatedTenant.logRows(api, c.connection))
                .as("%s: request-log rows = answered proxied calls", c.connection).isEqualTo(c.answered(c.proxied));
          }
          for (Client c : writers) {
            int lastConfirmed = -1;
            for (int i = 0; i < c.patches.size(); i++) {
              if (c.patches.get(i).outcome() == Outcome.ANSWERED) {
                lastConfirmed = i;
              }
            }
            softly.assertThat(stored.get(c.connection).path("metadata").path("n").asInt(-1))
                .as("%s: metadata = its last confirmed PATCH (a PATCH not answered changed nothing)", c.connection).isEqualTo(lastConfirmed);
            Set<String> confirmed = new TreeSet<>();
            c.imports.forEach((id, r) -> {
              if (r.outcome() == Outcome.ANSWERED) {
                confirmed.add(id);
              }
            });
            Set<String> imported = new TreeSet<>();
            stored.keySet().stream().filter(id -> id.startsWith(c.connection + "-")).forEach(imported::add);
            softly.assertThat(imported).as("%s: imports stored = imports confirmed", c.connection).isEqualTo(confirmed);
          }
          for (Client c : concat(readers, writers)) {
            softly.assertThat(c.all()).as("%s: answered requests", c.connection).filteredOn(r -> r.outcome() == Outcome.ANSWERED)
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isBetween(200, 299));
          }
        });
      }
    }
  }

  /** Proxied reads, one after another, until one is not answered. */
  private static Void read(ApiClient api, Client c) throws InterruptedException {
    while (true) {
      Result r = send(api, EmulatedTenant.proxiedRead(api, c.connection));
      c.proxied.add(r);
      if (r.outcome() != Outcome.ANSWERED) {
        return null;
      }
    }
  }

  /** A metadata PATCH and an import, again and again, until one is not answered. */
  private static Void write(ApiClient api, Client c) throws InterruptedException {
    for (int round = 0; ; round++) {
      Result patch = send(api, api.json("PATCH", "/connection/metadata", EmulatedTenant.metadataBody(c.connection, round)));
      c.patches.add(patch);
      if (patch.outcome() != Outcome.ANSWERED) {
        return null;
      }
      String id = c.connection + "-" + round;
      Result imported = send(api, api.json("POST", "/connections", EmulatedTenant.importBody(id)));
      c.imports.put(id, imported);
      if (imported.outcome() != Outcome.ANSWERED) {
        return null;
      }
    }
  }

  /**
   * Each request on a connection of its own. Refused: the connection was refused, or Graphgate answered that it is
   * shutting down before any route ran. Broken: the connection closed without an answer (a connection the kernel
   * queued just before the listener closed ends so); the checks after the restart prove such a request left no trace.
   */
  private static Result send(ApiClient api, HttpRequest.Builder request) throws InterruptedException {
    try {
      ApiClient.Response r = api.sendAlone(request);
      if (r.status() == 503 && r.body().contains("\"shutting_down\"")) {
        return new Result(Outcome.REFUSED, r.status(), r.body(), null);
      }
      return new Result(Outcome.ANSWERED, r.status(), r.body(), null);
    } catch (ConnectException refused) {
      return new Result(Outcome.REFUSED, 0, null, refused.toString());
    } catch (IOException e) {
      return new Result(Outcome.BROKEN, 0, null, e.toString());
    }
  }

  private static boolean refusesConnections(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return false;
    } catch (ConnectException refused) {
      return true;
    }
  }

  private static List<Client> concat(List<Client> a, List<Client> b) {
    List<Client> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

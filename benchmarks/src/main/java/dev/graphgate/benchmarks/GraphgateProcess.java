package dev.graphgate.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Graphgate in a JVM of its own, so the benchmark can read its resident memory and heap: the default embedded database
 * (an H2 file in a temporary directory) unless {@code --database-url} names another, port 0, Graph at the URL given as
 * the first argument ({@code --login} sets the token endpoint's host; without it nothing can get a token). Prints
 * {@code PORT <n>} when listening; answers on stdin {@code stats} with {@code STATS <database statements>},
 * {@code heap-reset} with {@code HEAP-RESET} (forgets the peaks so far, after a full collection), {@code heap} with
 * {@code HEAP <peak used> <peak after a collection> <max> <peak after a full collection>} in bytes since the last reset; stops on {@code stop} or end
 * of input.
 */
public final class GraphgateProcess {
  /** The most heap in use after any collection since the last reset: what the process kept, garbage mostly excluded. */
  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
  /**
   * The most heap in use after a full collection since the last reset (the JVM's "end of major GC"), or after the full
   * collection {@code heap} asks for: the live set, without the garbage a young collection leaves in the old generation.
   */
  private static final AtomicLong PEAK_AFTER_FULL_GC = new AtomicLong();

  public static void main(String[] args) throws IOException {
    URI graph = URI.create(args[0]);
    URI login = URI.create("http://127.0.0.1:9");
    String databaseUrl = null;
    String databaseUser = "";
    Duration syncPoll = GraphgateConfig.DEFAULT_SYNC_POLL_INTERVAL;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--login" -> login = URI.create(args[i + 1]);
        case "--database-url" -> databaseUrl = args[i + 1];
        case "--database-user" -> databaseUser = args[i + 1];
        case "--sync-poll-millis" -> syncPoll = Duration.ofMillis(Long.parseLong(args[i + 1]));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    java.nio.file.Path dataDir = Files.createTempDirectory("graphgate-bench");
    GraphgateConfig.Builder builder = GraphgateConfig.builder()
        // The default embedded database, an H2 file: the request log's rows go to disk, as in a real deployment (an
        // in-memory database would keep every row of the run in the heap).
        .port(0).host("127.0.0.1").dataDir(dataDir)
        .secretKey(Fixture.SECRET_KEY)
        .encryptionKey(Base64.getEncoder().encodeToString("benchmark-encryption-key-32byte!".getBytes(StandardCharsets.US_ASCII)))
        .cloud(CloudConfig.custom(login, graph))
        .syncPollInterval(syncPoll);
    if (databaseUrl != null) {
      builder.databaseUrl(databaseUrl).databaseUser(databaseUser);
    }
    watchCollections();
    try (Graphgate g = Graphgate.start(builder.build())) {
      System.out.println("PORT " + g.port());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("stop")) {
        switch (line) {
          case "stats" -> System.out.println("STATS " + g.databaseStatements());
          case "heap-reset" -> {
            System.gc();
            for (MemoryPoolMXBean pool : heapPools()) {
              pool.resetPeakUsage();
            }
            PEAK_AFTER_GC.set(heapUsed());
            PEAK_AFTER_FULL_GC.set(heapUsed());
            System.out.println("HEAP-RESET");
          }
          case "heap" -> {
            long peak = 0;
            for (MemoryPoolMXBean pool : heapPools()) {
              peak += pool.getPeakUsage().getUsed();
            }
            System.gc();
            System.out.println("HEAP " + peak + " " + Math.max(PEAK_AFTER_GC.get(), 0) + " " + Runtime.getRuntime().maxMemory() + " "
                + Math.max(PEAK_AFTER_FULL_GC.get(), heapUsed()));
          }
          default -> System.out.println("UNKNOWN " + line);
        }
        System.out.flush();
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  /** The data directory goes with the process: a 100,000-user sync leaves tens of MB of H2 file behind. */
  private static void deleteTree(java.nio.file.Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static java.util.List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** After every collection, the heap still in use; the largest since the last reset is kept. */
  private static void watchCollections() {
    java.util.Set<String> heapPoolNames = new java.util.HashSet<>();
    heapPools().forEach(p -> heapPoolNames.add(p.getName()));
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
          }
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long after = 0;
          for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPoolNames.contains(e.getKey())) {
              MemoryUsage u = e.getValue();
              after += u.getUsed();
            }
          }
          long a = after;
          PEAK_AFTER_GC.accumulateAndGet(a, Math::max);
          if (info.getGcAction().contains("major")) {
            PEAK_AFTER_FULL_GC.accumulateAndGet(a, Math::max);
          }
        }, null, null);
      }
    }
  }
}

package dev.graphgate.server.testing;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.GraphgateConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One Graphgate for a test, as a JUnit extension: a {@link TestDatabase} of its own (H2, or a fresh PostgreSQL
 * database dropped afterwards), a data directory, {@link TestServers#config} and, with {@link #withEmulator()}, the
 * Microsoft emulator as its cloud (its counters reset before each test); with {@link #instances} several instances on
 * that one database, as behind a load balancer. On a static field it serves the class and is closed after its last
 * test; on an instance field, it is started for each test. Integrations, connections and
 * emulator tenants are the test's own business ({@link TestIntegrations}, {@link TestConnections}).
 */
public final class GraphgateExtension extends ClassOrTestScoped {
  private final Supplier<TestDatabase> database;
  private boolean withEmulator;
  private int instances = 1;
  private UnaryOperator<GraphgateConfig.Builder> config = b -> b;
  private Supplier<Graphgate.Options> options = Graphgate.Options::defaults;
  private final TempDirectory dataDir = new TempDirectory("gg-test");
  private EmulatorFixture emulator;
  private TestDatabase db;
  private final List<Graphgate> servers = new ArrayList<>();

  private GraphgateExtension(Supplier<TestDatabase> database) {
    this.database = database;
  }

  public static GraphgateExtension h2() {
    return new GraphgateExtension(TestDatabase::h2);
  }

  public static GraphgateExtension postgres() {
    return new GraphgateExtension(TestDatabase::postgres);
  }

  /** The emulator is started first and is the instance's cloud (login and Graph). */
  public GraphgateExtension withEmulator() {
    this.withEmulator = true;
    return this;
  }

  /** {@code n} instances on the one database, each with its own data directory; {@link #server(int)} names one. */
  public GraphgateExtension instances(int n) {
    this.instances = n;
    return this;
  }

  public GraphgateExtension config(UnaryOperator<GraphgateConfig.Builder> customize) {
    this.config = customize;
    return this;
  }

  /** The clock, sleeper, token endpoint..., read when the instance starts. */
  public GraphgateExtension options(Supplier<Graphgate.Options> options) {
    this.options = options;
    return this;
  }

  @Override
  protected void beforeTest() {
    if (emulator != null) {
      emulator.resetStats();
    }
  }

  @Override
  protected void start() {
    try {
      if (withEmulator) {
        emulator = new EmulatorFixture();
      }
      db = database.get();
      for (int i = 0; i < instances; i++) {
        GraphgateConfig.Builder b = TestServers.config(db, dataDir.create());
        if (emulator != null) {
          b.cloud(emulator.cloud());
        }
        servers.add(Graphgate.start(config.apply(b).build(), options.get()));
      }
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  @Override
  protected void stop() {
    try (AutoCloseable a = emulator; AutoCloseable d = db; AutoCloseable s = this::closeServers) {
      // closed in reverse: the instances, then their database, then the emulator
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the test instance: " + e.getMessage(), e);
    } finally {
      db = null;
      emulator = null;
      dataDir.delete();
    }
  }

  private void closeServers() {
    try {
      for (Graphgate g : servers) {
        g.close();
      }
    } finally {
      servers.clear();
    }
  }

  private <T> T running(T part, String what) {
    if (part == null) {
      throw new IllegalStateException(what + " runs only inside a test (register GraphgateExtension with @RegisterExtension"
          + (what.equals("the emulator") ? " and withEmulator()" : "") + ")");
    }
    return part;
  }

  public Graphgate server() {
    return server(0);
  }

  /** The {@code i}th instance, from 0. */
  public Graphgate server(int i) {
    return running(servers.isEmpty() ? null : servers.get(i), "Graphgate");
  }

  /** A client with the secret key. */
  public ApiClient api() {
    return TestServers.client(server());
  }

  public TestDatabase db() {
    return running(db, "the test database");
  }

  public EmulatorFixture emulator() {
    return running(emulator, "the emulator");
  }

  public Path dataDir() {
    return server().config().dataDir();
  }
}

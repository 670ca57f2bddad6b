package dev.graphgate.server.testing;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.GraphgateConfig;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Graphgate for a test, as a JUnit extension: a {@link TestDatabase} of its own (H2, or a fresh PostgreSQL
 * database dropped afterwards), a data directory, {@link TestServers#config} and, with {@link #withEmulator()}, the
 * Microsoft emulator as its cloud (its counters reset before each test). On a static field one instance serves the
 * class and is closed after its last test; on an instance field, one per test. Integrations, connections and
 * emulator tenants are the test's own business ({@link TestIntegrations}, {@link TestConnections}).
 */
public final class GraphgateExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final Supplier<TestDatabase> database;
  private boolean withEmulator;
  private UnaryOperator<GraphgateConfig.Builder> config = b -> b;
  private Supplier<Graphgate.Options> options = Graphgate.Options::defaults;
  private final TempDirectory dataDir = new TempDirectory("gg-test");
  private EmulatorFixture emulator;
  private TestDatabase db;
  private Graphgate server;
  private boolean perClass;

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
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) {
      start();
    }
    if (emulator != null) {
      emulator.resetStats();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void start() {
    try {
      if (withEmulator) {
        emulator = new EmulatorFixture();
      }
      db = database.get();
      GraphgateConfig.Builder b = TestServers.config(db, dataDir.create());
      if (emulator != null) {
        b.cloud(emulator.cloud());
      }
      server = Graphgate.start(config.apply(b).build(), options.get());
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  private void stop() {
    try (AutoCloseable a = emulator; AutoCloseable d = db; AutoCloseable s = server) {
      // closed in reverse: the server, then its database, then the emulator
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the test instance: " + e.getMessage(), e);
    } finally {
      server = null;
      db = null;
      emulator = null;
      dataDir.delete();
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
    return running(server, "Graphgate");
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

package dev.graphgate.server.testing;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.GraphgateConfig;
import java.net.http.HttpRequest;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link ProxyRig} as a JUnit extension: {@code @RegisterExtension static final ProxyRigExtension rig = ...} starts
 * one rig for the class and closes it after the last test; on an instance field, one rig per test. Before each test
 * the {@link TestUpstream} forgets what it received (its answers stay as the last test set them), so counts and
 * {@code last()} speak of this test only.
 */
public final class ProxyRigExtension extends ClassOrTestScoped {
  private final boolean ownUpstream;
  private UnaryOperator<GraphgateConfig.Builder> config = b -> b;
  private Supplier<Graphgate.Options> options = Graphgate.Options::defaults;
  private Supplier<EmulatorFixture> emulator = EmulatorFixture::new;
  private final TempDirectory dataDir = new TempDirectory("gg-proxy-rig");
  private ProxyRig rig;

  private ProxyRigExtension(boolean ownUpstream) {
    this.ownUpstream = ownUpstream;
  }

  /** Graph answered by a {@link TestUpstream} that the test scripts. */
  public static ProxyRigExtension withUpstream() {
    return new ProxyRigExtension(true);
  }

  /** Graph answered by the emulator itself. */
  public static ProxyRigExtension withEmulatorGraph() {
    return new ProxyRigExtension(false);
  }

  /** Changes the configuration (proxy settings, metrics token...). */
  public ProxyRigExtension config(UnaryOperator<GraphgateConfig.Builder> customize) {
    this.config = customize;
    return this;
  }

  /** The clock, sleeper and other seams, read when the rig starts. */
  public ProxyRigExtension options(Supplier<Graphgate.Options> options) {
    this.options = options;
    return this;
  }

  /** An emulator of the test's choosing (e.g. one that signs a new token every time), made when the rig starts. */
  public ProxyRigExtension emulator(Supplier<EmulatorFixture> emulator) {
    this.emulator = emulator;
    return this;
  }

  @Override
  protected void beforeTest() {
    if (rig.upstream != null) {
      rig.upstream.reset();
    }
  }

  @Override
  protected void start() {
    rig = ProxyRig.start(dataDir.create(), config, options.get(), ownUpstream, emulator.get());
  }

  @Override
  protected void stop() {
    try {
      if (rig != null) {
        rig.close();
      }
    } finally {
      rig = null;
      dataDir.delete();
    }
  }

  private ProxyRig running() {
    if (rig == null) {
      throw new IllegalStateException("the proxy rig runs only inside a test (register it with @RegisterExtension)");
    }
    return rig;
  }

  public ProxyRig rig() {
    return running();
  }

  public TestUpstream upstream() {
    return running().upstream;
  }

  public EmulatorFixture emulator() {
    return running().emulator;
  }

  public Graphgate graphgate() {
    return running().graphgate;
  }

  public ApiClient api() {
    return running().api();
  }

  /** A request to {@code /proxy{path}} with the secret key and the connection's headers. */
  public HttpRequest.Builder proxy(String path) {
    return running().proxy(path);
  }

  public ApiClient.Response send(HttpRequest.Builder b) {
    return running().send(b);
  }
}

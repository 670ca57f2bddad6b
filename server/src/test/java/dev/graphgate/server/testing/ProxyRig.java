package dev.graphgate.server.testing;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Graphgate in front of a Graph host, for proxy tests: the Microsoft emulator issues the tokens (a tenant whose admin
 * granted the app), and the Graph host is either a {@link TestUpstream} (answers scripted by the test) or the
 * emulator's own. Graphgate has the integration {@value #INTEGRATION} and the connection {@value #CONNECTION}.
 */
public final class ProxyRig implements AutoCloseable {
  public static final String TENANT_ID = "8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41";
  public static final String TENANT_DOMAIN = "contoso.onmicrosoft.com";
  public static final String APP_ID = "4a6f1d0e-7b2c-4e8a-9f3d-2c5b8e1a6d70";
  public static final String APP_SECRET = "proxy-test-secret-value";
  public static final String INTEGRATION = "microsoft";
  public static final String CONNECTION = "contoso";

  public final EmulatorFixture emulator;
  public final TestUpstream upstream;
  public final Graphgate graphgate;
  private final TestDatabase db;

  private ProxyRig(EmulatorFixture emulator, TestUpstream upstream, TestDatabase db, Graphgate graphgate) {
    this.emulator = emulator;
    this.upstream = upstream;
    this.db = db;
    this.graphgate = graphgate;
  }

  /** Graph answered by a {@link TestUpstream}; {@code customize} changes the configuration (proxy settings...). */
  public static ProxyRig withUpstream(Path dataDir, UnaryOperator<GraphgateConfig.Builder> customize, Graphgate.Options options) {
    return start(dataDir, customize, options, true, new EmulatorFixture());
  }

  /** As {@link #withUpstream}, with an emulator of the test's choosing (e.g. one that signs a new token every time). */
  public static ProxyRig withUpstream(Path dataDir, EmulatorFixture emulator, UnaryOperator<GraphgateConfig.Builder> customize,
      Graphgate.Options options) {
    return start(dataDir, customize, options, true, emulator);
  }

  /** Graph answered by the emulator itself. */
  public static ProxyRig withEmulatorGraph(Path dataDir, EmulatorFixture emulator, UnaryOperator<GraphgateConfig.Builder> customize) {
    return start(dataDir, customize, Graphgate.Options.defaults(), false, emulator);
  }

  static ProxyRig start(Path dataDir, UnaryOperator<GraphgateConfig.Builder> customize, Graphgate.Options options, boolean ownUpstream,
      EmulatorFixture emulator) {
    TestUpstream upstream = ownUpstream ? new TestUpstream() : null;
    TestDatabase db = TestDatabase.h2();
    try {
      emulator.tenant(TENANT_ID, TENANT_DOMAIN);
      emulator.app(APP_ID, APP_SECRET, null, List.of());
      emulator.grant(TENANT_ID, APP_ID, List.of("User.Read.All", "Mail.Read", "Files.Read.All"));
      URI graph = ownUpstream ? upstream.url() : emulator.cloud().graphUrl();
      GraphgateConfig config = customize.apply(TestServers.config(db, dataDir)
          .cloud(CloudConfig.custom(URI.create(emulator.loginUrl()), graph))).build();
      Graphgate g = Graphgate.start(config, options);
      ProxyRig rig = new ProxyRig(emulator, upstream, db, g);
      TestIntegrations.secret().uniqueKey(INTEGRATION).create(rig.api());
      ApiClient.Response created = TestConnections.secret(INTEGRATION).connectionId(CONNECTION).clientId(APP_ID).clientSecret(APP_SECRET)
          .tenant(TENANT_ID).post(rig.api());
      if (created.status() != 201) {
        throw new IllegalStateException("could not create the test connection: " + created.body());
      }
      return rig;
    } catch (RuntimeException e) {
      if (upstream != null) {
        upstream.close();
      }
      emulator.close();
      db.close();
      throw e;
    }
  }

  public ApiClient api() {
    return TestServers.client(graphgate);
  }

  /** A request to {@code /proxy{path}} with the secret key and the connection's headers. */
  public HttpRequest.Builder proxy(String path) {
    return api().request("/proxy" + path).header("Connection-Id", CONNECTION).header("Provider-Config-Key", INTEGRATION);
  }

  public ApiClient.Response send(HttpRequest.Builder b) {
    return api().send(b);
  }

  @Override
  public void close() {
    try {
      graphgate.close();
    } finally {
      if (upstream != null) {
        upstream.close();
      }
      emulator.close();
      db.close();
    }
  }
}

package dev.graphgate.emulator;

import dev.graphgate.emulator.admin.AdminRoutes;
import dev.graphgate.emulator.admin.Fixture;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.graph.GraphDataPlane;
import dev.graphgate.emulator.entra.EntraRoutes;
import dev.graphgate.emulator.http.Fallbacks;
import dev.graphgate.emulator.http.Listener;
import dev.graphgate.emulator.http.TlsMaterialFactory;
import dev.graphgate.emulator.http.TrustMaterial;
import dev.graphgate.emulator.keys.SigningKey;
import dev.graphgate.emulator.stats.EmulatorStats;
import dev.graphgate.emulator.token.AccessTokenIssuer;
import dev.graphgate.emulator.token.RecentTokens;
import io.javalin.Javalin;
import java.net.URI;
import java.util.Optional;

/**
 * A running emulator of Microsoft's identity platform and Microsoft Graph: two listeners standing in for two hosts,
 * the login host ({@code login.microsoftonline.com}) and the Graph host ({@code graph.microsoft.com}).
 *
 * <p>This is the composition root: everything the emulator is made of is created here and handed to constructors.
 * Tests start it with {@link EmulatorConfig#ephemeral()} and read the URLs back.
 */
public final class Emulator implements AutoCloseable {

  private final EmulatorConfig config;
  private final Directory directory;
  private final EmulatorStats stats;
  private final SigningKey signingKey;
  private final AccessTokenIssuer tokens;
  private final GraphDataPlane graphData;
  private final RecentTokens recentTokens;
  private final Optional<TrustMaterial> trust;
  private final Javalin login;
  private final Javalin graph;

  private Emulator(EmulatorConfig config) {
    this.config = config;
    this.directory = new Directory(config.clock());
    this.stats = new EmulatorStats();
    this.signingKey = SigningKey.generate(config.clock().instant());
    this.tokens = new AccessTokenIssuer(signingKey, config.clock(), config.tokenLifetime());
    this.graphData = new GraphDataPlane(config.graph(), config.seed(), config.clock(), directory, stats, signingKey);
    this.recentTokens = new RecentTokens(tokens, config.clock(), config.tokenReuseWindow(), stats::recordTokenSigned);
    config.fixture().ifPresent(file -> Fixture.load(file, directory, graphData::loadFixture));
    this.trust =
        config.https()
            ? Optional.of(TlsMaterialFactory.generate(config.host(), config.trustDir(), config.clock().instant()))
            : Optional.empty();

    AdminRoutes admin = new AdminRoutes(directory, stats);
    EntraRoutes entra =
        new EntraRoutes(directory, recentTokens, signingKey, stats, this::graphUrl, config.clock());
    Javalin loginListener = null;
    try {
      loginListener =
          Listener.start(
              config.host(),
              config.loginPort(),
              trust,
              javalin -> {
                admin.register(javalin.routes);
                graphData.registerAdminRoutes(javalin.routes);
                entra.register(javalin.routes);
                Fallbacks.loginHost(javalin.routes);
                Fallbacks.loginHostProtocolErrors(javalin);
              });
      this.login = loginListener;
      this.graph =
          Listener.start(
              config.host(),
              config.graphPort(),
              trust,
              javalin -> {
                graphData.registerGraphRoutes(javalin.routes);
                Fallbacks.graphHost(javalin.routes);
                Fallbacks.graphHostProtocolErrors(javalin);
              });
    } catch (RuntimeException e) {
      if (loginListener != null) {
        loginListener.stop();
      }
      throw e;
    }
  }

  /** Starts both listeners; the call returns once they accept connections. */
  public static Emulator start(EmulatorConfig config) {
    return new Emulator(config);
  }

  /** The login host's base URL, e.g. {@code http://127.0.0.1:3901}; a tenant's authority is this plus {@code /{tenant}}. */
  public URI loginUrl() {
    return baseUrl(login);
  }

  /** The Graph host's base URL, e.g. {@code http://127.0.0.1:3902}; Graph's v1.0 root is this plus {@code /v1.0}. */
  public URI graphUrl() {
    return baseUrl(graph);
  }

  public EmulatorConfig config() {
    return config;
  }

  public Directory directory() {
    return directory;
  }

  public EmulatorStats stats() {
    return stats;
  }

  public SigningKey signingKey() {
    return signingKey;
  }

  public AccessTokenIssuer tokens() {
    return tokens;
  }

  /** The emulated Graph's data, throttling and faults (what the admin API drives). */
  public GraphDataPlane graphData() {
    return graphData;
  }

  public Optional<TrustMaterial> trustMaterial() {
    return trust;
  }

  @Override
  public void close() {
    try {
      graph.stop();
    } finally {
      try {
        login.stop();
      } finally {
        graphData.close();
      }
    }
  }

  private URI baseUrl(Javalin listener) {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create((config.https() ? "https" : "http") + "://" + host + ":" + listener.port());
  }
}

package dev.graphgate.emulator;

import dev.graphgate.emulator.graph.GraphOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * How an emulator runs: where it listens, whether it speaks TLS, what it loads at start and how long its tokens live.
 *
 * @param host the interface both listeners bind to; default {@value #DEFAULT_HOST}
 * @param loginPort the port standing in for login.microsoftonline.com; default {@value #DEFAULT_LOGIN_PORT}, 0 picks a free one
 * @param graphPort the port standing in for graph.microsoft.com; default {@value #DEFAULT_GRAPH_PORT}, 0 picks a free one
 * @param https serve TLS with a certificate generated at start
 * @param trustDir where the TLS trust material (PEM and PKCS12) is written when {@code https} is on
 * @param fixture a JSON file of tenants, apps and grants loaded at start
 * @param tokenLifetime the {@code expires_in} of issued tokens; default 3599 seconds, as Entra answers
 * @param seed the seed of every random choice that a test may want to repeat (fault injection, generated data)
 * @param clock the time source of every expiry decision
 * @param tokenReuseWindow how long the token endpoint hands back a token it just issued when the same client asks again
 *     for the same tenant and resource with nothing changed; default {@link #DEFAULT_TOKEN_REUSE_WINDOW} (1 second),
 *     {@link Duration#ZERO} signs a new token for every request (see emulator/README.md, "Token reuse")
 * @param graph how the emulated Graph behaves: delta token lifetime, throttling and faults at start, upload limit
 */
public record EmulatorConfig(
    String host,
    int loginPort,
    int graphPort,
    boolean https,
    Path trustDir,
    Optional<Path> fixture,
    Duration tokenLifetime,
    long seed,
    InstantSource clock,
    Duration tokenReuseWindow,
    GraphOptions graph) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_LOGIN_PORT = 3901;
  public static final int DEFAULT_GRAPH_PORT = 3902;
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(3599);
  public static final Path DEFAULT_TRUST_DIR = Path.of("emulator-trust");
  public static final long DEFAULT_SEED = 42L;
  public static final Duration DEFAULT_TOKEN_REUSE_WINDOW = Duration.ofSeconds(1);

  public EmulatorConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(trustDir, "trustDir");
    Objects.requireNonNull(fixture, "fixture");
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tokenReuseWindow, "tokenReuseWindow");
    Objects.requireNonNull(graph, "graph");
    requirePort("loginPort", loginPort);
    requirePort("graphPort", graphPort);
    if (tokenLifetime.toSeconds() < 60 || tokenLifetime.toSeconds() > 86_400) {
      throw new IllegalArgumentException(
          "tokenLifetime must be between 60 and 86400 seconds, was " + tokenLifetime.toSeconds());
    }
    if (tokenReuseWindow.isNegative() || tokenReuseWindow.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "tokenReuseWindow must be between 0 and 300 seconds, was " + tokenReuseWindow.toMillis() + " ms");
    }
  }

  /** The defaults: fixed ports 3901/3902 on loopback, plain HTTP, no fixture. */
  public static EmulatorConfig defaults() {
    return new EmulatorConfig(
        DEFAULT_HOST,
        DEFAULT_LOGIN_PORT,
        DEFAULT_GRAPH_PORT,
        false,
        DEFAULT_TRUST_DIR,
        Optional.empty(),
        DEFAULT_TOKEN_LIFETIME,
        DEFAULT_SEED,
        InstantSource.system(),
        DEFAULT_TOKEN_REUSE_WINDOW,
        GraphOptions.defaults());
  }

  /** What tests use: both listeners on free ports. */
  public static EmulatorConfig ephemeral() {
    return defaults().withPorts(0, 0);
  }

  public EmulatorConfig withPorts(int login, int graphListenerPort) {
    return new EmulatorConfig(host, login, graphListenerPort, https, trustDir, fixture, tokenLifetime, seed, clock, tokenReuseWindow, graph);
  }

  public EmulatorConfig withHttps(Path trustDirectory) {
    return new EmulatorConfig(host, loginPort, graphPort, true, trustDirectory, fixture, tokenLifetime, seed, clock, tokenReuseWindow, graph);
  }

  public EmulatorConfig withFixture(Path file) {
    return new EmulatorConfig(host, loginPort, graphPort, https, trustDir, Optional.of(file), tokenLifetime, seed, clock, tokenReuseWindow, graph);
  }

  public EmulatorConfig withTokenLifetime(Duration lifetime) {
    return new EmulatorConfig(host, loginPort, graphPort, https, trustDir, fixture, lifetime, seed, clock, tokenReuseWindow, graph);
  }

  public EmulatorConfig withSeed(long newSeed) {
    return new EmulatorConfig(host, loginPort, graphPort, https, trustDir, fixture, tokenLifetime, newSeed, clock, tokenReuseWindow, graph);
  }

  public EmulatorConfig withClock(InstantSource newClock) {
    return new EmulatorConfig(host, loginPort, graphPort, https, trustDir, fixture, tokenLifetime, seed, newClock, tokenReuseWindow, graph);
  }

  /** Both listeners bind to {@code newHost} (an IP literal or a name). */
  public EmulatorConfig withHost(String newHost) {
    return new EmulatorConfig(newHost, loginPort, graphPort, https, trustDir, fixture, tokenLifetime, seed, clock, tokenReuseWindow, graph);
  }

  /** {@link Duration#ZERO} makes every successful token request sign a new token. */
  public EmulatorConfig withTokenReuseWindow(Duration window) {
    return new EmulatorConfig(host, loginPort, graphPort, https, trustDir, fixture, tokenLifetime, seed, clock, window, graph);
  }

  public EmulatorConfig withGraph(GraphOptions options) {
    return new EmulatorConfig(host, loginPort, graphPort, https, trustDir, fixture, tokenLifetime, seed, clock, tokenReuseWindow, options);
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
    }
  }
}

package dev.graphgate.server.testing;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.WebhookConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/** Graphgate configured for tests: port 0 on loopback, a test database, fixed keys. */
public final class TestServers {
  public static final String SECRET_KEY = "4b0e6f0a-1d2c-4e3f-9a8b-7c6d5e4f3a2b";
  public static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString("graphgate-test-key-0123456789abc".getBytes());

  private TestServers() {}

  /**
   * A config against {@code db}. Without an emulator, the login URL points at a loopback port nothing listens on,
   * so a token request fails as "unreachable". Webhooks may go to loopback (tests' receivers listen on 127.0.0.1, and
   * a test must never send one off this machine).
   */
  public static GraphgateConfig.Builder config(TestDatabase db, Path dataDir) {
    return GraphgateConfig.builder()
        .port(0)
        .host("127.0.0.1")
        .dataDir(dataDir)
        .databaseUrl(db.url())
        .databaseUser(db.user())
        .databasePoolSize(4)
        .secretKey(SECRET_KEY)
        .encryptionKey(ENCRYPTION_KEY)
        .cacheSyncInterval(Duration.ofMillis(200))
        .webhooks(WebhookConfig.defaults().withAllowPrivateUrls(true))
        .cloud(CloudConfig.custom(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9")));
  }

  public static ApiClient client(Graphgate g) {
    return new ApiClient(g.baseUrl(), SECRET_KEY);
  }

  public static String randomKey() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

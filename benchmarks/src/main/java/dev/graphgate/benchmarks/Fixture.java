package dev.graphgate.benchmarks;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.GraphgateConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A Graphgate instance for benchmarks: in-memory H2, port 0, one integration and one connection holding a long-lived
 * imported token, so every read is the cached path. Seeded through the public API.
 */
final class Fixture implements AutoCloseable {
  static final String SECRET_KEY = "6c2d4e8f-0a1b-4c3d-9e5f-7a8b9c0d1e2f";
  static final String INTEGRATION = "microsoft";
  static final String CONNECTION = "contoso";

  final Graphgate graphgate;

  Fixture() {
    try {
      Path dir = Files.createTempDirectory("graphgate-bench");
      graphgate = Graphgate.start(GraphgateConfig.builder()
          .port(0).host("127.0.0.1").dataDir(dir)
          .databaseUrl("jdbc:h2:mem:bench-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")
          .secretKey(SECRET_KEY)
          .encryptionKey(Base64.getEncoder().encodeToString("benchmark-encryption-key-32byte!".getBytes()))
          .cloud(CloudConfig.custom(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9")))
          .build());
      seed(uri(""));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Through the public API of the Graphgate at {@code base}: the integration and a connection with a long-lived token. */
  static void seed(URI base) throws IOException {
    post(base, "/integrations", "{\"unique_key\":\"" + INTEGRATION + "\",\"provider\":\"microsoft-oauth2-cc\"}");
    String token = "eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"roles\":[\"User.Read.All\"],\"exp\":4102444800}".getBytes()) + ".";
    post(base, "/connections", "{\"provider_config_key\":\"" + INTEGRATION + "\",\"connection_id\":\"" + CONNECTION + "\","
        + "\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"11112222-bbbb-3333-cccc-4444dddd5555\",\"client_secret\":\"s\","
        + "\"token\":\"" + token + "\",\"expires_at\":\"2100-01-01T00:00:00Z\"},"
        + "\"connection_config\":{\"tenantId\":\"contoso.onmicrosoft.com\"}}");
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + graphgate.port() + path);
  }

  private static void post(URI base, String path, String json) throws IOException {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + SECRET_KEY).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException("seeding " + path + " failed: " + r.statusCode() + " " + r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    graphgate.close();
  }
}

package dev.graphgate.server.api;

import dev.graphgate.server.observe.Metrics;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * {@code GET /metrics}: every meter in Prometheus' text format, for {@code Authorization: Bearer <token>} with the
 * metrics token ({@code GRAPHGATE_METRICS_TOKEN}) or an accepted API secret key. Anything else gets the API's own 401
 * errors ({@link ApiKeyAuthenticator}). The token is kept only as a digest and compared in constant time.
 */
final class MetricsHandler {
  private static final String SCHEME = "Bearer ";

  private final Metrics metrics;
  private final Optional<byte[]> tokenDigest;
  private final ApiKeyAuthenticator apiKeys;

  MetricsHandler(Metrics metrics, Optional<String> token, ApiKeyAuthenticator apiKeys) {
    this.metrics = metrics;
    this.tokenDigest = token.map(MetricsHandler::digest);
    this.apiKeys = apiKeys;
  }

  void scrape(Context ctx) throws IOException {
    if (!presentsMetricsToken(ctx.header("Authorization"))) {
      apiKeys.authenticate(ctx);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    metrics.scrape(out);
    ctx.status(200).contentType(Metrics.CONTENT_TYPE).header("Cache-Control", "no-store").result(out.toByteArray());
  }

  private boolean presentsMetricsToken(String header) {
    if (tokenDigest.isEmpty() || header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    // Digests of equal length: the comparison takes the same time whatever was presented.
    return MessageDigest.isEqual(tokenDigest.get(), digest(header.substring(SCHEME.length()).trim()));
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}

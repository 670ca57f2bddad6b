package dev.graphgate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The one HTTP client for Graphgate's API in tests (server, browser and process tests): real HTTP, JSON in and out.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String secretKey;
  private final Duration timeout;

  public ApiClient(URI base, String secretKey) {
    this(base, secretKey, DEFAULT_TIMEOUT);
  }

  /** With its own per-request timeout (a separate process under load answers more slowly). */
  public ApiClient(URI base, String secretKey, Duration timeout) {
    this.base = base;
    this.secretKey = secretKey;
    this.timeout = timeout;
  }

  /** A response: status, headers and the body parsed as JSON (null when not JSON). */
  public record Response(int status, String body, JsonNode json, HttpResponse<String> raw) {
    public String code() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  public Response post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response put(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response patch(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A request with a JSON body, to send as the test chooses ({@link #send}, {@link #sendAlone}). */
  public HttpRequest.Builder json(String method, String path, String json) {
    return request(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
  }

  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (secretKey != null) {
      b.header("Authorization", "Bearer " + secretKey);
    }
    return b;
  }

  public Response send(HttpRequest.Builder builder) {
    try {
      return send(HTTP, builder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends on a connection of its own, opened for this request and closed after it: a refused connection then means
   * exactly that the server did not take the request, never that a pooled connection went stale. I/O failures are
   * thrown as they come.
   */
  public Response sendAlone(HttpRequest.Builder builder) throws IOException, InterruptedException {
    try (HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return send(own, builder);
    }
  }

  private static Response send(HttpClient http, HttpRequest.Builder builder) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = r.body().isEmpty() ? null : JSON.readTree(r.body());
    } catch (IOException notJson) {
      json = null;
    }
    return new Response(r.statusCode(), r.body(), json, r);
  }
}

package dev.graphgate.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Graphgate's API over real HTTP for the process tests: JSON in, status and JSON out. */
final class TestApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  private final String secretKey;

  TestApi(URI base, String secretKey) {
    this.base = base;
    this.secretKey = secretKey;
  }

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + secretKey);
  }

  HttpRequest.Builder json(String method, String path, String body) {
    return request(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
  }

  Response get(String path) {
    return uncheck(() -> send(SHARED, request(path).GET()));
  }

  Response post(String path, String body) {
    return uncheck(() -> send(SHARED, json("POST", path, body)));
  }

  Response patch(String path, String body) {
    return uncheck(() -> send(SHARED, json("PATCH", path, body)));
  }

  /** Sends on the shared client (pooled connections); I/O failures are thrown as they come. */
  Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return send(SHARED, request);
  }

  /**
   * Sends on a connection of its own, opened for this request and closed after it: a refused connection then means
   * exactly that the server did not take the request, never that a pooled connection went stale.
   */
  Response sendAlone(HttpRequest.Builder request) throws IOException, InterruptedException {
    try (HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return send(own, request);
    }
  }

  private static Response send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body(), r);
  }

  private interface Call {
    Response run() throws IOException, InterruptedException;
  }

  private static Response uncheck(Call call) {
    try {
      return call.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

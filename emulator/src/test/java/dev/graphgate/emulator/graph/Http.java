package dev.graphgate.emulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small JSON client for tests: real HTTP to the emulator, one call per line. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  Http(String base, String token) {
    this.base = base;
    this.token = token;
  }

  record Reply(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
    JsonNode json() {
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }

    String text() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    String errorCode() {
      return json().path("error").path("code").asText();
    }
  }

  Http withToken(String newToken) {
    return new Http(base, newToken);
  }

  Reply get(String pathOrUrl, String... headers) {
    return send("GET", pathOrUrl, null, headers);
  }

  Reply post(String pathOrUrl, Object body, String... headers) {
    return send("POST", pathOrUrl, body, headers);
  }

  Reply patch(String pathOrUrl, Object body, String... headers) {
    return send("PATCH", pathOrUrl, body, headers);
  }

  Reply put(String pathOrUrl, Object body, String... headers) {
    return send("PUT", pathOrUrl, body, headers);
  }

  Reply delete(String pathOrUrl, String... headers) {
    return send("DELETE", pathOrUrl, null, headers);
  }

  /** {@code body}: null, a String (sent as JSON text), bytes (sent as they are) or an object (serialized). */
  Reply send(String method, String pathOrUrl, Object body, String... headers) {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
    HttpRequest.BodyPublisher publisher;
    String contentType = null;
    try {
      if (body == null) {
        publisher = HttpRequest.BodyPublishers.noBody();
      } else if (body instanceof byte[] bytes) {
        publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
        contentType = "application/octet-stream";
      } else if (body instanceof String text) {
        publisher = HttpRequest.BodyPublishers.ofString(text);
        contentType = "application/json";
      } else {
        publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        contentType = "application/json";
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replace(" ", "%20").replace("\"", "%22"))).method(method, publisher).timeout(Duration.ofSeconds(30));
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        request.setHeader(headers[i], headers[i + 1]);
      }
      HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

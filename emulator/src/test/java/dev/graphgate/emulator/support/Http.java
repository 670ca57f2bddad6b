package dev.graphgate.emulator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The one HTTP client of the emulator's tests: a JDK HttpClient that never follows redirects, real HTTP, one call per
 * line. Calls take a full {@link URI}, or, on a client made {@link #at} a base URL (Graph, the admin API), a path
 * relative to it or a whole URL (a next or delta link), with the client's bearer token.
 */
public final class Http {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final String base;
  private final String token;

  private Http(HttpClient client, String base, String token) {
    this.client = client;
    this.base = base;
    this.token = token;
  }

  public static Http client() {
    return new Http(builder().build(), null, null);
  }

  public static Http trusting(SSLContext ssl) {
    return new Http(builder().sslContext(ssl).build(), null, null);
  }

  /** Paths are resolved against {@code base}; {@code token}, when not null, is sent as the bearer. */
  public static Http at(String base, String token) {
    return new Http(builder().build(), base, token);
  }

  public Http withToken(String newToken) {
    return new Http(client, base, newToken);
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1);
  }

  public Response get(URI uri, String... headers) {
    return send(HttpRequest.newBuilder(uri).GET(), null, headers);
  }

  public Response delete(URI uri, String... headers) {
    return send(HttpRequest.newBuilder(uri).DELETE(), null, headers);
  }

  public Response post(URI uri, String contentType, String body, String... headers) {
    return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)), contentType, headers);
  }

  public Response postForm(URI uri, Map<String, String> form, String... headers) {
    return post(uri, "application/x-www-form-urlencoded", form(form), headers);
  }

  public Response postJson(URI uri, String json, String... headers) {
    return post(uri, "application/json", json, headers);
  }

  public Response patchJson(URI uri, String json) {
    return send(HttpRequest.newBuilder(uri).method("PATCH", HttpRequest.BodyPublishers.ofString(json)), "application/json");
  }

  public Response get(String pathOrUrl, String... headers) {
    return send("GET", pathOrUrl, null, headers);
  }

  public Response post(String pathOrUrl, Object body, String... headers) {
    return send("POST", pathOrUrl, body, headers);
  }

  public Response patch(String pathOrUrl, Object body, String... headers) {
    return send("PATCH", pathOrUrl, body, headers);
  }

  public Response put(String pathOrUrl, Object body, String... headers) {
    return send("PUT", pathOrUrl, body, headers);
  }

  public Response delete(String pathOrUrl, String... headers) {
    return send("DELETE", pathOrUrl, null, headers);
  }

  /** {@code body}: null, a String (sent as JSON text), bytes (sent as they are) or an object (serialized as JSON). */
  public Response send(String method, String pathOrUrl, Object body, String... headers) {
    String url = pathOrUrl.startsWith("http") || base == null ? pathOrUrl : base + pathOrUrl;
    HttpRequest.BodyPublisher publisher;
    String contentType = null;
    if (body == null) {
      publisher = HttpRequest.BodyPublishers.noBody();
    } else if (body instanceof byte[] bytes) {
      publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
      contentType = "application/octet-stream";
    } else if (body instanceof String text) {
      publisher = HttpRequest.BodyPublishers.ofString(text);
      contentType = "application/json";
    } else {
      try {
        publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      contentType = "application/json";
    }
    // OData URLs as a test writes them: a filter's spaces and quotes.
    URI uri = URI.create(url.replace(" ", "%20").replace("\"", "%22"));
    return send(HttpRequest.newBuilder(uri).method(method, publisher), contentType, headers);
  }

  public static String form(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** A mutable ordered form, so tests can add or drop one field. */
  public static Map<String, String> formOf(String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      form.put(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  /** {@code contentType} unless the test's own {@code headers} name one; the bearer unless they name an Authorization. */
  private Response send(HttpRequest.Builder request, String contentType, String... headers) {
    if (contentType != null && !names(headers, "Content-Type")) {
      request.header("Content-Type", contentType);
    }
    if (token != null && !names(headers, "Authorization")) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.build().method() + " " + request.build().uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean names(String[] headers, String name) {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  public record Response(int status, HttpHeaders headers, byte[] bytes) {
    public String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body(), e);
      }
    }

    /** Graph's {@code error.code}. */
    public String errorCode() {
      return json().path("error").path("code").asText();
    }

    @Override
    public String toString() {
      return "Response[" + status + " " + body() + "]";
    }
  }
}

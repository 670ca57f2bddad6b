package dev.graphgate.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A browser's view of the dashboard's JSON routes: a session cookie and a CSRF token, each sent only when held. */
final class DashboardClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  String cookie;
  String csrf;

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      return body.isEmpty() ? Json.object() : Json.parse(body);
    }

    String code() {
      return json().path("error").path("code").asText();
    }

    Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }
  }

  DashboardClient(URI base) {
    this.base = base;
  }

  /** Signs in with {@code credential}, keeping the cookie and CSRF token it answers when it succeeds. */
  Response signIn(String credential) {
    Response r = send("POST", "session", Json.write(Json.object().put("credential", credential)));
    if (r.status() == 200) {
      cookie = r.header("Set-Cookie").orElseThrow().split(";", 2)[0].substring(DashboardSessions.COOKIE.length() + 1);
      csrf = r.json().path("csrf_token").asText();
    }
    return r;
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  Response post(String path, String json) {
    return send("POST", path, json);
  }

  Response send(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/dashboard/api/" + path)).timeout(Duration.ofSeconds(60));
    if (cookie != null) {
      b.header("Cookie", DashboardSessions.COOKIE + "=" + cookie);
    }
    if (csrf != null && !method.equals("GET")) {
      b.header(DashboardSessions.CSRF_HEADER, csrf);
    }
    if (json != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Response page(URI url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.graphgate.server.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The token endpoint's readiness, without asking for a token: Entra's OpenID discovery document for the
 * {@code organizations} authority ({@code <login host>/organizations/v2.0/.well-known/openid-configuration}) is
 * fetched from the cloud's login host and must name a {@code token_endpoint}. It proves that DNS, the network path,
 * TLS and the login host itself work, as a token request needs them, without a credential, a tenant or a token.
 */
public final class LoginHostCheck implements ReadinessCheck, AutoCloseable {
  private final HttpClient http;
  private final URI discovery;
  private final Duration timeout;

  public LoginHostCheck(URI loginUrl, Duration timeout) {
    String base = loginUrl.toString().endsWith("/") ? loginUrl.toString() : loginUrl + "/";
    this.discovery = URI.create(base + "organizations/v2.0/.well-known/openid-configuration");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String name() {
    return "token_endpoint";
  }

  /** The URL it fetches. */
  public URI url() {
    return discovery;
  }

  @Override
  public void check() throws IOException, InterruptedException {
    HttpResponse<String> r;
    try {
      r = http.send(HttpRequest.newBuilder(discovery).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new IOException("GET " + discovery + ": no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new IOException("GET " + discovery + " failed: " + e.getClass().getSimpleName());
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET " + discovery + " answered " + r.statusCode());
    }
    JsonNode doc;
    try {
      doc = Json.parse(r.body());
    } catch (RuntimeException e) {
      throw new IOException("GET " + discovery + " answered something other than an OpenID discovery document");
    }
    if (!doc.path("token_endpoint").isTextual()) {
      throw new IOException("GET " + discovery + " answered a document without a token_endpoint");
    }
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}

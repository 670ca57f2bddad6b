package dev.graphgate.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.config.OutboundUrls;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.upstream.RetryAfter;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The Entra token endpoint over the JDK HttpClient: form-encoded POST, no redirects followed, bounded time. */
public final class EntraTokenClient implements TokenEndpoint {
  private final HttpClient http;
  private final Duration timeout;
  private final InstantSource clock;

  public EntraTokenClient(HttpClient http, Duration timeout, InstantSource clock) {
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  public static HttpClient defaultHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public TokenOutcome requestToken(TokenRequest request) {
    if (!OutboundUrls.isAllowed(request.tokenUrl())) {
      return new TokenOutcome.Unavailable("the token URL is not allowed (https only, plain http only to this machine)", Optional.empty());
    }
    String body = request.form().entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest http_request = HttpRequest.newBuilder(request.tokenUrl())
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(http_request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return new TokenOutcome.Unavailable("the token endpoint did not answer within " + timeout.toMillis() + " ms", Optional.empty());
    } catch (IOException e) {
      return new TokenOutcome.Unavailable("the token endpoint could not be reached (" + e.getClass().getSimpleName() + ")", Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TokenOutcome.Unavailable("interrupted while waiting for the token endpoint", Optional.empty());
    }
    return interpret(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"), clock.instant());
  }

  /** {@code now} reads a Retry-After given as an HTTP date. */
  static TokenOutcome interpret(int status, String body, Optional<String> retryAfterHeader, Instant now) {
    Optional<JsonNode> json = parse(body);
    if (status == 200) {
      Optional<String> token = json.map(j -> j.path("access_token").asText(null));
      if (token.isEmpty() || token.get() == null || token.get().isEmpty()) {
        return new TokenOutcome.Unavailable("the token endpoint answered 200 without an access_token", Optional.empty());
      }
      JsonNode j = json.get();
      long expiresIn = j.path("expires_in").asLong(3599);
      Optional<Long> refreshIn = secondsField(j.get("refresh_in"));
      return new TokenOutcome.Issued(Secret.of(token.get()), Secret.of(body), expiresIn, refreshIn);
    }
    Optional<Duration> retryAfter = retryAfterHeader.flatMap(v -> RetryAfter.parse(v, now));
    if (status == 429 || status >= 500) {
      return new TokenOutcome.Unavailable("the token endpoint answered HTTP " + status, retryAfter);
    }
    if (json.isEmpty() || !json.get().has("error")) {
      return new TokenOutcome.Rejected(status, "none", List.of(), "The token endpoint answered HTTP " + status + " without an OAuth error.");
    }
    JsonNode j = json.get();
    List<Integer> codes = new ArrayList<>();
    j.path("error_codes").forEach(c -> codes.add(c.asInt()));
    return new TokenOutcome.Rejected(status, j.path("error").asText(), codes, j.path("error_description").asText(""));
  }

  /** A number of seconds sent as a number or a numeric string (as MSAL reads them); anything else is absent. */
  private static Optional<Long> secondsField(JsonNode n) {
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (n.isNumber()) {
      return Optional.of(n.asLong());
    }
    try {
      return n.isTextual() ? Optional.of(Long.parseLong(n.asText().trim())) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<JsonNode> parse(String body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

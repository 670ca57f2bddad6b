package dev.graphgate.server.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt of one delivery: {@code POST} of the body with Nango's headers (nango-api.md §7.2), over the JDK
 * HttpClient, redirects not followed (a 3xx is an answer, not retried), bounded by the attempt's timeout from connect to
 * the answer's headers; the answer's body is discarded. The destination is checked against the URL policy, addresses
 * resolved, right before sending.
 */
public final class WebhookSender {
  static final String EVENT_ID_HEADER = "X-Graphgate-Event-Id";

  private final HttpClient http;
  private final WebhookUrlPolicy policy;
  private final Duration timeout;
  private final String userAgent;

  public WebhookSender(WebhookUrlPolicy policy, Duration timeout, String version) {
    this.policy = policy;
    this.timeout = timeout;
    this.userAgent = "graphgate/" + version;
    this.http = HttpClient.newBuilder().connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** What one attempt came to. */
  public sealed interface Outcome {
    /** The receiver answered with {@code status}. */
    record Answered(int status) implements Outcome {}

    /** No answer: refused, reset, timed out; {@code reason} is for the deliveries list and never holds the URL. */
    record TransportFailed(String reason) implements Outcome {}

    /** The destination breaks the outbound URL policy; nothing was sent. */
    record NotAllowed(String reason) implements Outcome {}
  }

  public Outcome send(String destination, String eventId, String body, WebhookSettings settings, Instant now) throws InterruptedException {
    URI uri;
    try {
      uri = URI.create(destination);
    } catch (IllegalArgumentException e) {
      return new Outcome.NotAllowed("it is not a valid URL");
    }
    var problem = policy.problemAtSend(uri);
    if (problem.isPresent()) {
      return new Outcome.NotAllowed(problem.get());
    }
    var key = settings.signingKey().orElseThrow(() -> new IllegalStateException("the signing key is created at start"));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", userAgent)
        .header(WebhookSignature.HMAC_HEADER, WebhookSignature.hmac(key, bytes))
        .header(WebhookSignature.LEGACY_HEADER, WebhookSignature.legacy(key, bytes))
        .header(EVENT_ID_HEADER, eventId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    settings.previousKeyAt(now).ifPresent(previous -> request.header(WebhookSignature.PREVIOUS_HMAC_HEADER, WebhookSignature.hmac(previous, bytes)));
    CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
    try {
      // The request timeout ends at the answer's headers; this bounds the discarded body too.
      return new Outcome.Answered(answer.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS).statusCode());
    } catch (TimeoutException e) {
      answer.cancel(true);
      return new Outcome.TransportFailed("no complete answer within " + timeout.toMillis() * 2 + " ms");
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return new Outcome.TransportFailed("no answer within " + timeout.toMillis() + " ms");
      }
      if (cause instanceof IOException) {
        return new Outcome.TransportFailed(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + safe(cause.getMessage())));
      }
      return new Outcome.TransportFailed(cause == null ? "the request failed" : cause.getClass().getSimpleName());
    }
  }

  /** Transport messages can name the host and port; they never carry the path or query, but are cut short all the same. */
  private static String safe(String message) {
    return message.length() > 200 ? message.substring(0, 200) : message;
  }
}

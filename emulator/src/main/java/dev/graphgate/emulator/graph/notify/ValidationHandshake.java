package dev.graphgate.emulator.graph.notify;

import dev.graphgate.emulator.graph.http.GraphException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Graph's validation of a notification URL, before a subscription is created or its URL changed:
 * {@code POST {url}?validationToken={token}} with {@code text/plain} and no body; the receiver must answer
 * {@code 200} with {@code Content-Type: text/plain} and exactly the decoded token, within the validation timeout
 * (Graph: 10 s). Anything else fails the create with Graph's 400 (reference section 11). Every handshake is logged as
 * a {@code validation} attempt.
 */
final class ValidationHandshake {

  private final HttpClient http;
  private final DeliveryLog log;
  private final NotificationDelivery delivery;
  private final InstantSource clock;

  ValidationHandshake(NotificationDelivery delivery, InstantSource clock) {
    this.http = delivery.http();
    this.log = delivery.log();
    this.delivery = delivery;
    this.clock = clock;
  }

  /** A token as Graph words them: spaces and a colon, so a receiver that does not URL-decode fails as it would with Graph. */
  static String newToken() {
    return "Validation: Testing client application reachability for subscription Request-Id: " + UUID.randomUUID();
  }

  /** Validates {@code url} or throws the 400 Graph answers the create call with. */
  void validate(String url, String subscriptionId) {
    String token = newToken();
    Duration timeout = delivery.settings().validationTimeout();
    String separator = URI.create(url).getRawQuery() == null ? "?" : "&";
    URI target = URI.create(url + separator + "validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20"));
    Instant startedAt = clock.instant();
    long started = System.nanoTime();
    Integer status = null;
    String outcome = "rejected";
    String detail;
    GraphException failure = null;
    try {
      HttpRequest request = HttpRequest.newBuilder(target)
          .timeout(timeout)
          .header("Content-Type", "text/plain; charset=utf-8")
          .POST(HttpRequest.BodyPublishers.noBody())
          .build();
      var future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      HttpResponse<String> response;
      try {
        response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        throw new ExecutionException(new java.net.http.HttpTimeoutException("no answer"));
      }
      status = response.statusCode();
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      if (status != 200) {
        detail = "answered " + status;
        failure = validationError("Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
      } else if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
        detail = "answered Content-Type '" + contentType + "'";
        failure = validationError("Subscription validation request failed. Notification endpoint must respond with Content-Type text/plain to validation request.");
      } else if (!response.body().equals(token)) {
        detail = "answered a body that is not the token";
        failure = validationError("Subscription validation request failed. Response must exactly match validationToken query parameter.");
      } else {
        outcome = "delivered";
        detail = null;
      }
    } catch (ExecutionException e) {
      boolean timedOut = e.getCause() instanceof java.net.http.HttpTimeoutException;
      outcome = timedOut ? "timeout" : "unreachable";
      detail = timedOut ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(e.getCause());
      failure = timedOut
          ? new GraphException(400, "InvalidRequest", "Subscription validation request timed out.")
          : validationError("Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphException(400, "InvalidRequest", "Subscription validation request timed out.");
    } catch (IllegalArgumentException e) {
      outcome = "unreachable";
      detail = e.getMessage();
      failure = validationError("Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    log.add(new DeliveryAttempt(delivery.nextAttemptId(), "validation", url, List.of(), List.of(subscriptionId), 1, startedAt, millis,
        status, outcome, millis > DeliveryAttempt.SLOW_MILLIS, detail));
    if (failure != null) {
      throw failure;
    }
  }

  private static GraphException validationError(String message) {
    return new GraphException(400, "ValidationError", message);
  }
}

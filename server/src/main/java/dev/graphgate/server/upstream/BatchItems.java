package dev.graphgate.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.GraphgateException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Graph throttles the items of a {@code $batch} one by one: the batch answers 200, and a throttled item carries its
 * own 429 and Retry-After (an item that depended on it, 424). Microsoft's SDKs do not retry such items; the proxy and
 * our own Graph client do, since a 429 means the item was not processed. {@link #throttled} works out which items to
 * send again (the throttled ones and those that failed only because of them, with dependencies among them kept) and
 * {@link #merge} puts their new answers in place of the old; {@link #resend} is the loop both callers run, on the
 * server's one {@link Retrier}.
 */
public final class BatchItems {
  private BatchItems() {}

  /**
   * The items to send again.
   *
   * @param body the smaller batch to send
   * @param retryAfter the longest Retry-After among the throttled items, when they gave one
   * @param mailboxOnly every throttled item hit an Outlook mailbox limit (no reason to hold the whole tenant)
   * @param readOnly every item sent again is a GET or HEAD, so the smaller batch may be repeated after a failure that
   *     may have reached Graph
   */
  public record Plan(byte[] body, int items, Optional<Duration> retryAfter, boolean mailboxOnly, String firstError, boolean readOnly) {}

  public static Optional<Plan> throttled(byte[] requestBody, byte[] responseBody, Instant now) {
    return throttled(requestBody, responseBody, now, false);
  }

  /**
   * As {@link #throttled(byte[], byte[], Instant)}; with {@code unavailableReads}, a GET or HEAD item that answered 503
   * or 504 is sent again too (it changes nothing), while a write that did is left as it is: Graph may have applied it.
   */
  public static Optional<Plan> throttled(byte[] requestBody, byte[] responseBody, Instant now, boolean unavailableReads) {
    JsonNode request;
    JsonNode response;
    try {
      request = Json.MAPPER.readTree(requestBody);
      response = Json.MAPPER.readTree(responseBody);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (request == null || response == null || !request.path("requests").isArray() || !response.path("responses").isArray()) {
      return Optional.empty();
    }
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    response.path("responses").forEach(r -> answers.put(r.path("id").asText(), r));
    Set<String> reads = new java.util.HashSet<>();
    for (JsonNode item : request.path("requests")) {
      String method = item.path("method").asText("").toUpperCase(java.util.Locale.ROOT);
      if (method.equals("GET") || method.equals("HEAD")) {
        reads.add(item.path("id").asText());
      }
    }
    Set<String> again = new LinkedHashSet<>();
    Optional<Duration> longest = Optional.empty();
    boolean mailboxOnly = true;
    String firstError = "";
    for (JsonNode r : answers.values()) {
      int status = r.path("status").asInt();
      boolean unavailableRead = unavailableReads && (status == 503 || status == 504) && reads.contains(r.path("id").asText());
      if (status == 429 || unavailableRead) {
        again.add(r.path("id").asText());
        Optional<Duration> wait = header(r, "retry-after").flatMap(v -> RetryAfter.parse(v, now));
        if (wait.isPresent() && (longest.isEmpty() || wait.get().compareTo(longest.get()) > 0)) {
          longest = wait;
        }
        String error = r.path("body").toString();
        // Only a 429 says a gate should close; an unavailable read is just sent again.
        mailboxOnly &= unavailableRead || error.contains("ApplicationThrottled") || error.contains("Mailbox");
        if (firstError.isEmpty()) {
          firstError = error.length() > 4096 ? error.substring(0, 4096) : error;
        }
      }
    }
    if (again.isEmpty()) {
      return Optional.empty();
    }
    boolean grew = true;
    while (grew) {
      grew = false;
      for (JsonNode item : request.path("requests")) {
        String id = item.path("id").asText();
        JsonNode answer = answers.get(id);
        if (!again.contains(id) && answer != null && answer.path("status").asInt() == 424 && dependsOnAny(item, again)) {
          again.add(id);
          grew = true;
        }
      }
    }
    ObjectNode smaller = Json.object();
    ArrayNode items = smaller.putArray("requests");
    boolean readOnly = true;
    for (JsonNode item : request.path("requests")) {
      if (!again.contains(item.path("id").asText()) || !item.isObject()) {
        continue;
      }
      String method = item.path("method").asText("").toUpperCase(java.util.Locale.ROOT);
      readOnly &= method.equals("GET") || method.equals("HEAD");
      ObjectNode copy = ((ObjectNode) item).deepCopy();
      if (copy.has("dependsOn")) {
        ArrayNode kept = Json.MAPPER.createArrayNode();
        copy.path("dependsOn").forEach(d -> {
          if (again.contains(d.asText())) {
            kept.add(d);
          }
        });
        if (kept.isEmpty()) {
          copy.remove("dependsOn");
        } else {
          copy.set("dependsOn", kept);
        }
      }
      items.add(copy);
    }
    try {
      return Optional.of(new Plan(Json.MAPPER.writeValueAsBytes(smaller), again.size(), longest, mailboxOnly, firstError, readOnly));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code earlier} with each item answered in {@code later} replaced by that answer, in the original order. */
  public static byte[] merge(byte[] earlier, byte[] later) {
    try {
      JsonNode first = Json.MAPPER.readTree(earlier);
      JsonNode second = Json.MAPPER.readTree(later);
      Map<String, JsonNode> newer = new LinkedHashMap<>();
      second.path("responses").forEach(r -> newer.put(r.path("id").asText(), r));
      ArrayNode responses = (ArrayNode) first.path("responses");
      for (int i = 0; i < responses.size(); i++) {
        JsonNode replacement = newer.get(responses.get(i).path("id").asText());
        if (replacement != null) {
          responses.set(i, replacement);
        }
      }
      return Json.MAPPER.writeValueAsBytes(first);
    } catch (IOException | ClassCastException e) {
      return earlier;
    }
  }

  /**
   * Sends the items of {@code answer} that {@link #throttled} picks again, after their Retry-After, until none is left
   * or the retry policy of {@code request} (its retries and time budget, shared with the call through {@code progress})
   * stops: the server's one {@link Retrier} runs the loop. Each smaller batch goes through {@code upstream} like any
   * call (gates, 401 replacement); it is retried after a failure midway only when every item in it only reads. A
   * throttled item closes the tenant's gate unless Outlook throttled only a mailbox. When sending again fails, the
   * answer so far comes back (those items keep their 429 or 503): the other items may have changed data.
   *
   * @param request the call that sent the batch (its headers, route, policy, rules and deadline are reused)
   * @param read the answer of a smaller batch as JSON bytes, or empty when it is not one (the answer is then discarded)
   * @return {@code answer} with each item's latest answer, in the original order
   */
  public static byte[] resend(Retrier retrier, UpstreamClient upstream, UpstreamClient.Request request, UpstreamClient.Credentials credentials,
      Target target, byte[] requestBody, byte[] answer, CallProgress progress, boolean unavailableReads, InstantSource clock,
      Function<UpstreamOutcome.Answered, Optional<byte[]>> read) {
    byte[][] latest = {answer};
    boolean[] sent = {false};
    retrier.run(request.retryPolicy(), progress, request.deadline(), () -> {
      if (sent[0]) {
        Optional<byte[]> items = send(upstream, request, credentials, target,
            throttled(requestBody, latest[0], clock.instant(), unavailableReads).orElseThrow(), progress, read);
        if (items.isEmpty()) {
          return new Retrier.Attempt.Final<>(Optional.<Plan>empty());
        }
        latest[0] = merge(latest[0], items.get());
      }
      sent[0] = true;
      Optional<Plan> plan = throttled(requestBody, latest[0], clock.instant(), unavailableReads);
      if (plan.isEmpty()) {
        return new Retrier.Attempt.Final<>(plan);
      }
      if (!plan.get().mailboxOnly()) {
        request.route().throttled(plan.get().retryAfter().orElse(Duration.ofSeconds(1)), plan.get().firstError());
      }
      return new Retrier.Attempt.Retryable<>(plan, plan.get().retryAfter(), () -> { });
    });
    return latest[0];
  }

  /** The items of {@code plan} sent as a smaller batch: their answers, or empty when it did not get through. */
  private static Optional<byte[]> send(UpstreamClient upstream, UpstreamClient.Request request, UpstreamClient.Credentials credentials,
      Target target, Plan plan, CallProgress progress, Function<UpstreamOutcome.Answered, Optional<byte[]>> read) {
    UpstreamClient.Settled again;
    try {
      UpstreamClient.Request items = new UpstreamClient.Request(target, "POST", new RequestBody.Buffered(plan.body()), plan.readOnly(),
          request.headers(), request.route(), request.retryPolicy(), request.rules(), request.deadline());
      again = upstream.send(items, credentials.forTarget(target), credentials, progress);
    } catch (GraphgateException e) {
      return Optional.empty();
    }
    try {
      if (again.answer().status() != 200) {
        again.answer().discard();
        return Optional.empty();
      }
      return read.apply(again.answer());
    } finally {
      again.passage().release();
    }
  }

  private static boolean dependsOnAny(JsonNode item, Set<String> ids) {
    for (JsonNode d : item.path("dependsOn")) {
      if (ids.contains(d.asText())) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> header(JsonNode answer, String name) {
    for (Map.Entry<String, JsonNode> h : answer.path("headers").properties()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return Optional.of(h.getValue().asText());
      }
    }
    return Optional.empty();
  }
}

package dev.graphgate.server.upstream;

import dev.graphgate.server.GraphgateException.ProxyThrottled;
import dev.graphgate.server.GraphgateException.UpstreamUnreachable;
import dev.graphgate.server.observe.MeterNames;
import dev.graphgate.server.secret.Secret;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way Graphgate calls Microsoft over HTTP; the proxy and our own Graph client both sit on it. A call passes
 * through these layers, outermost first, each a small loop of its own:
 *
 * <ol>
 *   <li>{@link #send}: redirects are followed when the body can be sent again, each hop checked by
 *       {@link OutboundPolicy}, at most {@value #MAX_REDIRECTS};
 *   <li>{@link #authorized}: the request carries the token for its target; a 401 gets one replacement token from the
 *       caller's {@link Credentials} and one more go;
 *   <li>{@link #retried}: a retryable answer or failure ({@link HttpRetryRules}) is tried again by the server's one
 *       {@link Retrier}, under the call's {@link RetryPolicy} (Retry-After, backoff, time budget);
 *   <li>{@link #exchange}: the throttle gates of the call's route are passed (per tenant, per mailbox), then one HTTP
 *       exchange ({@link UpstreamCall}); a 429 closes the gate that Microsoft throttled.
 * </ol>
 *
 * The answer comes back still streaming, with the gate passes it holds; anything refused before that (a gate that
 * will not open within the budget, Microsoft unreachable after the retries, a redirect elsewhere) is a
 * {@code GraphgateException}.
 */
public final class UpstreamClient {
  public static final int MAX_REDIRECTS = 5;
  /** Retryable answers are read into memory up to this size before waiting (they are small error bodies). */
  private static final int RETRYABLE_BODY_LIMIT = 64 * 1024;

  private final OutboundPolicy policy;
  private final UpstreamCall http;
  private final Retrier retrier;
  private final InstantSource clock;
  private final Counter retries;
  private final Counter throttled;
  private final Counter refreshedAfter401;
  private volatile Object[] lastBearer = {null, null};

  public UpstreamClient(OutboundPolicy policy, UpstreamCall http, Retrier retrier, InstantSource clock, MeterRegistry meters) {
    this.policy = policy;
    this.http = http;
    this.retrier = retrier;
    this.clock = clock;
    this.retries = Counter.builder(MeterNames.UPSTREAM_RETRIES).description("attempts repeated after a retryable answer or failure")
        .register(meters);
    this.throttled = Counter.builder(MeterNames.UPSTREAM_THROTTLED)
        .description("429 answers from Microsoft to a whole request, each closing a throttle gate")
        .register(meters);
    this.refreshedAfter401 = Counter.builder(MeterNames.UPSTREAM_TOKEN_REJECTED)
        .description("401 answers followed by a replacement token and one more attempt").register(meters);
  }

  /** The bearer tokens of the call's connection. */
  public interface Credentials {
    /** The token for {@code target}'s resource; throws the caller's error when none can be had. */
    Secret forTarget(Target target);

    /** Microsoft refused {@code rejected} with 401: a replacement, or empty to pass the 401 on. */
    Optional<Secret> afterRejection(Target target, Secret rejected);
  }

  /**
   * One call. {@code headers} gives the headers for a target (the caller decides what follows a redirect), without
   * {@code Authorization}, which this class adds for targets that carry a token.
   */
  public record Request(Target target, String method, RequestBody body, boolean idempotent, Function<Target, Map<String, List<String>>> headers,
      ThrottleGates.Route route, RetryPolicy retryPolicy, HttpRetryRules rules, Instant deadline) {
    public Request {
      Objects.requireNonNull(target);
      Objects.requireNonNull(method);
      Objects.requireNonNull(body);
      Objects.requireNonNull(headers);
      Objects.requireNonNull(route);
      Objects.requireNonNull(retryPolicy);
      Objects.requireNonNull(rules);
      Objects.requireNonNull(deadline);
    }

    Request to(Target next, String nextMethod, RequestBody nextBody) {
      return new Request(next, nextMethod, nextBody, idempotent, headers, route, retryPolicy, rules, deadline);
    }
  }

  /** The answer a call settled on, the gate passes it still holds (release them once the body is done), and where it came from. */
  public record Settled(UpstreamOutcome.Answered answer, ThrottleGates.Passage passage, Target target) {}

  /** Sends the call and follows redirects; {@code token} is the token for the first target. */
  public Settled send(Request request, Secret token, Credentials credentials, CallProgress progress) {
    Request r = request;
    Secret current = token;
    for (int redirects = 0; ; redirects++) {
      Authorized a = authorized(r, current, credentials, progress);
      Settled settled = a.settled();
      UpstreamOutcome.Answered answer = settled.answer();
      Optional<String> location = answer.header("location");
      boolean followable = isRedirect(answer.status()) && location.isPresent() && redirects < MAX_REDIRECTS
          && (answer.status() == 303 || r.body().replayable());
      if (!followable) {
        return settled;
      }
      Target next;
      try {
        next = policy.redirect(r.target(), location.get());
      } finally {
        answer.discard();
        settled.passage().release();
      }
      String method = r.method();
      RequestBody body = r.body();
      if (answer.status() == 303 || ((answer.status() == 301 || answer.status() == 302) && method.equals("POST"))) {
        method = "GET";
        body = new RequestBody.None();
      }
      current = next.bearer() && !next.scope().equals(r.target().scope()) ? credentials.forTarget(next) : a.token();
      r = r.to(next, method, body);
    }
  }

  /** What {@link #authorized} settled on, and the token it used last. */
  private record Authorized(Settled settled, Secret token) {}

  /** The retried exchanges of one target, with one replacement token after a 401. */
  private Authorized authorized(Request r, Secret token, Credentials credentials, CallProgress progress) {
    Settled settled = retried(r, token, progress);
    if (settled.answer().status() != 401 || !r.target().bearer() || !r.body().replayable()) {
      return new Authorized(settled, token);
    }
    Optional<Secret> replacement = credentials.afterRejection(r.target(), token);
    if (replacement.isEmpty()) {
      return new Authorized(settled, token);
    }
    refreshedAfter401.increment();
    settled.answer().discard();
    settled.passage().release();
    return new Authorized(retried(r, replacement.get(), progress), replacement.get());
  }

  /** One exchange's outcome, with what it holds. */
  private record Step(UpstreamOutcome outcome, ThrottleGates.Passage passage, String whyNotRetried) {}

  /** Exchanges until the answer is final under the call's retry rules and policy. */
  private Settled retried(Request r, Secret token, CallProgress progress) {
    int before = progress.retries();
    Retrier.Result<Step> result = retrier.run(r.retryPolicy(), progress, r.deadline(), () -> exchange(r, token, progress));
    retries.increment(progress.retries() - before);
    if (result.interrupted()) {
      throw new ProxyThrottled(Duration.ofSeconds(1), "Interrupted while waiting to retry.");
    }
    Step last = result.value();
    return switch (last.outcome()) {
      case UpstreamOutcome.Answered a -> new Settled(a, last.passage(), r.target());
      case UpstreamOutcome.TransportFailed f -> {
        String why = result.stoppedBecause().orElse(last.whyNotRetried());
        throw new UpstreamUnreachable(f.code(), "Microsoft could not be reached: " + f.detail() + " ("
            + progress.attempts() + (progress.attempts() == 1 ? " attempt" : " attempts") + "; " + why + ").", r.method().toLowerCase(Locale.ROOT));
      }
    };
  }

  /** The gates passed, then one HTTP exchange, classified for the retry loop. */
  private Retrier.Attempt<Step> exchange(Request r, Secret token, CallProgress progress) {
    ThrottleGates.Passage passage = r.route().admit(r.deadline());
    progress.waited(passage.waited());
    if (passage.refused().isPresent()) {
      throw new ProxyThrottled(passage.refused().get().retryAfter(), "Not sent: " + passage.refused().get().reason()
          + ", beyond this request's time budget. Retry after the Retry-After header's seconds.");
    }
    progress.attempted();
    UpstreamOutcome outcome = http.send(r.target(), r.method(), headers(r, token), r.body());
    String streamed = "the request body was streamed and cannot be sent again";
    switch (outcome) {
      case UpstreamOutcome.Answered a -> {
        if (!r.rules().retriesStatus(a.status(), r.idempotent())) {
          return new Retrier.Attempt.Final<>(new Step(a, passage, null));
        }
        byte[] start = readStart(a.body());
        Optional<Duration> retryAfter = a.header("retry-after").flatMap(v -> RetryAfter.parse(v, clock.instant()));
        if (a.status() == 429) {
          throttled.increment();
          // Without a Retry-After (Graph nearly always sends one) the gate stays closed for a second.
          r.route().throttled(retryAfter.orElse(Duration.ofSeconds(1)), new String(start, 0, Math.min(start.length, 4096), StandardCharsets.UTF_8));
        }
        UpstreamOutcome.Answered held = new UpstreamOutcome.Answered(a.status(), a.headers(),
            new SequenceInputStream(new ByteArrayInputStream(start), a.body()));
        Step step = new Step(held, passage, null);
        if (!r.body().replayable()) {
          return new Retrier.Attempt.Final<>(step);
        }
        return new Retrier.Attempt.Retryable<>(step, retryAfter, () -> {
          held.discard();
          passage.release();
        });
      }
      case UpstreamOutcome.TransportFailed f -> {
        passage.release();
        String refusal = r.body().replayable() ? r.rules().refusesTransportRetry(f.sent(), r.idempotent()) : streamed;
        Step step = new Step(f, passage, refusal);
        return refusal == null ? new Retrier.Attempt.Retryable<>(step, Optional.empty(), () -> { }) : new Retrier.Attempt.Final<>(step);
      }
    }
  }

  /** The caller's headers for the target, and the token when the target carries one and the caller sent none. */
  private Map<String, List<String>> headers(Request r, Secret token) {
    Map<String, List<String>> given = r.headers().apply(r.target());
    if (!r.target().bearer() || given.containsKey("authorization")) {
      return given;
    }
    Map<String, List<String>> h = new LinkedHashMap<>(given.size() + 1);
    h.putAll(given);
    h.put("authorization", List.of(bearer(token)));
    return h;
  }

  /** {@code Bearer <token>}, built once per token rather than per call (tokens are over a kilobyte). */
  private String bearer(Secret token) {
    Object[] last = lastBearer;
    if (last[0] == token) {
      return (String) last[1];
    }
    String header = "Bearer " + token.reveal();
    lastBearer = new Object[] {token, header};
    return header;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static byte[] readStart(InputStream body) {
    try {
      return body.readNBytes(RETRYABLE_BODY_LIMIT);
    } catch (IOException e) {
      return new byte[0];
    }
  }
}

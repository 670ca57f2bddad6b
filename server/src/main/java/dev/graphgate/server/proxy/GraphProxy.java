package dev.graphgate.server.proxy;

import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.GraphgateException.InvalidScope;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.ProxyConnectionNotFound;
import dev.graphgate.server.GraphgateException.ProxyCredentialsUnavailable;
import dev.graphgate.server.GraphgateException.ProxyThrottled;
import dev.graphgate.server.GraphgateException.RefreshExhausted;
import dev.graphgate.server.GraphgateException.TokenEndpointUnavailable;
import dev.graphgate.server.GraphgateException.TokenRequestFailed;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.GraphgateException.UpstreamUnreachable;
import dev.graphgate.server.RetryAfter;
import dev.graphgate.server.auth.ResourceTokens;
import dev.graphgate.server.auth.Sleeper;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionKey;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.LastFetchedRecorder;
import dev.graphgate.server.observe.ProxyLogEntry;
import dev.graphgate.server.observe.ProxyLogWriter;
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
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Forwards one call to Microsoft: the connection and its token from memory, the target checked by
 * {@link OutboundPolicy}, the throttle gates passed, then attempts until an answer is final under the
 * {@link RetryPolicy}. A 401 gets one forced token refresh and one more attempt; redirects are followed (each hop
 * checked, at most {@value #MAX_REDIRECTS}) when the body can be sent again. The answer goes back as a
 * {@link ProxyExchange}, still streaming; anything refused before that is a {@link GraphgateException}. Every call,
 * answered or refused, leaves one request log entry.
 */
public final class GraphProxy {
  static final int MAX_REDIRECTS = 5;
  /** Retryable answers are read into memory up to this size before waiting (they are small error bodies). */
  private static final int RETRYABLE_BODY_LIMIT = 64 * 1024;
  /** A batch's answer is read into memory to retry its throttled items only up to this size. */
  private static final int BATCH_ANSWER_LIMIT = 8 * 1024 * 1024;
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  private final ConnectionService connections;
  private final TokenService tokens;
  private final ResourceTokens resourceTokens;
  private final LastFetchedRecorder lastFetched;
  private final OutboundPolicy policy;
  private final ThrottleGates gates;
  private final UpstreamCall upstream;
  private final RetryPolicy retry;
  private final ProxyConfig config;
  private final ProxyLogWriter log;
  private final InstantSource clock;
  private final Sleeper sleeper;
  private final Counter retries;
  private final Counter throttled;
  private final Counter refreshedAfter401;
  private volatile Object[] lastBearer = {null, null};

  public GraphProxy(ConnectionService connections, TokenService tokens, ResourceTokens resourceTokens, LastFetchedRecorder lastFetched,
      OutboundPolicy policy, ThrottleGates gates, UpstreamCall upstream, RetryPolicy retry, ProxyConfig config, ProxyLogWriter log,
      InstantSource clock, Sleeper sleeper, MeterRegistry meters) {
    this.connections = connections;
    this.tokens = tokens;
    this.resourceTokens = resourceTokens;
    this.lastFetched = lastFetched;
    this.policy = policy;
    this.gates = gates;
    this.upstream = upstream;
    this.retry = retry;
    this.config = config;
    this.log = log;
    this.clock = clock;
    this.sleeper = sleeper;
    this.retries = Counter.builder("graphgate.proxy.retries").description("attempts repeated after a retryable answer or failure").register(meters);
    this.throttled = Counter.builder("graphgate.proxy.throttled").description("429 answers that closed a throttle gate").register(meters);
    this.refreshedAfter401 = Counter.builder("graphgate.proxy.token.rejected").description("401 answers followed by a forced token refresh").register(meters);
  }

  /** The call's progress, for the request log. */
  private static final class Progress {
    final Instant startedAt;
    final long startNanos = System.nanoTime();
    int attempts;
    Duration waited = Duration.ZERO;
    RequestBody body = new RequestBody.None();

    Progress(Instant startedAt) {
      this.startedAt = startedAt;
    }
  }

  /** Forwards the call. Throws {@link GraphgateException} when it is refused or nothing could be answered. */
  public ProxyExchange forward(ProxyCall call) {
    ProxyRequest r = call.request();
    Progress progress = new Progress(clock.instant());
    try {
      return attempt(call, progress);
    } catch (GraphgateException e) {
      record(r, progress, e.status(), 0, Optional.empty(), Optional.of(e.code()));
      throw e;
    }
  }

  /** One call's state across its attempts (and the attempts of a batch's throttled items). */
  private static final class Call {
    final ProxyRequest request;
    final Connection connection;
    final ThrottleGates.Route route;
    final RetryPolicy policy;
    final Instant deadline;
    final Progress progress;
    AccessToken token;
    boolean refreshed;
    int retriesDone;

    Call(ProxyRequest request, Connection connection, ThrottleGates.Route route, RetryPolicy policy, Instant deadline, Progress progress,
        AccessToken token) {
      this.request = request;
      this.connection = connection;
      this.route = route;
      this.policy = policy;
      this.deadline = deadline;
      this.progress = progress;
      this.token = token;
    }
  }

  /** The answer a request settled on, the gate passes it still holds, and where it came from (after redirects). */
  private record Settled(UpstreamOutcome.Answered answer, ThrottleGates.Passage passage, Target target) {}

  private ProxyExchange attempt(ProxyCall proxyCall, Progress progress) {
    ProxyRequest r = proxyCall.request();
    Connection connection = connection(r);
    Target target = policy.resolve(r.baseUrlOverride(), r.rawPath(), r.rawQuery());
    boolean idempotent = IDEMPOTENT.contains(r.method());
    RequestBody body = readBody(proxyCall);
    boolean batch = false;
    if (target.graph() && r.method().equals("POST") && body instanceof RequestBody.Buffered buffered && isBatch(target)) {
      BatchRequests prepared = BatchRequests.prepare(buffered.bytes(), "/proxy" + versionRoot(r.rawPath()));
      body = prepared.body() == buffered.bytes() ? body : new RequestBody.Buffered(prepared.body());
      idempotent = prepared.readOnly();
      batch = true;
    }
    progress.body = body;
    RetryPolicy policyForCall = retry.withMaxRetries(r.retries().orElse(config.defaultRetries())).withRetryOn(r.retryOn());
    Call call = new Call(r, connection,
        gates.route(connection.tenantId().value(), connection.credentials().clientId(), target.uri().getRawPath(), target.graph()),
        policyForCall, progress.startedAt.plus(config.retryBudget()), progress, token(connection, target, false));
    Settled settled = settle(call, target, r.method(), body, idempotent);
    if (batch && settled.answer().status() == 200) {
      settled = retryThrottledItems(call, settled, ((RequestBody.Buffered) body).bytes());
    }
    return exchange(proxyCall, settled, progress);
  }

  /** Attempts until an answer is final: the retry policy, one token refresh after a 401, redirects. */
  private Settled settle(Call call, Target first, String firstMethod, RequestBody firstBody, boolean idempotent) {
    Target target = first;
    String method = firstMethod;
    RequestBody body = firstBody;
    int redirects = 0;
    while (true) {
      ThrottleGates.Passage passage = call.route.admit(call.deadline);
      call.progress.waited = call.progress.waited.plus(passage.waited());
      if (passage.refused().isPresent()) {
        throw new ProxyThrottled(passage.refused().get().retryAfter(), "Not sent: " + passage.refused().get().reason()
            + ", beyond this request's time budget. Retry after the Retry-After header's seconds.");
      }
      call.progress.attempts++;
      UpstreamOutcome outcome = upstream.send(target, method, headers(call.request, target, call.token), body);
      switch (outcome) {
        case UpstreamOutcome.Answered a -> {
          if (a.status() == 401 && target.bearer() && !call.refreshed && body.replayable()) {
            call.refreshed = true;
            Optional<AccessToken> replacement = replaceRejected(call.connection, target, call.token);
            if (replacement.isPresent()) {
              refreshedAfter401.increment();
              a.discard();
              passage.release();
              call.token = replacement.get();
              continue;
            }
          }
          Optional<String> location = a.header("location");
          if (isRedirect(a.status()) && location.isPresent() && redirects < MAX_REDIRECTS && (a.status() == 303 || body.replayable())) {
            Target next;
            try {
              next = policy.redirect(target, location.get());
            } finally {
              a.discard();
              passage.release();
            }
            redirects++;
            if (a.status() == 303 || ((a.status() == 301 || a.status() == 302) && method.equals("POST"))) {
              method = "GET";
              body = new RequestBody.None();
            }
            if (next.bearer() && !next.scope().equals(target.scope())) {
              call.token = token(call.connection, next, false);
            }
            target = next;
            continue;
          }
          if (!call.policy.retriesStatus(a.status(), idempotent)) {
            return new Settled(a, passage, target);
          }
          byte[] start = readStart(a.body());
          Instant now = clock.instant();
          Optional<Duration> retryAfter = a.header("retry-after").flatMap(v -> RetryAfter.parse(v, now));
          RetryPolicy.Decision decision = body.replayable()
              ? call.policy.afterAnswer(call.retriesDone, a.status(), retryAfter, idempotent, now, call.deadline)
              : new RetryPolicy.Decision.Stop("the request body was streamed and cannot be sent again");
          if (a.status() == 429) {
            throttled.increment();
            Duration closeFor = retryAfter.orElse(decision instanceof RetryPolicy.Decision.Retry rt ? rt.delay() : Duration.ofSeconds(1));
            call.route.throttled(closeFor, new String(start, 0, Math.min(start.length, 4096), StandardCharsets.UTF_8));
          }
          UpstreamOutcome.Answered held = new UpstreamOutcome.Answered(a.status(), a.headers(),
              new SequenceInputStream(new ByteArrayInputStream(start), a.body()));
          if (decision instanceof RetryPolicy.Decision.Retry rt) {
            held.discard();
            passage.release();
            pause(rt.delay(), call.progress);
            call.retriesDone++;
            retries.increment();
            continue;
          }
          return new Settled(held, passage, target);
        }
        case UpstreamOutcome.TransportFailed f -> {
          passage.release();
          RetryPolicy.Decision decision = body.replayable()
              ? call.policy.afterTransportFailure(call.retriesDone, f.sent(), idempotent, clock.instant(), call.deadline)
              : new RetryPolicy.Decision.Stop("the request body was streamed and cannot be sent again");
          if (decision instanceof RetryPolicy.Decision.Retry rt) {
            pause(rt.delay(), call.progress);
            call.retriesDone++;
            retries.increment();
            continue;
          }
          throw new UpstreamUnreachable(f.timeout() ? 504 : 502, f.code(), "Microsoft could not be reached: " + f.detail() + " ("
              + call.progress.attempts + (call.progress.attempts == 1 ? " attempt" : " attempts") + "; "
              + ((RetryPolicy.Decision.Stop) decision).reason() + ").", call.request.method().toLowerCase(Locale.ROOT));
        }
      }
    }
  }

  /**
   * A batch answered 200 with throttled items: send those items again after their Retry-After, under the same retry
   * policy and time budget, and answer with every item's latest answer. Gives the batch back as it is when its answer
   * is not readable JSON or is larger than {@value #BATCH_ANSWER_LIMIT} bytes. When sending the items again fails, the
   * answer so far still goes back (those items keep their 429): the other items may have changed data, and a client
   * told only "502" would send them again.
   */
  private Settled retryThrottledItems(Call call, Settled first, byte[] requestBody) {
    ReadAnswer read = readJson(first.answer());
    if (read.json().isEmpty()) {
      return new Settled(read.whole(), first.passage(), first.target());
    }
    first.passage().release();
    byte[] answer = read.json().get();
    while (true) {
      Optional<BatchItems.Plan> plan = BatchItems.throttled(requestBody, answer, clock.instant());
      if (plan.isEmpty()) {
        break;
      }
      Instant now = clock.instant();
      RetryPolicy.Decision decision = call.policy.afterAnswer(call.retriesDone, 429, plan.get().retryAfter(), true, now, call.deadline);
      if (!(decision instanceof RetryPolicy.Decision.Retry rt)) {
        break;
      }
      throttled.increment();
      if (!plan.get().mailboxOnly()) {
        call.route.throttled(plan.get().retryAfter().orElse(rt.delay()), plan.get().firstError());
      }
      pause(rt.delay(), call.progress);
      call.retriesDone++;
      retries.increment();
      Settled again;
      try {
        // Retried after a failure midway only when every item sent again only reads.
        again = settle(call, first.target(), "POST", new RequestBody.Buffered(plan.get().body()), plan.get().readOnly());
      } catch (GraphgateException e) {
        break;
      }
      ReadAnswer items = again.answer().status() == 200 ? readJson(again.answer()) : new ReadAnswer(Optional.empty(), again.answer());
      again.passage().release();
      if (items.json().isEmpty()) {
        items.whole().discard();
        break;
      }
      answer = BatchItems.merge(answer, items.json().get());
    }
    Map<String, List<String>> headers = new LinkedHashMap<>(first.answer().headers().map());
    headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-length") || k.equalsIgnoreCase("content-encoding"));
    headers.put("content-length", List.of(Integer.toString(answer.length)));
    return new Settled(new UpstreamOutcome.Answered(200, java.net.http.HttpHeaders.of(headers, (k, v) -> true), new ByteArrayInputStream(answer)),
        new ThrottleGates.Passage(List.of(), Duration.ZERO, Optional.empty()), first.target());
  }

  /**
   * An answer's body read for inspection: {@code json}, decoded, when it is JSON of at most {@value #BATCH_ANSWER_LIMIT}
   * bytes; {@code whole} is the answer to pass on otherwise, its body complete (what was read, then the rest).
   */
  private record ReadAnswer(Optional<byte[]> json, UpstreamOutcome.Answered whole) {}

  private static ReadAnswer readJson(UpstreamOutcome.Answered a) {
    if (!a.header("content-type").map(t -> t.toLowerCase(Locale.ROOT).contains("json")).orElse(false)) {
      return new ReadAnswer(Optional.empty(), a);
    }
    String encoding = a.header("content-encoding").orElse("").trim().toLowerCase(Locale.ROOT);
    if (!encoding.isEmpty() && !encoding.equals("identity") && !encoding.equals("gzip") && !encoding.equals("deflate")) {
      return new ReadAnswer(Optional.empty(), a);
    }
    if (a.headers().firstValueAsLong("content-length").orElse(-1) > BATCH_ANSWER_LIMIT) {
      return new ReadAnswer(Optional.empty(), a);
    }
    byte[] raw;
    try {
      raw = a.body().readNBytes(BATCH_ANSWER_LIMIT + 1);
    } catch (IOException e) {
      return new ReadAnswer(Optional.empty(), a);
    }
    UpstreamOutcome.Answered whole = new UpstreamOutcome.Answered(a.status(), a.headers(),
        new SequenceInputStream(new ByteArrayInputStream(raw), a.body()));
    if (raw.length > BATCH_ANSWER_LIMIT) {
      return new ReadAnswer(Optional.empty(), whole);
    }
    try (InputStream in = encoding.equals("gzip") ? new GZIPInputStream(new ByteArrayInputStream(raw))
        : encoding.equals("deflate") ? new InflaterInputStream(new ByteArrayInputStream(raw)) : new ByteArrayInputStream(raw)) {
      byte[] decoded = in.readNBytes(BATCH_ANSWER_LIMIT + 1);
      if (decoded.length > BATCH_ANSWER_LIMIT) {
        return new ReadAnswer(Optional.empty(), whole);
      }
      a.body().close();
      return new ReadAnswer(Optional.of(decoded), whole);
    } catch (IOException e) {
      return new ReadAnswer(Optional.empty(), whole);
    }
  }

  private ProxyExchange exchange(ProxyCall call, Settled settled, Progress progress) {
    ProxyRequest r = call.request();
    Target target = settled.target();
    UpstreamOutcome.Answered a = settled.answer();
    ThrottleGates.Passage passage = settled.passage();
    boolean decode = r.decompress() || (r.rewriteLinks() && target.graph());
    Optional<String[]> rewrite = r.rewriteLinks() && target.graph()
        ? Optional.of(new String[] {target.origin() + "/", call.publicBase() + "/proxy/"})
        : Optional.empty();
    return new ProxyExchange(a, decode, rewrite, passage::release,
        done -> record(r, progress, done.status(), done.bytesWritten(), done.upstreamRequestId(), done.error()));
  }

  /** The connection, from memory; Nango's errors on the proxy for an unknown integration or connection. */
  private Connection connection(ProxyRequest r) {
    try {
      Connection c = connections.get(r.connection().integrationKey(), r.connection().connectionId());
      lastFetched.touch(c.id(), clock.instant());
      return c;
    } catch (UnknownProviderConfig e) {
      throw new UnknownProviderConfig(404, "Provider config not found: no integration '" + r.connection().integrationKey()
          + "'. Check the Provider-Config-Key header, or create the integration with POST /integrations.");
    } catch (NotFound e) {
      throw connectionNotFound(r.connection());
    }
  }

  private static ProxyConnectionNotFound connectionNotFound(ConnectionKey key) {
    return new ProxyConnectionNotFound("Failed to get connection: no connection '" + key.connectionId() + "' in integration '"
        + key.integrationKey() + "'. Check the Connection-Id header.");
  }

  /** A token for the target: the connection's Graph token, or one for the target's resource scope. */
  private AccessToken token(Connection c, Target target, boolean force) {
    try {
      if (target.scope().isEmpty()) {
        Connection fresh = tokens.withFreshToken(c, force);
        return fresh.token().orElseThrow(() -> new TokenEndpointUnavailable("No token is available for this connection.", Duration.ofSeconds(5)));
      }
      return resourceTokens.token(c, target.scope().get(), force);
    } catch (TokenRequestFailed e) {
      throw new ProxyCredentialsUnavailable(400, credentialsMessage(e.getMessage()), e.connectionStatus(), null);
    } catch (RefreshExhausted e) {
      throw new ProxyCredentialsUnavailable(424, credentialsMessage(e.getMessage()), status(c), null);
    } catch (TokenEndpointUnavailable e) {
      throw new ProxyCredentialsUnavailable(503, credentialsMessage(e.getMessage()), status(c), e.retryAfter());
    } catch (InvalidScope e) {
      throw new ProxyCredentialsUnavailable(400, credentialsMessage(e.getMessage()), "invalid_scope", null);
    } catch (NotFound e) {
      throw connectionNotFound(c.key());
    }
  }

  private Optional<AccessToken> replaceRejected(Connection c, Target target, AccessToken rejected) {
    try {
      if (target.scope().isEmpty()) {
        return tokens.afterRejection(c, rejected).flatMap(Connection::token);
      }
      return resourceTokens.afterRejection(c, target.scope().get(), rejected);
    } catch (GraphgateException e) {
      // The refresh failed; the caller gets Graph's 401, and the connection's status says why.
      return Optional.empty();
    }
  }

  private String status(Connection c) {
    return connections.cached(c.key()).orElse(c).health().status().wireName();
  }

  private static String credentialsMessage(String cause) {
    return "Failed to get connection credentials: '" + cause + "'";
  }

  /** What goes upstream: forwarded headers (to the first origin, or everywhere with Forward-Headers-On-Redirect), the token. */
  private Map<String, List<String>> headers(ProxyRequest r, Target target, AccessToken token) {
    Map<String, List<String>> h = new LinkedHashMap<>(r.forwarded().size() + 3);
    boolean sameOrigin = target.bearer() || r.forwardHeadersOnRedirect();
    if (sameOrigin) {
      h.putAll(r.forwarded());
    }
    if ((r.decompress() || (r.rewriteLinks() && target.graph()))) {
      h.put("accept-encoding", List.of("gzip"));
    }
    if (target.bearer() && !h.containsKey("authorization")) {
      h.put("authorization", List.of(bearer(token)));
    }
    if (!h.containsKey("user-agent")) {
      h.put("user-agent", List.of("Graphgate"));
    }
    return h;
  }

  /** {@code Bearer <token>}, built once per token rather than per call (tokens are over a kilobyte). */
  private String bearer(AccessToken token) {
    Object[] last = lastBearer;
    if (last[0] == token) {
      return (String) last[1];
    }
    String header = "Bearer " + token.value().reveal();
    lastBearer = new Object[] {token, header};
    return header;
  }

  private RequestBody readBody(ProxyCall call) {
    try {
      return RequestBody.read(call.body(), call.contentLength(), call.bodyDeclared(), config.replayBufferBytes());
    } catch (IOException e) {
      throw InvalidRequest.body("The request body could not be read: " + e.getMessage());
    }
  }

  private static boolean isBatch(Target target) {
    String path = target.uri().getRawPath();
    return path.endsWith("/$batch") || path.toLowerCase(Locale.ROOT).endsWith("/%24batch");
  }

  /** {@code /v1.0} of {@code /v1.0/$batch}: the path before the batch segment, as the client wrote it. */
  private static String versionRoot(String rawPath) {
    int slash = rawPath.lastIndexOf('/');
    return slash <= 0 ? "" : rawPath.substring(0, slash);
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

  private void pause(Duration wait, Progress progress) {
    try {
      sleeper.sleep(wait);
      progress.waited = progress.waited.plus(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProxyThrottled(wait, "Interrupted while waiting to retry.");
    }
  }

  private void record(ProxyRequest r, Progress p, int status, long responseBytes, Optional<String> upstreamRequestId, Optional<String> error) {
    long durationMillis = (System.nanoTime() - p.startNanos) / 1_000_000;
    log.record(new ProxyLogEntry(0, p.startedAt, Optional.ofNullable(r.connection().integrationKey()),
        Optional.ofNullable(r.connection().connectionId()), r.method(), ProxyLogEntry.redact(r.rawPath(), r.rawQuery()),
        r.baseUrlOverride().map(GraphProxy::originOf), status, p.attempts, p.waited.toMillis(), durationMillis,
        p.body.bytesSent(), responseBytes, upstreamRequestId, error));
  }

  /** The override's origin only: its path is not needed in the log, and it is never allowed to hold user info. */
  private static String originOf(String override) {
    try {
      java.net.URI u = new java.net.URI(override);
      return u.getScheme() == null || u.getHost() == null ? "(invalid)" : OutboundPolicy.origin(u);
    } catch (java.net.URISyntaxException e) {
      return "(invalid)";
    }
  }
}

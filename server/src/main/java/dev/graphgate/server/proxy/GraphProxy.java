package dev.graphgate.server.proxy;

import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.ProxyConnectionNotFound;
import dev.graphgate.server.GraphgateException.ProxyCredentialsUnavailable;
import dev.graphgate.server.GraphgateException.ProxyThrottled;
import dev.graphgate.server.GraphgateException.RefreshBackoff;
import dev.graphgate.server.GraphgateException.RefreshExhausted;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.auth.ResourceTokens;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.graph.PermissionCheck;
import dev.graphgate.server.graph.PermissionTable;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionKey;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.LastFetchedRecorder;
import dev.graphgate.server.observe.ProxyLogEntry;
import dev.graphgate.server.observe.ProxyLogWriter;
import dev.graphgate.server.observe.ProxyMeters;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.upstream.BatchItems;
import dev.graphgate.server.upstream.CallProgress;
import dev.graphgate.server.upstream.HttpRetryRules;
import dev.graphgate.server.upstream.OutboundPolicy;
import dev.graphgate.server.upstream.RequestBody;
import dev.graphgate.server.upstream.Retrier;
import dev.graphgate.server.upstream.RetryPolicy;
import dev.graphgate.server.upstream.Target;
import dev.graphgate.server.upstream.ThrottleGates;
import dev.graphgate.server.upstream.UpstreamClient;
import dev.graphgate.server.upstream.UpstreamOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
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
 * {@link OutboundPolicy}, then {@link UpstreamClient} (throttle gates, retries, one token replacement after a 401,
 * redirects); a {@code $batch} whose items Graph throttled gets those items sent again. The answer goes back as a
 * {@link ProxyExchange}, still streaming; anything refused before that is a {@link GraphgateException}. Every call,
 * answered or refused, leaves one request log entry and is counted once by {@link ProxyMeters}.
 */
public final class GraphProxy {
  /** A batch's answer is read into memory to retry its throttled items only up to this size. */
  private static final int BATCH_ANSWER_LIMIT = 8 * 1024 * 1024;
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
  /** On a Graph 403: the permissions that would allow the call and whether the token carries any (docs/proxy.md). */
  public static final String PERMISSION_HINT = "X-Graphgate-Permission-Hint";
  /** On a Graph 403 the token has no permission for: the admin consent link of the connection. */
  public static final String ADMIN_CONSENT_URL = "X-Graphgate-Admin-Consent-Url";
  private final PermissionTable permissions = PermissionTable.shipped();

  private final ConnectionService connections;
  private final TokenService tokens;
  private final ResourceTokens resourceTokens;
  private final AdminConsentLinks consentLinks;
  private final LastFetchedRecorder lastFetched;
  private final OutboundPolicy policy;
  private final ThrottleGates gates;
  private final UpstreamClient upstream;
  private final Retrier retrier;
  private final RetryPolicy retry;
  private final ProxyConfig config;
  private final ProxyLogWriter log;
  private final ProxyMeters meters;
  private final InstantSource clock;

  public GraphProxy(ConnectionService connections, TokenService tokens, ResourceTokens resourceTokens, AdminConsentLinks consentLinks,
      LastFetchedRecorder lastFetched, OutboundPolicy policy, ThrottleGates gates, UpstreamClient upstream, Retrier retrier, RetryPolicy retry,
      ProxyConfig config, ProxyLogWriter log, ProxyMeters meters, InstantSource clock) {
    this.connections = connections;
    this.tokens = tokens;
    this.resourceTokens = resourceTokens;
    this.consentLinks = consentLinks;
    this.lastFetched = lastFetched;
    this.policy = policy;
    this.gates = gates;
    this.upstream = upstream;
    this.retrier = retrier;
    this.retry = retry;
    this.config = config;
    this.log = log;
    this.meters = meters;
    this.clock = clock;
  }

  /** The call's progress, for the request log. */
  private static final class Progress {
    final Instant startedAt;
    final long startNanos = System.nanoTime();
    final CallProgress upstream = new CallProgress();
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
      record(r, progress, e.status(), 0, Optional.empty(), Optional.of(e.code()), Optional.empty());
      throw e;
    }
  }

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
    UpstreamClient.Request request = new UpstreamClient.Request(target, r.method(), body, idempotent, t -> headers(r, t),
        gates.route(connection.tenantId().value(), connection.credentials().clientId(), target.uri().getRawPath(), target.graph()),
        retry.withMaxRetries(r.retries().orElse(config.defaultRetries())), new HttpRetryRules(r.retryOn()),
        progress.startedAt.plus(config.retryBudget()));
    Credentials credentials = new Credentials(connection);
    UpstreamClient.Settled settled = upstream.send(request, credentials.forTarget(target), credentials, progress.upstream);
    if (batch && settled.answer().status() == 200) {
      settled = retryThrottledItems(request, credentials, settled, ((RequestBody.Buffered) body).bytes(), progress.upstream);
    }
    return exchange(proxyCall, connection, settled, progress);
  }

  /** The connection's tokens, as the upstream client asks for them; failures as the proxy's errors. */
  private final class Credentials implements UpstreamClient.Credentials {
    private final Connection connection;

    Credentials(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Secret forTarget(Target target) {
      return token(connection, target, false).value();
    }

    @Override
    public Optional<Secret> afterRejection(Target target, Secret rejected) {
      return replaceRejected(connection, target, rejected).map(AccessToken::value);
    }
  }

  /**
   * A batch answered 200 with throttled items: send those items again after their Retry-After, under the same retry
   * policy and time budget (the server's one {@link Retrier}), and answer with every item's latest answer. Gives the
   * batch back as it is when its answer is not readable JSON or is larger than {@value #BATCH_ANSWER_LIMIT} bytes.
   * When sending the items again fails, the answer so far still goes back (those items keep their 429): the other
   * items may have changed data, and a client told only "502" would send them again.
   */
  private UpstreamClient.Settled retryThrottledItems(UpstreamClient.Request request, Credentials credentials, UpstreamClient.Settled first,
      byte[] requestBody, CallProgress progress) {
    ReadAnswer read = readJson(first.answer());
    if (read.json().isEmpty()) {
      return new UpstreamClient.Settled(read.whole(), first.passage(), first.target());
    }
    first.passage().release();
    byte[] answer = BatchItems.resend(retrier, upstream, request, credentials, first.target(), requestBody, read.json().get(), progress, false,
        clock, a -> {
          ReadAnswer items = readJson(a);
          if (items.json().isEmpty()) {
            items.whole().discard();
          }
          return items.json();
        });
    Map<String, List<String>> headers = new LinkedHashMap<>(first.answer().headers().map());
    headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-length") || k.equalsIgnoreCase("content-encoding"));
    headers.put("content-length", List.of(Integer.toString(answer.length)));
    return new UpstreamClient.Settled(new UpstreamOutcome.Answered(200, java.net.http.HttpHeaders.of(headers, (k, v) -> true),
        new ByteArrayInputStream(answer)), new ThrottleGates.Passage(List.of(), Duration.ZERO, Optional.empty()), first.target());
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

  /**
   * On a Graph 403, what the permission table says of the call: the sentence for {@value #PERMISSION_HINT} and the log,
   * and the admin consent link when the token carries none of the permissions that would allow it. The token's roles
   * come from memory; the table's lookup is a split of the path. Nothing of this runs for any other answer.
   */
  private Map<String, String> permissionHeaders(Connection connection, ProxyRequest r, Target target, int status) {
    if (status != 403 || !target.graph() || target.scope().isPresent()) {
      return Map.of();
    }
    List<String> roles = tokens.token(connection, false) instanceof TokenAnswer.Valid v ? v.token().roles().orElse(List.of()) : List.of();
    PermissionCheck check = PermissionCheck.of(r.method(), permissions.lookup(r.method(), r.rawPath()), roles);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(PERMISSION_HINT, check.refusalSentence());
    if (check.verdict() == PermissionCheck.Verdict.MISSING) {
      headers.put(ADMIN_CONSENT_URL, consentLinks.forConnection(connection));
    }
    return headers;
  }

  private ProxyExchange exchange(ProxyCall call, Connection connection, UpstreamClient.Settled settled, Progress progress) {
    ProxyRequest r = call.request();
    Target target = settled.target();
    UpstreamOutcome.Answered a = settled.answer();
    ThrottleGates.Passage passage = settled.passage();
    boolean decode = r.decompress() || (r.rewriteLinks() && target.graph());
    Optional<String[]> rewrite = r.rewriteLinks() && target.graph()
        ? Optional.of(new String[] {target.origin() + "/", call.publicBase() + "/proxy/"})
        : Optional.empty();
    Map<String, String> added = permissionHeaders(connection, r, target, a.status());
    Optional<String> hint = Optional.ofNullable(added.get(PERMISSION_HINT));
    return new ProxyExchange(a, decode, rewrite, passage::release,
        done -> record(r, progress, done.status(), done.bytesWritten(), done.upstreamRequestId(), done.error(), hint), added);
  }

  /** The connection, from memory; Nango's errors on the proxy for an unknown integration or connection. */
  private Connection connection(ProxyRequest r) {
    try {
      Connection c = connections.get(r.connection().integrationKey(), r.connection().connectionId());
      lastFetched.touch(c.id(), clock.instant());
      return c;
    } catch (UnknownProviderConfig e) {
      throw UnknownProviderConfig.onProxy("Provider config not found: no integration '" + r.connection().integrationKey()
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
    TokenAnswer answer = target.scope().isEmpty() ? tokens.token(c, force) : resourceTokens.token(c, target.scope().get(), force);
    return switch (answer) {
      case TokenAnswer.Valid v -> v.token();
      case TokenAnswer.Refused r -> throw ProxyCredentialsUnavailable.refused(
          credentialsMessage(consentLinks.withLinkIfNeeded(r.message(), r.connection())), r.status().wireName());
      case TokenAnswer.BackingOff b -> throw new RefreshBackoff(b.retryAfter(), consentLinks.withLinkIfNeeded(b.lastError(), b.connection()));
      case TokenAnswer.Exhausted x -> throw ProxyCredentialsUnavailable.exhausted(credentialsMessage(new RefreshExhausted(consentLinks.withLinkIfNeeded(x.lastError(), x.connection())).getMessage()),
          x.connection().health().status().wireName());
      case TokenAnswer.Unavailable u -> throw ProxyCredentialsUnavailable.unavailable(credentialsMessage(u.message()),
          u.connection().health().status().wireName(), u.retryAfter());
      case TokenAnswer.Gone g -> throw connectionNotFound(c.key());
    };
  }

  /** Graph (or the resource) refused {@code rejected} with 401: a replacement, or empty to pass the 401 on. */
  private Optional<AccessToken> replaceRejected(Connection c, Target target, Secret rejected) {
    Optional<TokenAnswer> answer = target.scope().isEmpty() ? tokens.afterRejection(c, rejected)
        : resourceTokens.afterRejection(c, target.scope().get(), rejected);
    // Anything but a valid token: the caller gets Graph's 401, and the connection's status says why.
    return answer.filter(TokenAnswer.Valid.class::isInstance).map(a -> ((TokenAnswer.Valid) a).token());
  }

  private static String credentialsMessage(String cause) {
    return "Failed to get connection credentials: '" + cause + "'";
  }

  /**
   * What goes upstream besides the token: the forwarded headers (to the first origin, or everywhere with
   * Forward-Headers-On-Redirect), gzip when the answer is decoded here, a user agent.
   */
  private static Map<String, List<String>> headers(ProxyRequest r, Target target) {
    Map<String, List<String>> h = new LinkedHashMap<>(r.forwarded().size() + 3);
    if (target.bearer() || r.forwardHeadersOnRedirect()) {
      h.putAll(r.forwarded());
    }
    if (r.decompress() || (r.rewriteLinks() && target.graph())) {
      h.put("accept-encoding", List.of("gzip"));
    }
    if (!h.containsKey("user-agent")) {
      h.put("user-agent", List.of("Graphgate"));
    }
    return h;
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

  private void record(ProxyRequest r, Progress p, int status, long responseBytes, Optional<String> upstreamRequestId, Optional<String> error,
      Optional<String> permissionHint) {
    long durationNanos = System.nanoTime() - p.startNanos;
    long durationMillis = durationNanos / 1_000_000;
    meters.record(r.method(), status, error, p.upstream.attempts(), p.upstream.waited(), durationNanos);
    log.record(new ProxyLogEntry(0, p.startedAt, Optional.ofNullable(r.connection().integrationKey()),
        Optional.ofNullable(r.connection().connectionId()), r.method(), ProxyLogEntry.redact(r.rawPath(), r.rawQuery()),
        r.baseUrlOverride().map(GraphProxy::originOf), status, p.upstream.attempts(), p.upstream.waited().toMillis(), durationMillis,
        p.body.bytesSent(), responseBytes, upstreamRequestId, error, permissionHint));
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

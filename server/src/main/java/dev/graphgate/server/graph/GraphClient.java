package dev.graphgate.server.graph;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.Json;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;

/**
 * The one place Graphgate's own work (syncs, actions, subscriptions) calls Microsoft Graph. It sits on the
 * proxy's layer, {@link UpstreamClient}: the same outbound policy, throttle gates per tenant and mailbox, one retry
 * mechanism honouring {@code Retry-After}, and one replacement token after a 401. On top it pages: a round follows
 * {@code @odata.nextLink} until a page without one (a delta round's last page carries {@code @odata.deltaLink}), and
 * hands each page to the caller before fetching the next, so memory holds one page whatever the tenant's size. A
 * {@link #write} is one request that is never sent again once Graph may have applied it. A {@link #batch} sends many
 * small requests {@value #BATCH_SIZE} to a {@code $batch}, the items Graph throttled sent again on their own.
 */
public final class GraphClient {
  /** Graph's codes for a delta or next link it no longer knows: start over with a full round. */
  private static final Set<String> RESYNC_CODES = Set.of("syncstatenotfound", "resyncrequired", "resyncchangesapplydifferences",
      "resyncchangesuploaddifferences", "syncstateinvalid");
  private static final int ERROR_BODY_LIMIT = 64 * 1024;
  /**
   * Reads a page and leaves its stream open: the parser stops at the end of the JSON value, before a chunked body's
   * last chunk, and a stream closed there makes the JDK's client drop the connection (Jackson closes its source by
   * default, so every page opened a new connection). {@link #TRAILING_LIMIT} more bytes are read to reach the end.
   */
  private static final ObjectReader PAGE_READER = Json.MAPPER.reader().without(JsonParser.Feature.AUTO_CLOSE_SOURCE);
  private static final long TRAILING_LIMIT = 64 * 1024;
  /** Where pages are read (ahead of the one a sync stores): a read waits on Graph and holds no lock or database connection. */
  private static final ThreadFactory READERS = Thread.ofVirtual().name("graphgate-graph-read-", 0).factory();
  /**
   * Retries of one page: a sync is nobody's request in flight, so it waits out throttling and faults longer than a
   * proxied call does; when they run out the run stops and the next one resumes at that page.
   */
  public static final int RETRIES = 10;
  public static final java.time.Duration RETRY_BUDGET = java.time.Duration.ofMinutes(5);
  /**
   * Retries of a write, and the time they may take: someone's request waits for it, and only what Graph cannot have
   * applied is tried again (see {@link #write}).
   */
  public static final int WRITE_RETRIES = 3;
  public static final java.time.Duration WRITE_RETRY_BUDGET = java.time.Duration.ofSeconds(30);
  /** Graph takes at most this many requests in one {@code $batch}. */
  public static final int BATCH_SIZE = 20;
  /** A batch's answer is read whole (its items are matched up and some sent again) up to this size. */
  private static final int BATCH_ANSWER_LIMIT = 16 * 1024 * 1024;
  /** A write's answer (a created entity) is read up to this size; a larger one counts as applied without a body. */
  private static final int WRITE_ANSWER_LIMIT = 1024 * 1024;

  private final UpstreamClient upstream;
  private final OutboundPolicy policy;
  private final ThrottleGates gates;
  private final TokenService tokens;
  private final RetryPolicy retry;
  private final RetryPolicy writeRetry;
  private final String graphOrigin;
  private final InstantSource clock;
  private final Retrier retrier;

  public GraphClient(UpstreamClient upstream, Retrier retrier, OutboundPolicy policy, ThrottleGates gates, TokenService tokens, RetryPolicy retry,
      URI graphUrl, InstantSource clock) {
    this.upstream = upstream;
    this.retrier = retrier;
    this.policy = policy;
    this.gates = gates;
    this.tokens = tokens;
    this.retry = retry;
    this.writeRetry = new RetryPolicy(WRITE_RETRIES, WRITE_RETRY_BUDGET, retry.backoff());
    this.graphOrigin = OutboundPolicy.origin(graphUrl);
    this.clock = clock;
  }

  /** Receives the pages of a round, one at a time; answers false to stop after this page. */
  @FunctionalInterface
  public interface PageHandler {
    boolean accept(GraphPage page);
  }

  /** Whether a token is at hand for the connection, and the permissions it grants. */
  public GraphAccess access(Connection c) {
    try {
      AccessToken token = token(c);
      return new GraphAccess.Granted(token.roles().orElse(List.of()));
    } catch (NoToken e) {
      return new GraphAccess.Unavailable(e.status, e.getMessage());
    }
  }

  /**
   * Pages from {@code link} (a path such as {@code /v1.0/users/delta?$select=id}, or a next or delta link Graph gave)
   * until the round ends, the handler stops, or Graph fails. The next page is read while the handler takes this one (a
   * sync stores it meanwhile), so at most two pages are held whatever the tenant's size; its outcome counts only once
   * the handler has taken this page, so the handler sees the same pages in the same order as without reading ahead.
   */
  public RoundOutcome round(Connection c, String link, PageHandler handler) {
    int pages = 0;
    Read read = readAhead(c, link);
    while (true) {
      switch (read.join()) {
        case Fetched.Error err -> {
          if (err.status == 410 || RESYNC_CODES.contains(err.code.toLowerCase(Locale.ROOT))) {
            return new RoundOutcome.ResyncRequired(pages, err.code, err.location);
          }
          return new RoundOutcome.Failed(pages, err.status, err.code, err.message);
        }
        case Fetched.NoAccess n -> {
          return new RoundOutcome.CredentialsUnavailable(pages, n.status, n.message);
        }
        case Fetched.Refused r -> {
          return new RoundOutcome.Failed(pages, 0, r.code, r.message);
        }
        case Fetched.Page p -> {
          pages++;
          Read next = p.page.nextLink().map(l -> readAhead(c, l)).orElse(null);
          if (!handler.accept(p.page)) {
            if (next != null) {
              next.join(); // a read: nothing to undo, but nothing left running either
            }
            return new RoundOutcome.Stopped(pages);
          }
          if (next == null) {
            return new RoundOutcome.Completed(pages, p.page.deltaLink());
          }
          read = next;
        }
      }
    }
  }

  /** One page being read, on a virtual thread of its own. */
  private record Read(FutureTask<Fetched> task) {
    Fetched join() {
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Fetched.Refused("interrupted", "The sync was interrupted while it read a page from Graph.");
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }
  }

  private Read readAhead(Connection c, String link) {
    FutureTask<Fetched> task = new FutureTask<>(() -> {
      try {
        return fetch(c, link);
      } catch (NoToken e) {
        return new Fetched.NoAccess(e.status, e.getMessage());
      } catch (GraphgateException e) {
        return new Fetched.Refused(e.code(), e.getMessage());
      }
    });
    READERS.newThread(task).start();
    return new Read(task);
  }

  /** The origin of the cloud's Graph host ({@code https://graph.microsoft.com}), as references to directory objects name it. */
  public String graphOrigin() {
    return graphOrigin;
  }

  /**
   * Sends one write through the same layer as every call (outbound policy, throttle gates, one replacement token
   * after a 401), as a request that is not idempotent: it is tried again only when Graph cannot have applied it,
   *
   * <ul>
   *   <li>a 429 (Graph throttled it and did not process it), after its {@code Retry-After} (the gate stays closed
   *       that long), within {@value #WRITE_RETRIES} retries and {@link #WRITE_RETRY_BUDGET};
   *   <li>a connection that could not be opened (refused, connect timeout, unresolved name): nothing was sent;
   *   <li>a 401: the token was refused before anything was done; one replacement token, one more attempt.
   * </ul>
   *
   * A 5xx (500, 502, 503, 504), a connection that broke after the request was sent, and an answer that did not come
   * in time are never sent again: Graph may have applied the write. The caller gets what happened.
   */
  public WriteOutcome write(Connection c, GraphWrite w) {
    TokenAnswer answer = tokens.token(c, false);
    if (!(answer instanceof TokenAnswer.Valid valid)) {
      return new WriteOutcome.CredentialsUnavailable(answer);
    }
    UpstreamClient.Settled settled;
    try {
      Target target = policy.resolve(Optional.empty(), w.path(), Optional.empty());
      UpstreamClient.Request request = new UpstreamClient.Request(target, w.method(), new RequestBody.Buffered(w.body()), false,
          t -> Map.of("accept", List.of("application/json"), "content-type", List.of(w.contentType())),
          gates.route(c.tenantId().value(), c.credentials().clientId(), target.uri().getRawPath(), true), writeRetry, HttpRetryRules.DEFAULT,
          clock.instant().plus(writeRetry.budget()));
      settled = upstream.send(request, valid.token().value(), new Credentials(c), new CallProgress());
    } catch (GraphgateException e) {
      return new WriteOutcome.NotAnswered(e);
    }
    UpstreamOutcome.Answered a = settled.answer();
    try {
      if (a.status() / 100 != 2) {
        Fetched.Error err = error(a);
        JsonNode inner = err.raw.path("error").path("innerError");
        Optional<String> requestId = inner.path("request-id").isTextual() ? Optional.of(inner.path("request-id").asText()) : Optional.empty();
        return new WriteOutcome.Refused(a.status(), err.code, err.message, requestId,
            a.header("retry-after").flatMap(v -> dev.graphgate.server.upstream.RetryAfter.parse(v, clock.instant())));
      }
      try (InputStream in = a.body()) {
        byte[] bytes = in.readNBytes(WRITE_ANSWER_LIMIT + 1);
        if (bytes.length == 0 || bytes.length > WRITE_ANSWER_LIMIT) {
          return new WriteOutcome.Applied(a.status(), Optional.empty());
        }
        return new WriteOutcome.Applied(a.status(), Optional.of(Json.MAPPER.readTree(bytes)));
      } catch (IOException | RuntimeException e) {
        // Applied all the same: Graph said so with its status.
        return new WriteOutcome.Applied(a.status(), Optional.empty());
      }
    } finally {
      settled.passage().release();
    }
  }

  /** Receives the answers of one batch, in the order of its requests; answers false to stop after them. */
  @FunctionalInterface
  public interface BatchHandler {
    boolean accept(List<BatchAnswer> answers);
  }

  /**
   * Sends {@code requests} as JSON batches of up to {@value #BATCH_SIZE}, in order, one batch at a time, and hands each
   * batch's answers to {@code handler} before sending the next: memory holds one batch's answers (and the status of
   * each request, for the ones depending on it).
   *
   * <ul>
   *   <li>Items Graph throttled (429, with their own {@code Retry-After}), and read items it answered 503 or 504,
   *       are sent again alone (with those that failed only because of them), through the server's one
   *       {@link dev.graphgate.server.upstream.Retrier} under this client's retry policy; a write answered 503 or 504
   *       is never sent again, since Graph may have applied it.
   *   <li>{@code dependsOn} names earlier requests of the call. Within a batch Graph orders them; a request whose
   *       prerequisite sits in an earlier batch is sent only once that one succeeded, else answered 424 here without
   *       being sent, as Graph does.
   *   <li>The whole batch is retried like any call when every item in it reads; one holding a write only when Graph
   *       cannot have received it (429 to the whole batch, a connection never opened).
   * </ul>
   *
   * @throws IllegalArgumentException when ids repeat or {@code dependsOn} names no earlier request
   */
  public BatchOutcome batch(Connection c, List<BatchRequest> requests, BatchHandler handler) {
    Map<String, Boolean> succeeded = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (BatchRequest r : requests) {
      for (String d : r.dependsOn()) {
        if (!ids.contains(d)) {
          throw new IllegalArgumentException("request " + r.id() + " depends on " + d + ", which is not an earlier request of the batch");
        }
      }
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException("the id " + r.id() + " is used twice");
      }
    }
    int batches = 0;
    for (int from = 0; from < requests.size(); from += BATCH_SIZE) {
      List<BatchRequest> chunk = requests.subList(from, Math.min(requests.size(), from + BATCH_SIZE));
      Map<String, BatchAnswer> local = new LinkedHashMap<>();
      ObjectNode body = Json.object();
      ArrayNode items = body.putArray("requests");
      Set<String> inChunk = new HashSet<>();
      boolean readOnly = true;
      for (BatchRequest r : chunk) {
        Optional<String> failed = r.dependsOn().stream()
            .filter(d -> Boolean.FALSE.equals(succeeded.get(d)) || (local.containsKey(d))).findFirst();
        if (failed.isPresent()) {
          local.put(r.id(), failedDependency(r, failed.get()));
          continue;
        }
        ObjectNode item = items.addObject();
        item.put("id", r.id());
        item.put("method", r.method());
        item.put("url", r.url());
        List<String> within = r.dependsOn().stream().filter(inChunk::contains).toList();
        if (!within.isEmpty()) {
          within.forEach(item.putArray("dependsOn")::add);
        }
        r.body().ifPresent(b -> {
          item.set("body", b);
          item.putObject("headers").put("Content-Type", "application/json");
        });
        inChunk.add(r.id());
        readOnly &= r.readOnly();
      }
      Map<String, BatchAnswer> answered = new HashMap<>(local);
      if (!inChunk.isEmpty()) {
        Sent sent;
        try {
          sent = sendBatch(c, Json.MAPPER.writeValueAsBytes(body), readOnly);
        } catch (NoToken e) {
          return new BatchOutcome.CredentialsUnavailable(batches, e.status, e.getMessage());
        } catch (GraphgateException e) {
          return new BatchOutcome.Failed(batches, 0, e.code(), e.getMessage());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (sent instanceof Sent.Refused refused) {
          return new BatchOutcome.Failed(batches, refused.error.status(), refused.error.code(), refused.error.message());
        }
        for (JsonNode a : ((Sent.Answered) sent).responses.path("responses")) {
          String id = a.path("id").asText();
          if (inChunk.contains(id)) {
            answered.put(id, new BatchAnswer(id, a.path("status").asInt(), a.path("body").isMissingNode() ? Json.MAPPER.nullNode() : a.path("body")));
          }
        }
      }
      List<BatchAnswer> inOrder = new ArrayList<>(chunk.size());
      for (BatchRequest r : chunk) {
        BatchAnswer a = answered.get(r.id());
        if (a == null) {
          // Graph left it out of its answer: nothing says it ran.
          a = new BatchAnswer(r.id(), 502, Json.MAPPER.createObjectNode().set("error", Json.object().put("code", "missing_answer")
              .put("message", "Graph's batch answer had no response for this request")));
        }
        succeeded.put(r.id(), a.succeeded());
        inOrder.add(a);
      }
      batches++;
      if (!handler.accept(inOrder)) {
        return new BatchOutcome.Stopped(batches);
      }
    }
    return new BatchOutcome.Completed(batches);
  }

  private static BatchAnswer failedDependency(BatchRequest r, String dependency) {
    return new BatchAnswer(r.id(), 424, Json.MAPPER.createObjectNode().set("error", Json.object().put("code", "FailedDependency")
        .put("message", "The request depends on request " + dependency + ", which failed.")));
  }

  private sealed interface Sent {
    record Answered(JsonNode responses) implements Sent {}

    record Refused(Fetched.Error error) implements Sent {}
  }

  /** One batch sent, its throttled items (and unavailable reads) sent again until answered or the policy stops. */
  private Sent sendBatch(Connection c, byte[] body, boolean readOnly) throws IOException {
    Target target = policy.resolve(Optional.empty(), "/v1.0/$batch", Optional.empty());
    UpstreamClient.Request request = new UpstreamClient.Request(target, "POST", new RequestBody.Buffered(body), readOnly,
        t -> Map.of("accept", List.of("application/json"), "content-type", List.of("application/json")),
        gates.route(c.tenantId().value(), c.credentials().clientId(), target.uri().getRawPath(), true), readOnly ? retry : writeRetry,
        HttpRetryRules.DEFAULT, clock.instant().plus((readOnly ? retry : writeRetry).budget()));
    CallProgress progress = new CallProgress();
    Credentials credentials = new Credentials(c);
    UpstreamClient.Settled settled = upstream.send(request, token(c).value(), credentials, progress);
    byte[] answer;
    try {
      if (settled.answer().status() != 200) {
        return new Sent.Refused(error(settled.answer()));
      }
      Optional<byte[]> read = readBatch(settled.answer());
      if (read.isEmpty()) {
        return new Sent.Refused(new Fetched.Error(settled.answer().status(), "unreadable_answer", "Graph's batch answer could not be read (not JSON,"
            + " or over " + BATCH_ANSWER_LIMIT + " bytes)", Optional.empty(), Json.MAPPER.missingNode()));
      }
      answer = read.get();
    } finally {
      settled.passage().release();
    }
    answer = BatchItems.resend(retrier, upstream, request, credentials, target, body, answer, progress, true, clock, GraphClient::readBatch);
    JsonNode responses = Json.MAPPER.readTree(answer);
    if (responses == null || !responses.path("responses").isArray()) {
      return new Sent.Refused(new Fetched.Error(200, "unreadable_answer", "Graph's batch answer has no responses", Optional.empty(),
          Json.MAPPER.missingNode()));
    }
    return new Sent.Answered(responses);
  }

  /** A batch answer's bytes, when within the limit; the body is closed either way. */
  private static Optional<byte[]> readBatch(UpstreamOutcome.Answered a) {
    try (InputStream in = a.body()) {
      byte[] bytes = in.readNBytes(BATCH_ANSWER_LIMIT + 1);
      return bytes.length > BATCH_ANSWER_LIMIT ? Optional.empty() : Optional.of(bytes);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private sealed interface Fetched {
    record Page(GraphPage page) implements Fetched {}

    record Error(int status, String code, String message, Optional<String> location, JsonNode raw) implements Fetched {}

    /** No token for the connection. */
    record NoAccess(String status, String message) implements Fetched {}

    /** Refused before Graph answered (the outbound policy, a closed gate past its wait, an interrupt). */
    record Refused(String code, String message) implements Fetched {}
  }

  private Fetched fetch(Connection c, String link) {
    Target target = target(link);
    UpstreamClient.Request request = new UpstreamClient.Request(target, "GET", new RequestBody.None(), true,
        t -> Map.of("accept", List.of("application/json")),
        gates.route(c.tenantId().value(), c.credentials().clientId(), target.uri().getRawPath(), true), retry, HttpRetryRules.DEFAULT,
        clock.instant().plus(retry.budget()));
    UpstreamClient.Settled settled = upstream.send(request, token(c).value(), new Credentials(c), new CallProgress());
    UpstreamOutcome.Answered answer = settled.answer();
    try {
      if (answer.status() / 100 != 2) {
        return error(answer);
      }
      try (InputStream in = answer.body()) {
        JsonNode body = PAGE_READER.readTree(in);
        in.skip(TRAILING_LIMIT);
        return new Fetched.Page(page(body));
      } catch (IOException | RuntimeException e) {
        return new Fetched.Error(answer.status(), "unreadable_answer", "Graph's answer could not be read as a page of JSON: "
            + e.getClass().getSimpleName(), Optional.empty(), Json.MAPPER.missingNode());
      }
    } finally {
      settled.passage().release();
    }
  }

  private static GraphPage page(JsonNode body) {
    List<JsonNode> items = new ArrayList<>();
    body.path("value").forEach(items::add);
    OptionalLong count = body.path("@odata.count").isNumber() ? OptionalLong.of(body.path("@odata.count").asLong()) : OptionalLong.empty();
    return new GraphPage(items, text(body, "@odata.nextLink"), text(body, "@odata.deltaLink"), count);
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode n = body.path(field);
    return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
  }

  private static Fetched.Error error(UpstreamOutcome.Answered answer) {
    String text = answer.discard(ERROR_BODY_LIMIT);
    String code = "http_" + answer.status();
    String message = "Graph answered " + answer.status();
    JsonNode raw = Json.MAPPER.missingNode();
    try {
      raw = Json.MAPPER.readTree(text);
      JsonNode error = raw.path("error");
      if (error.path("code").isTextual()) {
        code = error.path("code").asText();
      }
      if (error.path("message").isTextual()) {
        message = error.path("message").asText();
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: the status says enough.
    }
    return new Fetched.Error(answer.status(), code, message, answer.header("location"), raw == null ? Json.MAPPER.missingNode() : raw);
  }

  /** A link Graph gave must point at the cloud's Graph host; a path is taken as one on it. */
  private Target target(String link) {
    if (link.startsWith("/")) {
      int q = link.indexOf('?');
      return policy.resolve(Optional.empty(), q < 0 ? link : link.substring(0, q), q < 0 ? Optional.empty() : Optional.of(link.substring(q + 1)));
    }
    URI uri;
    try {
      uri = new URI(link);
    } catch (URISyntaxException e) {
      throw new GraphgateException.BaseUrlOverrideNotAllowed("Graph gave a link that is not a URL");
    }
    if (uri.getScheme() == null || uri.getHost() == null || !OutboundPolicy.origin(uri).equals(graphOrigin)) {
      throw new GraphgateException.BaseUrlOverrideNotAllowed("Graph gave a link to another host than the cloud's Graph host");
    }
    return policy.resolve(Optional.empty(), uri.getRawPath(), Optional.ofNullable(uri.getRawQuery()));
  }

  private AccessToken token(Connection c) {
    TokenAnswer answer = tokens.token(c, false);
    return switch (answer) {
      case TokenAnswer.Valid v -> v.token();
      case TokenAnswer.Refused r -> throw new NoToken(r.status().wireName(), r.message());
      case TokenAnswer.BackingOff b -> throw new NoToken(b.connection().health().status().wireName(), b.lastError());
      case TokenAnswer.Exhausted x -> throw new NoToken(x.connection().health().status().wireName(), x.lastError());
      case TokenAnswer.Unavailable u -> throw new NoToken(u.connection().health().status().wireName(), u.message());
      case TokenAnswer.Gone g -> throw new NoToken("deleted", "The connection was deleted.");
    };
  }

  /** No token could be had; caught where the round ends. */
  private static final class NoToken extends RuntimeException {
    final String status;

    NoToken(String status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final class Credentials implements UpstreamClient.Credentials {
    private final Connection connection;

    Credentials(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Secret forTarget(Target target) {
      return token(connection).value();
    }

    @Override
    public Optional<Secret> afterRejection(Target target, Secret rejected) {
      return tokens.afterRejection(connection, rejected).filter(TokenAnswer.Valid.class::isInstance)
          .map(a -> ((TokenAnswer.Valid) a).token().value());
    }
  }
}

package dev.graphgate.server.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.Json;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.upstream.CallProgress;
import dev.graphgate.server.upstream.HttpRetryRules;
import dev.graphgate.server.upstream.OutboundPolicy;
import dev.graphgate.server.upstream.RequestBody;
import dev.graphgate.server.upstream.RetryPolicy;
import dev.graphgate.server.upstream.Target;
import dev.graphgate.server.upstream.ThrottleGates;
import dev.graphgate.server.upstream.UpstreamClient;
import dev.graphgate.server.upstream.UpstreamOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The one place Graphgate's own work (syncs, actions, subscriptions) calls Microsoft Graph. It sits on the
 * proxy's layer, {@link UpstreamClient}: the same outbound policy, throttle gates per tenant and mailbox, one retry
 * mechanism honouring {@code Retry-After}, and one replacement token after a 401. On top it pages: a round follows
 * {@code @odata.nextLink} until a page without one (a delta round's last page carries {@code @odata.deltaLink}), and
 * hands each page to the caller before fetching the next, so memory holds one page whatever the tenant's size. A
 * {@link #write} is one request that is never sent again once Graph may have applied it.
 */
public final class GraphClient {
  /** Graph's codes for a delta or next link it no longer knows: start over with a full round. */
  private static final Set<String> RESYNC_CODES = Set.of("syncstatenotfound", "resyncrequired", "resyncchangesapplydifferences",
      "resyncchangesuploaddifferences", "syncstateinvalid");
  private static final int ERROR_BODY_LIMIT = 64 * 1024;
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

  public GraphClient(UpstreamClient upstream, OutboundPolicy policy, ThrottleGates gates, TokenService tokens, RetryPolicy retry, URI graphUrl,
      InstantSource clock) {
    this.upstream = upstream;
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
   * until the round ends, the handler stops, or Graph fails.
   */
  public RoundOutcome round(Connection c, String link, PageHandler handler) {
    int pages = 0;
    String next = link;
    while (true) {
      Fetched fetched;
      try {
        fetched = fetch(c, next);
      } catch (NoToken e) {
        return new RoundOutcome.CredentialsUnavailable(pages, e.status, e.getMessage());
      } catch (GraphgateException e) {
        return new RoundOutcome.Failed(pages, 0, e.code(), e.getMessage());
      }
      switch (fetched) {
        case Fetched.Error err -> {
          if (err.status == 410 || RESYNC_CODES.contains(err.code.toLowerCase(Locale.ROOT))) {
            return new RoundOutcome.ResyncRequired(pages, err.code, err.location);
          }
          return new RoundOutcome.Failed(pages, err.status, err.code, err.message);
        }
        case Fetched.Page p -> {
          pages++;
          if (!handler.accept(p.page)) {
            return new RoundOutcome.Stopped(pages);
          }
          if (p.page.nextLink().isEmpty()) {
            return new RoundOutcome.Completed(pages, p.page.deltaLink());
          }
          next = p.page.nextLink().get();
        }
      }
    }
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

  private sealed interface Fetched {
    record Page(GraphPage page) implements Fetched {}

    record Error(int status, String code, String message, Optional<String> location, JsonNode raw) implements Fetched {}
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
        JsonNode body = Json.MAPPER.readTree(in);
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

package dev.graphgate.server.auth;

import dev.graphgate.server.connection.ConnectionStatus;
import dev.graphgate.server.observe.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The token flow's meters, for Graph tokens ({@link TokenService}) and other resources' ({@link ResourceTokens}) alike:
 * how each answer was served ({@value MeterNames#TOKEN_ANSWERS}: the cache's hits and misses), and every token request
 * sent to Entra with its outcome ({@value MeterNames#TOKEN_REQUESTS}, counted by {@link TokenFetcher}). Every meter
 * is registered here once; the answer path only increments a counter it already holds.
 */
public final class TokenMeters {
  /** Whose token: the connection's Graph token, or one for another Microsoft resource. */
  public enum Kind {
    GRAPH,
    RESOURCE;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a kind's answers were served. */
  public static final class Answers {
    private final Counter fresh;
    private final Counter refreshAhead;
    private final Counter waited;
    private final Counter heldBack;

    private Answers(MeterRegistry registry, Kind kind) {
      fresh = answers(registry, kind, "fresh");
      refreshAhead = answers(registry, kind, "refresh_ahead");
      waited = answers(registry, kind, "waited");
      heldBack = answers(registry, kind, "held_back");
    }

    /** From memory, not yet due for refresh. */
    void fresh() {
      fresh.increment();
    }

    /** From memory, due for refresh: a refresh runs in the background (unless a recent failure holds it back). */
    void refreshAhead() {
      refreshAhead.increment();
    }

    /** Expired, missing or forced: the caller waited for a refresh (its own, or one it joined). */
    void waited() {
      waited.increment();
    }

    /** No usable token, and a recent failure holds refreshes back: answered at once with that failure, no request. */
    void heldBack() {
      heldBack.increment();
    }

    private static Counter answers(MeterRegistry registry, Kind kind, String served) {
      return Counter.builder(MeterNames.TOKEN_ANSWERS)
          .description("token answers, by kind and how they were served: fresh or refresh_ahead from memory, waited for a refresh, held_back by a recent failure")
          .tag("kind", kind.tag()).tag("served", served).register(registry);
    }
  }

  private static final String NO_STATUS = "none";

  private final MeterRegistry registry;
  private final Map<Kind, Answers> answers = new EnumMap<>(Kind.class);
  private final Map<Kind, Timer> issued = new EnumMap<>(Kind.class);
  private final Map<Kind, Timer> unavailable = new EnumMap<>(Kind.class);
  private final ConcurrentMap<String, Timer> refused = new ConcurrentHashMap<>();

  public TokenMeters(MeterRegistry registry) {
    this.registry = registry;
    for (Kind k : Kind.values()) {
      answers.put(k, new Answers(registry, k));
      issued.put(k, requests(k, "issued", NO_STATUS));
      unavailable.put(k, requests(k, "unavailable", NO_STATUS));
    }
  }

  /** The answer counters of {@code kind}, for the caller to keep. */
  Answers answers(Kind kind) {
    return answers.get(kind);
  }

  /** One token request sent to Entra (its retries included) came to {@code fetched} after {@code nanos}. */
  void requested(Kind kind, TokenFetcher.Fetched fetched, long nanos) {
    Timer t = switch (fetched) {
      case TokenFetcher.Fetched.Issued i -> issued.get(kind);
      case TokenFetcher.Fetched.Unavailable u -> unavailable.get(kind);
      case TokenFetcher.Fetched.Refused r -> refused(kind, r.status());
    };
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer refused(Kind kind, ConnectionStatus status) {
    // A dozen statuses and two kinds at most; registered on first use so the scrape lists only refusals that happened.
    return refused.computeIfAbsent(kind.tag() + "/" + status.wireName(), k -> requests(kind, "refused", status.wireName()));
  }

  private Timer requests(Kind kind, String outcome, String status) {
    return Timer.builder(MeterNames.TOKEN_REQUESTS)
        .description("token requests sent to Entra (each with its retries), by kind, outcome (issued, refused, unavailable) and, for a refusal, "
            + "the connection status it leads to")
        .tag("kind", kind.tag()).tag("outcome", outcome).tag("status", status).register(registry);
  }
}

package dev.graphgate.server.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.WriteOutcome;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Graph subscriptions alive, on its own thread ({@code graphgate-subscriptions}) on every instance, every
 * poll interval and when woken. Each round: subscriptions of syncs no longer enabled are marked for deletion; the
 * enabled subscribable syncs without subscriptions get theirs planned (only with {@code GRAPHGATE_PUBLIC_URL} set);
 * then each due subscription is claimed under a lease (a conditional UPDATE only one instance wins, so one renewal
 * per subscription across instances) and acted on through {@link GraphClient#write}: created (Graph's validation
 * handshake reaches the receiver meanwhile), renewed at half its remaining life, reauthorized, or deleted. A
 * subscription Graph no longer knows (404) is created again; a failure is tried again after a backoff.
 */
final class SubscriptionWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionWorker.class);
  /** Longer than one write's retries (30 s) plus the validation handshake Graph makes during a creation (10 s). */
  static final Duration LEASE = Duration.ofMinutes(2);
  static final Duration FIRST_RETRY = Duration.ofMinutes(1);
  static final Duration MAX_RETRY = Duration.ofHours(1);
  /** A subscription that cannot be deleted (no credentials left, say) is forgotten after this many tries: it expires at Graph on its own. */
  static final int DELETE_TRIES = 5;
  private static final int BATCH = 100;

  private final SubscriptionRepository repository;
  private final ConnectionService connections;
  private final GraphClient graph;
  private final Optional<URI> publicUrl;
  private final String environmentId;
  private final InstantSource clock;
  private final SecureRandom random;
  private final String owner;
  private final Duration pollInterval;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean stopping;
  private Thread thread;

  SubscriptionWorker(SubscriptionRepository repository, ConnectionService connections, GraphClient graph, Optional<URI> publicUrl,
      String environmentId, InstantSource clock, SecureRandom random, String owner, Duration pollInterval) {
    this.repository = repository;
    this.connections = connections;
    this.graph = graph;
    this.publicUrl = publicUrl;
    this.environmentId = environmentId;
    this.clock = clock;
    this.random = random;
    this.owner = owner;
    this.pollInterval = pollInterval;
  }

  void start() {
    thread = new Thread(this::loop, "graphgate-subscriptions");
    thread.setDaemon(true);
    thread.start();
  }

  void wake() {
    wake.release();
  }

  private void loop() {
    while (!stopping) {
      try {
        round();
      } catch (RuntimeException e) {
        log.warn("subscriptions: round failed, tried again in {} ms: {}", pollInterval.toMillis(), e.toString());
      }
      try {
        // After a failed round too: a stop (or new work) wakes it at once instead of after a whole poll interval.
        wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One round: orphans marked, new ones planned, due ones acted on. Answers how many it acted on. */
  int round() {
    repository.markOrphansForDeletion(clock.instant());
    if (publicUrl.isPresent()) {
      plan();
    }
    int acted = 0;
    for (long id : repository.due(clock.instant(), BATCH)) {
      if (stopping) {
        break;
      }
      Optional<SubscriptionRepository.Known> claimed = repository.claim(id, owner, clock.instant(), LEASE);
      if (claimed.isPresent()) {
        act(claimed.get().subscription(), claimed.get().clientState());
        acted++;
      }
    }
    return acted;
  }

  private void plan() {
    // The directory's subscriptions (one each) before the mailboxes' (one per mailbox): created first, so a tenant
    // with many mailboxes has its users and groups in real time within a round.
    List<SubscriptionRepository.Unplanned> unplanned = new java.util.ArrayList<>(repository.unplanned(SubscriptionPlan.SYNCS));
    unplanned.sort(java.util.Comparator.comparing(u -> SubscriptionPlan.perMailbox(u.syncName())));
    for (SubscriptionRepository.Unplanned u : unplanned) {
      Optional<Connection> c = connections.reload(u.connectionId());
      if (c.isEmpty()) {
        continue;
      }
      for (SubscriptionPlan.Wanted w : SubscriptionPlan.wanted(graph, c.get(), u.syncName())) {
        repository.addIfMissing(u.connectionId(), u.syncName(), w, newClientState(), clock.instant());
      }
    }
  }

  /** 32 random bytes, base64url: 43 characters, within Graph's 128. */
  private String newClientState() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private void act(Subscription s, String clientState) {
    Optional<Connection> c = connections.reload(s.connectionId());
    if (c.isEmpty()) {
      repository.remove(s.id(), Optional.of(owner));
      return;
    }
    switch (s.action()) {
      case CREATE -> create(c.get(), s, clientState);
      case RENEW -> renew(c.get(), s);
      case REAUTHORIZE -> reauthorize(c.get(), s);
      case DELETE -> delete(c.get(), s);
    }
  }

  private void create(Connection c, Subscription s, String clientState) {
    if (publicUrl.isEmpty()) {
      failed(s, "GRAPHGATE_PUBLIC_URL is not set: Graph has nowhere to deliver notifications");
      return;
    }
    String url = notificationUrl(c);
    ObjectNode body = Json.object().put("changeType", s.changeType()).put("notificationUrl", url).put("lifecycleNotificationUrl", url)
        .put("resource", s.resource()).put("expirationDateTime", clock.instant().plus(SubscriptionPlan.lifetime(s.resource())).toString())
        .put("clientState", clientState).put("latestSupportedTlsVersion", "v1_2");
    WriteOutcome outcome = graph.write(c, GraphWrite.json("POST", "/v1.0/subscriptions", body.toString().getBytes(StandardCharsets.UTF_8)));
    if (outcome instanceof WriteOutcome.Applied a && a.body().isPresent() && a.body().get().path("id").isTextual()) {
      active(s, a.body().get().path("id").asText(), a.body().get(), false);
    } else {
      failed(s, describe(outcome));
    }
  }

  private void renew(Connection c, Subscription s) {
    ObjectNode body = Json.object().put("expirationDateTime", clock.instant().plus(SubscriptionPlan.lifetime(s.resource())).toString());
    WriteOutcome outcome = graph.write(c, GraphWrite.json("PATCH", path(s), body.toString().getBytes(StandardCharsets.UTF_8)));
    switch (outcome) {
      case WriteOutcome.Applied a -> active(s, s.graphId().orElseThrow(), a.body().orElse(body), true);
      case WriteOutcome.Refused r when r.status() == 404 -> {
        log.info("subscriptions: {} of connection row {} is gone at Graph; creating it again", s.resource(), s.connectionId());
        repository.recreate(s.id(), Optional.of(owner), clock.instant());
      }
      default -> failed(s, describe(outcome));
    }
  }

  /** Answers Graph's {@code reauthorizationRequired} challenge, then renews (which Graph also accepts as an answer). */
  private void reauthorize(Connection c, Subscription s) {
    WriteOutcome outcome = graph.write(c, new GraphWrite("POST", path(s) + "/reauthorize", "application/json", new byte[0]));
    switch (outcome) {
      case WriteOutcome.Applied a -> renew(c, s);
      case WriteOutcome.Refused r when r.status() == 404 -> repository.recreate(s.id(), Optional.of(owner), clock.instant());
      default -> failed(s, describe(outcome));
    }
  }

  private void delete(Connection c, Subscription s) {
    if (s.graphId().isEmpty()) {
      repository.remove(s.id(), Optional.of(owner));
      return;
    }
    WriteOutcome outcome = graph.write(c, new GraphWrite("DELETE", path(s), "application/json", new byte[0]));
    boolean gone = outcome instanceof WriteOutcome.Applied || (outcome instanceof WriteOutcome.Refused r && r.status() == 404);
    if (gone || s.failures() + 1 >= DELETE_TRIES) {
      repository.remove(s.id(), Optional.of(owner));
    } else {
      failed(s, describe(outcome));
    }
  }

  /** Deletes the connection's subscriptions at Graph now (the connection is about to go), each at most once, without the worker. */
  void deleteNow(Connection c) {
    for (Subscription s : repository.forConnection(c.id())) {
      if (s.graphId().isPresent()) {
        WriteOutcome outcome = graph.write(c, new GraphWrite("DELETE", path(s), "application/json", new byte[0]));
        if (!(outcome instanceof WriteOutcome.Applied)) {
          log.info("subscriptions: {} of connection row {} not deleted at Graph ({}); it expires there on its own", s.resource(), c.id(),
              describe(outcome));
        }
      }
      repository.remove(s.id(), Optional.empty());
    }
  }

  private void active(Subscription s, String graphId, JsonNode answer, boolean renewal) {
    Instant now = clock.instant();
    Instant expires = expiry(answer).orElse(now.plus(SubscriptionPlan.lifetime(s.resource())));
    // Half the remaining life: well before expiry, with time left for retries if Graph is away when it comes.
    Instant renewAt = now.plus(Duration.between(now, expires).dividedBy(2));
    repository.active(s.id(), owner, graphId, expires, renewAt, renewal, now);
  }

  private void failed(Subscription s, String error) {
    long factor = 1L << Math.min(s.failures(), 10);
    Duration wait = FIRST_RETRY.multipliedBy(factor);
    if (wait.compareTo(MAX_RETRY) > 0) {
      wait = MAX_RETRY;
    }
    log.info("subscriptions: {} {} of connection row {} failed, tried again in {} s: {}", s.action().wire(), s.resource(), s.connectionId(),
        wait.toSeconds(), error);
    repository.failed(s.id(), owner, error, clock.instant().plus(wait), clock.instant());
  }

  private static Optional<Instant> expiry(JsonNode answer) {
    try {
      return answer.path("expirationDateTime").isTextual() ? Optional.of(Instant.parse(answer.path("expirationDateTime").asText())) : Optional.empty();
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(java.time.OffsetDateTime.parse(answer.path("expirationDateTime").asText()).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static String path(Subscription s) {
    return "/v1.0/subscriptions/" + URLEncoder.encode(s.graphId().orElseThrow(), StandardCharsets.UTF_8);
  }

  /** The integration's {@code webhook_url}, on the public URL Graph reaches. */
  String notificationUrl(Connection c) {
    String base = publicUrl.orElseThrow().toString().replaceAll("/+$", "");
    return base + "/webhook/" + environmentId + "/" + URLEncoder.encode(c.integrationKey(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String describe(WriteOutcome o) {
    return switch (o) {
      case WriteOutcome.Applied a -> "Graph answered " + a.status() + " without a subscription";
      case WriteOutcome.Refused r -> "Graph refused it: " + r.status() + " " + r.code() + ": " + r.message();
      case WriteOutcome.CredentialsUnavailable u -> "no token for the connection: " + u.answer().getClass().getSimpleName();
      case WriteOutcome.NotAnswered n -> "Graph did not answer: " + n.failure().code() + ": " + n.failure().getMessage();
    };
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    wake.release();
    if (thread != null) {
      thread.join(Duration.ofSeconds(10));
    }
  }
}

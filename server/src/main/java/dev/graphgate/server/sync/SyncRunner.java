package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.graph.GraphAccess;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.graph.GraphPage;
import dev.graphgate.server.graph.RequiredPermission;
import dev.graphgate.server.graph.RoundOutcome;
import dev.graphgate.server.records.PageCounts;
import dev.graphgate.server.records.RecordChange;
import dev.graphgate.server.records.RecordRepository;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sync for one connection: the engine every pre-built sync shares. It checks the token grants the sync's
 * permission, carries on from the checkpoint (the next link of a round a crash interrupted, or the last delta link),
 * and pages through {@link GraphClient}. Each page is stored in one transaction: its records upserted or deleted
 * ({@link RecordRepository}), the checkpoint moved to the page's next link, the run's counters grown; so a process
 * killed at any point resumes at the first page not committed, and nothing is lost or counted twice. The last page
 * of a full round also deletes the records the round did not see, and the run's end is told to the
 * {@link SyncRunListener} in that same transaction. When Graph no longer knows the checkpoint (410,
 * {@code syncStateNotFound}, {@code resyncRequired}) the run goes on with a full round.
 *
 * <p>The scheduler guarantees one run at a time per connection and sync, across instances; this class assumes it.
 */
public final class SyncRunner {
  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
  /** Progress is logged every this many pages (and at the end of each run). */
  static final int LOG_EVERY_PAGES = 50;
  public static final String PERMISSION_MISSING = "permission_missing";
  /** A run's error code when the connection's metadata does not say what the sync needs (see {@link MailboxSync}). */
  public static final String INVALID_METADATA = "invalid_metadata";
  /** The sync's own checkpoint once a {@link MailboxSync} ran: its streams' delta links are in {@code sync_streams}. */
  static final String STREAMS_CHECKPOINT = "sync_streams";

  private final Jdbi jdbi;
  private final SyncCatalog catalog;
  private final SyncStateRepository states;
  private final SyncStreamRepository streams;
  private final RecordRepository records;
  private final ConnectionService connections;
  private final GraphClient graph;
  private final AdminConsentLinks consentLinks;
  private final SyncRunListener listener;
  private final InstantSource clock;

  public SyncRunner(Jdbi jdbi, SyncCatalog catalog, SyncStateRepository states, SyncStreamRepository streams, RecordRepository records,
      ConnectionService connections, GraphClient graph, AdminConsentLinks consentLinks, SyncRunListener listener, InstantSource clock) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.states = states;
    this.streams = streams;
    this.records = records;
    this.connections = connections;
    this.graph = graph;
    this.consentLinks = consentLinks;
    this.listener = listener;
    this.clock = clock;
  }

  /** Why a connection cannot run a sync before anything is asked of Graph, or empty when it can. */
  public Optional<String> permissionProblem(Connection c, GraphSync sync, GraphAccess.Granted access) {
    Optional<String> problem = new RequiredPermission(sync.satisfiedBy()).problem(access, "run the sync '" + sync.name() + "'", c.tenantId().value(),
        () -> consentLinks.forConnection(c));
    if (problem.isPresent() || !(sync instanceof MailboxSync m)) {
      return problem;
    }
    Optional<String> namedBy = m.ownersKey();
    List<String> listing = m.listingSatisfiedBy();
    if (namedBy.filter(key -> MailboxSync.stringList(MailboxSync.metadata(c), key).isPresent()).isPresent() || access.grantsAny(listing)) {
      return problem;
    }
    return Optional.of("The app has no application permission to list the " + m.ownersNoun() + " of tenant " + c.tenantId().value()
        + " for the sync '" + sync.name() + "': grant " + listing.get(0) + (listing.size() > 1 ? " (or one of "
        + String.join(", ", listing.subList(1, listing.size())) + ")" : "") + " to the app registration and have the tenant's admin consent again ("
        + consentLinks.forConnection(c) + ")" + namedBy.map(key -> ", or name the " + m.ownersNoun() + " in the connection metadata '" + key + "'")
        .orElse("") + ".");
  }

  /** Runs the sync once for the connection; {@code stopping} is asked between pages (the instance is shutting down). */
  public void run(long connectionId, String syncName, BooleanSupplier stopping) {
    Optional<GraphSync> sync = catalog.find(syncName);
    Optional<Connection> connection = connections.reload(connectionId);
    Optional<SyncState> found = states.find(connectionId, syncName);
    if (sync.isEmpty() || connection.isEmpty() || found.isEmpty() || found.get().paused()) {
      return;
    }
    Connection c = connection.get();
    SyncState state = found.get();
    GraphAccess access = graph.access(c);
    if (access instanceof GraphAccess.Unavailable u) {
      fail(c, sync.get(), state, "connection_" + u.status(), "No token for the connection: " + u.message());
      return;
    }
    Optional<String> problem = permissionProblem(c, sync.get(), (GraphAccess.Granted) access);
    if (problem.isPresent()) {
      fail(c, sync.get(), state, PERMISSION_MISSING, problem.get());
      return;
    }
    listener.started(c, syncName);
    if (state.resetRequested()) {
      SyncState s = state;
      jdbi.useTransaction(h -> {
        states.reset(h, s);
        streams.deleteAll(h, s.connectionId(), s.syncName());
      });
      state = states.find(connectionId, syncName).orElseThrow();
    }
    Optional<String> fromCheckpoint = state.checkpointKind().orElse(null) == SyncState.CheckpointKind.DELTA ? state.checkpoint() : Optional.empty();
    if (!state.running()) {
      SyncState s = state;
      jdbi.useTransaction(h -> states.beginRun(h, s, clock.instant()));
      state = states.find(connectionId, syncName).orElseThrow();
      log.info("sync {} for connection {}: {} run started", syncName, c.connectionId(), state.runType().orElse("?").toLowerCase());
    } else {
      log.info("sync {} for connection {}: resuming the run started at {} after page {}", syncName, c.connectionId(),
          state.runStartedAt().orElseThrow(), state.run().pages());
    }
    TenantSync tenantSync;
    switch (sync.get()) {
      case MailboxSync mailboxSync -> {
        new MailboxRun(jdbi, states, streams, records, graph, listener, clock, this, c, mailboxSync, stopping, (GraphAccess.Granted) access).run();
        return;
      }
      case TenantSync t -> tenantSync = t;
    }
    String link = state.checkpoint().orElse(sync.get().initialLink());
    for (int rounds = 0; ; rounds++) {
      Round round = new Round(c, tenantSync, fromCheckpoint, stopping);
      RoundOutcome outcome = graph.round(c, link, round::store);
      switch (outcome) {
        case RoundOutcome.Completed done -> {
          return;
        }
        case RoundOutcome.Stopped stopped -> {
          log.info("sync {} for connection {}: stopped after {} pages; the next run resumes there", syncName, c.connectionId(), stopped.pages());
          return;
        }
        case RoundOutcome.ResyncRequired resync -> {
          if (rounds > 0) {
            fail(c, sync.get(), states.find(connectionId, syncName).orElseThrow(), "resync_loop",
                "Graph asked for a full resync twice in one run (" + resync.code() + "); the next run tries again.");
            return;
          }
          SyncState s = states.find(connectionId, syncName).orElseThrow();
          jdbi.useTransaction(h -> states.restartFull(h, s));
          log.info("sync {} for connection {}: Graph no longer knows the checkpoint ({}); starting a full round, which deletes what it no longer sees",
              syncName, c.connectionId(), resync.code());
          link = resync.location().orElse(sync.get().initialLink());
        }
        case RoundOutcome.CredentialsUnavailable u -> {
          fail(c, sync.get(), states.find(connectionId, syncName).orElseThrow(), "connection_" + u.status(), "No token for the connection: " + u.message());
          return;
        }
        case RoundOutcome.Failed f -> {
          fail(c, sync.get(), states.find(connectionId, syncName).orElseThrow(), "graph_error",
              "Graph failed" + (f.status() == 0 ? "" : " with " + f.status()) + " (" + f.code() + "): " + f.message()
                  + ". The next run resumes after the last stored page.");
          return;
        }
      }
    }
  }

  /** The pages of one round, each stored with the checkpoint that follows it. */
  private final class Round {
    private final Connection connection;
    private final TenantSync sync;
    private final Optional<String> fromCheckpoint;
    private final BooleanSupplier stopping;

    Round(Connection connection, TenantSync sync, Optional<String> fromCheckpoint, BooleanSupplier stopping) {
      this.connection = connection;
      this.sync = sync;
      this.fromCheckpoint = fromCheckpoint;
      this.stopping = stopping;
    }

    boolean store(GraphPage page) {
      List<RecordChange> changes = new ArrayList<>(page.items().size());
      for (JsonNode item : page.items()) {
        String id = item.path("id").asText("");
        if (id.isEmpty()) {
          continue;
        }
        changes.add(sync.removed(item) ? new RecordChange.Delete(id) : new RecordChange.Upsert(id, known -> sync.toRecord(item, known)));
      }
      Instant now = clock.instant();
      SyncState.RunCounters total = jdbi.inTransaction(h -> {
        SyncState s = states.find(h, connection.id(), sync.name()).orElseThrow(() -> new IllegalStateException("the sync's state is gone"));
        PageCounts counts = records.apply(h, connection.id(), sync.model(), s.round(), s.roundFull(), changes, now);
        if (!page.last()) {
          states.advance(h, s, page.nextLink().get(), page.items().size(), counts, page.count());
          if ((s.run().pages() + 1) % LOG_EVERY_PAGES == 0) {
            log.info("sync {} for connection {}: {} pages stored, {} added, {} updated, {} deleted so far", sync.name(),
                connection.connectionId(), s.run().pages() + 1, s.run().added() + counts.added(), s.run().updated() + counts.updated(),
                s.run().deleted() + counts.deleted());
          }
          return null;
        }
        if (s.roundFull()) {
          counts = counts.plus(new PageCounts(0, 0, records.deleteUnseen(h, connection.id(), sync.model(), s.round(), now), 0));
        }
        SyncState.RunCounters run = states.finish(h, s, page.deltaLink().orElse(null), page.items().size(), counts, now);
        listener.succeeded(h, new SyncRunListener.RunSummary(connection, sync.name(), sync.model(), s.runType().orElse("INCREMENTAL"),
            s.runStartedAt().orElse(now), run.added(), run.updated(), run.deleted(), fromCheckpoint, page.deltaLink()));
        return run;
      });
      if (total != null) {
        log.info("sync {} for connection {}: run finished: {} added, {} updated, {} deleted", sync.name(), connection.connectionId(),
            total.added(), total.updated(), total.deleted());
        return true;
      }
      return !stopping.getAsBoolean();
    }
  }

  /** Ends the run as failed with {@code code}: kept for {@code GET /sync/status}, told to the listener. */
  void fail(Connection c, GraphSync sync, SyncState state, String code, String message) {
    Instant now = clock.instant();
    jdbi.useTransaction(h -> {
      states.fail(h, c.id(), sync.name(), code, message, now);
      listener.failed(h, new SyncRunListener.RunFailure(c, sync.name(), sync.model(), state.runType().orElse("INCREMENTAL"),
          state.runStartedAt().orElse(now), now, code, message));
    });
    log.warn("sync {} for connection {}: {}: {}", sync.name(), c.connectionId(), code, message);
  }
}

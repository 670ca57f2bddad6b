package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.graph.BatchAnswer;
import dev.graphgate.server.graph.BatchOutcome;
import dev.graphgate.server.graph.BatchRequest;
import dev.graphgate.server.graph.GraphAccess;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.graph.GraphPage;
import dev.graphgate.server.graph.RoundOutcome;
import dev.graphgate.server.records.PageCounts;
import dev.graphgate.server.records.RecordChange;
import dev.graphgate.server.records.RecordRepository;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link MailboxSync}: its mailboxes listed, then each of their streams run to its delta link, one after
 * the other in the order of their keys. Each page is stored in one transaction with the stream's checkpoint and the
 * run's counters; a stream that ended in this round is skipped when the run resumes after a crash. A stream's full
 * round (its first, or after Graph forgot its link) deletes at its end the stream's records it did not see; the
 * records of streams gone since the last run (a mailbox no longer listed) are deleted when the run ends.
 */
final class MailboxRun {
  // Logged as the engine it is part of: one logger for every run of every sync.
  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

  private final Jdbi jdbi;
  private final SyncStateRepository states;
  private final SyncStreamRepository streams;
  private final RecordRepository records;
  private final GraphClient graph;
  private final SyncRunListener listener;
  private final InstantSource clock;
  private final SyncRunner runner;
  private final Connection connection;
  private final MailboxSync sync;
  private final BooleanSupplier stopping;
  private final GraphAccess.Granted access;

  MailboxRun(Jdbi jdbi, SyncStateRepository states, SyncStreamRepository streams, RecordRepository records, GraphClient graph,
      SyncRunListener listener, InstantSource clock, SyncRunner runner, Connection connection, MailboxSync sync, BooleanSupplier stopping,
      GraphAccess.Granted access) {
    this.jdbi = jdbi;
    this.states = states;
    this.streams = streams;
    this.records = records;
    this.graph = graph;
    this.listener = listener;
    this.clock = clock;
    this.runner = runner;
    this.connection = connection;
    this.sync = sync;
    this.stopping = stopping;
    this.access = access;
  }

  void run() {
    JsonNode metadata = MailboxSync.metadata(connection);
    Optional<String> problem = sync.metadataProblem(metadata);
    if (problem.isPresent()) {
      runner.fail(connection, sync, state(), SyncRunner.INVALID_METADATA, problem.get());
      return;
    }
    Optional<List<String>> mailboxes = sync.ownersKey().flatMap(key -> MailboxSync.stringList(metadata, key));
    if (mailboxes.isEmpty()) {
      mailboxes = listMailboxes();
      if (mailboxes.isEmpty()) {
        return;
      }
    }
    Instant now = clock.instant();
    TreeMap<String, SyncStream> all = new TreeMap<>();
    mailboxes.get().stream().distinct().forEach(m -> sync.streams(m, metadata, now).forEach(s -> all.put(s.key(), s)));
    java.util.Map<String, BatchAnswer> missing = probeNewStreams(all.values());
    for (SyncStream stream : all.values()) {
      BatchAnswer absent = missing.get(stream.key());
      if (absent != null) {
        goneStream(stream, new RoundOutcome.Failed(0, absent.status(), absent.errorCode(), absent.body().path("error").path("message").asText("")));
        continue;
      }
      if (!runStream(stream)) {
        return;
      }
    }
    Instant end = clock.instant();
    SyncState.RunCounters total = jdbi.inTransaction(h -> {
      SyncState s = states.find(h, connection.id(), sync.name()).orElseThrow(() -> new IllegalStateException("the sync's state is gone"));
      long gone = 0;
      for (String key : streams.keys(h, connection.id(), sync.name())) {
        if (!all.containsKey(key)) {
          gone += records.deleteUnseen(h, connection.id(), sync.model(), s.round(), key + "/", true, end);
          streams.delete(h, connection.id(), sync.name(), key);
        }
      }
      SyncState.RunCounters run = states.finishStreams(h, s, SyncRunner.STREAMS_CHECKPOINT, new PageCounts(0, 0, gone, 0), end);
      listener.succeeded(h, new SyncRunListener.RunSummary(connection, sync.name(), sync.model(), s.runType().orElse("INCREMENTAL"),
          s.runStartedAt().orElse(end), run.added(), run.updated(), run.deleted(), Optional.empty(), Optional.empty()));
      return run;
    });
    log.info("sync {} for connection {}: run finished over {} streams: {} added, {} updated, {} deleted", sync.name(), connection.connectionId(),
        all.size(), total.added(), total.updated(), total.deleted());
  }

  private SyncState state() {
    return states.find(connection.id(), sync.name()).orElseThrow();
  }

  /** The streams' owners (by default the tenant's users with a mailbox), or empty when a listing failed or stopped (recorded). */
  private Optional<List<String>> listMailboxes() {
    List<String> found = new ArrayList<>();
    for (String link : sync.listingLinks(access)) {
      RoundOutcome outcome = graph.round(connection, link, page -> {
        page.items().forEach(item -> sync.owner(link, item).ifPresent(found::add));
        return !stopping.getAsBoolean();
      });
      if (!ended(outcome, "listing the " + sync.ownersNoun())) {
        return Optional.empty();
      }
    }
    return Optional.of(found);
  }

  /**
   * The streams without a checkpoint (new ones, and those Graph had nothing for last time) whose probe Graph answered
   * 404, by key: they are skipped without their delta request. The probes go in batches of 20; any other answer, or a
   * batch that failed, leaves the stream to its delta, which decides as it would have without a probe.
   */
  private java.util.Map<String, BatchAnswer> probeNewStreams(java.util.Collection<SyncStream> candidates) {
    long round = state().round();
    // Streams that share a probe (the folders of one mailbox) share its one request.
    java.util.Map<String, List<String>> keysByProbe = new java.util.LinkedHashMap<>();
    jdbi.useHandle(h -> {
      for (SyncStream stream : candidates) {
        Optional<String> probe = sync.probe(stream);
        if (probe.isEmpty()) {
          continue;
        }
        Optional<SyncStreamRepository.StoredStream> stored = streams.find(h, connection.id(), sync.name(), stream.key());
        if (stored.isEmpty() || (stored.get().doneRound() != round && stored.get().checkpoint().isEmpty())) {
          keysByProbe.computeIfAbsent(probe.get(), p -> new ArrayList<>()).add(stream.key());
        }
      }
    });
    java.util.Map<String, BatchAnswer> missing = new java.util.HashMap<>();
    if (keysByProbe.isEmpty()) {
      return missing;
    }
    List<BatchRequest> probes = new ArrayList<>();
    List<List<String>> keys = new ArrayList<>();
    keysByProbe.forEach((url, streamKeys) -> {
      probes.add(BatchRequest.get(Integer.toString(probes.size()), url));
      keys.add(streamKeys);
    });
    BatchOutcome outcome = graph.batch(connection, probes, answers -> {
      answers.stream().filter(a -> a.status() == 404).forEach(a -> keys.get(Integer.parseInt(a.id())).forEach(k -> missing.put(k, a)));
      return !stopping.getAsBoolean();
    });
    log.info("sync {} for connection {}: probed {} new streams with {} requests in {} batches: {} have nothing in Graph", sync.name(),
        connection.connectionId(), keys.stream().mapToInt(List::size).sum(), probes.size(), outcome.batches(), missing.size());
    return missing;
  }

  /** Runs one stream's round to its end; false when the run cannot go on (stopping, or a failure already recorded). */
  private boolean runStream(SyncStream stream) {
    long round = state().round();
    Optional<SyncStreamRepository.StoredStream> stored = jdbi.withHandle(h -> streams.find(h, connection.id(), sync.name(), stream.key()));
    if (stored.isPresent() && stored.get().doneRound() == round) {
      return true;
    }
    boolean[] full = {stored.isEmpty() || stored.get().kind().isEmpty() || (stored.get().kind().get() == SyncState.CheckpointKind.NEXT && stored.get().full())};
    String link = stored.flatMap(SyncStreamRepository.StoredStream::checkpoint).orElse(stream.initialLink());
    for (int rounds = 0; ; rounds++) {
      RoundOutcome outcome = graph.round(connection, link, page -> store(stream, full[0], page));
      if (outcome instanceof RoundOutcome.ResyncRequired resync) {
        if (rounds > 0) {
          runner.fail(connection, sync, state(), "resync_loop", "Graph asked for a full resync of " + stream.key() + " twice in one run ("
              + resync.code() + "); the next run tries again.");
          return false;
        }
        jdbi.useTransaction(h -> streams.restartFull(h, connection.id(), sync.name(), stream.key()));
        log.info("sync {} for connection {}: Graph no longer knows the checkpoint of {} ({}); starting a full round of it", sync.name(),
            connection.connectionId(), stream.key(), resync.code());
        full[0] = true;
        // The stream's own first request, not Graph's Location: a calendar view's window is ours to give.
        link = stream.initialLink();
        continue;
      }
      if (outcome instanceof RoundOutcome.Failed f && f.status() == 404) {
        goneStream(stream, f);
        return true;
      }
      return ended(outcome, stream.key());
    }
  }

  /**
   * Graph answered 404 for the stream: the mailbox has no mail or calendar for Graph (no Exchange licence:
   * {@code MailboxNotEnabledForRESTAPI}), or the folder does not exist. The run goes on with the other streams; the
   * stream's records are deleted and its next round is a full one, so it comes back once Graph has it.
   */
  private void goneStream(SyncStream stream, RoundOutcome.Failed f) {
    Instant now = clock.instant();
    long deleted = jdbi.inTransaction(h -> {
      SyncState s = states.find(h, connection.id(), sync.name()).orElseThrow(() -> new IllegalStateException("the sync's state is gone"));
      long n = records.deleteUnseen(h, connection.id(), sync.model(), s.round(), stream.recordPrefix(), true, now);
      streams.finish(h, connection.id(), sync.name(), stream.key(), null, s.round());
      states.count(h, s, 0, new PageCounts(0, 0, n, 0));
      return n;
    });
    log.info("sync {} for connection {}: Graph has no {} ({}: {}); skipped{}", sync.name(), connection.connectionId(), stream.key(), f.code(),
        f.message(), deleted > 0 ? ", its " + deleted + " records deleted" : "");
  }

  private boolean store(SyncStream stream, boolean full, GraphPage page) {
    List<RecordChange> changes = new ArrayList<>(page.items().size());
    for (JsonNode item : page.items()) {
      String graphId = item.path("id").asText("");
      if (graphId.isEmpty()) {
        continue;
      }
      String id = stream.recordId(graphId);
      changes.add(sync.removed(item) ? new RecordChange.Delete(id) : new RecordChange.Upsert(id, known -> sync.toRecord(stream, item)));
    }
    Instant now = clock.instant();
    jdbi.useTransaction(h -> {
      SyncState s = states.find(h, connection.id(), sync.name()).orElseThrow(() -> new IllegalStateException("the sync's state is gone"));
      PageCounts counts = records.apply(h, connection.id(), sync.model(), s.round(), full, changes, now);
      if (!page.last()) {
        streams.advance(h, connection.id(), sync.name(), stream.key(), page.nextLink().get(), full);
      } else {
        if (full) {
          counts = counts.plus(new PageCounts(0, 0, records.deleteUnseen(h, connection.id(), sync.model(), s.round(), stream.recordPrefix(), false, now), 0));
        }
        streams.finish(h, connection.id(), sync.name(), stream.key(), page.deltaLink().orElse(null), s.round());
      }
      states.count(h, s, page.items().size(), counts);
    });
    return page.last() || !stopping.getAsBoolean();
  }

  /** Whether a round ended normally; any other ending is recorded (a failure) or logged (stopping). */
  private boolean ended(RoundOutcome outcome, String what) {
    switch (outcome) {
      case RoundOutcome.Completed done -> {
        return true;
      }
      case RoundOutcome.Stopped stopped -> {
        log.info("sync {} for connection {}: stopped in {}; the next run resumes there", sync.name(), connection.connectionId(), what);
        return false;
      }
      case RoundOutcome.CredentialsUnavailable u -> {
        runner.fail(connection, sync, state(), "connection_" + u.status(), "No token for the connection: " + u.message());
        return false;
      }
      case RoundOutcome.ResyncRequired r -> {
        runner.fail(connection, sync, state(), "graph_error", "Graph answered " + r.code() + " while " + what + ".");
        return false;
      }
      case RoundOutcome.Failed f -> {
        runner.fail(connection, sync, state(), "graph_error", "Graph failed" + (f.status() == 0 ? "" : " with " + f.status()) + " (" + f.code()
            + ") in " + what + ": " + f.message() + ". The next run resumes after the last stored page.");
        return false;
      }
    }
  }
}

package dev.graphgate.server.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where one sync stands for one connection, as {@code sync_states} holds it.
 *
 * @param checkpoint the next link of the round under way, or the delta link of the last round; empty before the
 *     first round and after a reset
 * @param round the number of the current (or last) round; records carry it when a round sees or changes them
 * @param runStartedAt set while a run is under way (also across a crash: the next run carries it on)
 */
public record SyncState(long connectionId, String syncName, Duration frequency, boolean paused, Optional<String> checkpoint,
    Optional<CheckpointKind> checkpointKind, long round, boolean roundFull, Optional<Instant> runStartedAt, Optional<String> runType,
    RunCounters run, Optional<String> lastStatus, Optional<Instant> lastFinishedAt, Optional<String> lastType, Optional<RunCounters> last,
    Optional<String> errorCode, Optional<String> errorMessage, boolean runRequested, boolean resetRequested) {

  public SyncState {
    Objects.requireNonNull(syncName);
    Objects.requireNonNull(checkpoint);
    Objects.requireNonNull(checkpointKind);
  }

  public enum CheckpointKind { NEXT, DELTA }

  /** What a run has done so far: pages, items, records added, updated, deleted, and Graph's estimate of the total. */
  public record RunCounters(long pages, long records, long added, long updated, long deleted, OptionalLong estimatedTotal) {
    public static final RunCounters ZERO = new RunCounters(0, 0, 0, 0, 0, OptionalLong.empty());
  }

  public boolean running() {
    return runStartedAt.isPresent();
  }
}

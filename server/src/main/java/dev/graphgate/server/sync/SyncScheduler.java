package dev.graphgate.server.sync;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.graphgate.server.storage.Rows;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When syncs run, on db-scheduler: one execution per connection and sync ({@value #TASK}, instance
 * {@code <connection row id>:<sync name>}), picked by exactly one instance at a time through the database (a
 * conditional update on PostgreSQL or H2), so runs of one sync for one connection never overlap, across instances
 * too; an instance that dies mid-run has its execution revived elsewhere once its heartbeats stop. After each run the
 * execution is rescheduled after the sync's frequency, or at once when a run was asked for meanwhile. A planner
 * ({@value #PLANNER}) creates the states and executions of syncs newly enabled or of new connections.
 */
public final class SyncScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);
  public static final String TASK = "graph-sync";
  static final String PLANNER = "graph-sync-planner";
  /** How often the planner looks for new connections and newly enabled syncs. */
  static final Duration PLAN_EVERY = Duration.ofSeconds(30);
  /** A run that failed with an unexpected error (the database away, say) is tried again after this long. */
  static final Duration AFTER_CRASH = Duration.ofMinutes(1);
  /**
   * A running execution's heartbeat, and how many may be missed before another instance takes the run over (it
   * resumes from the last stored page): about 20 seconds after an instance died. A heartbeat is one small update.
   */
  static final Duration HEARTBEAT = Duration.ofSeconds(5);
  static final int MISSED_HEARTBEATS = 4;

  private final SyncRunner runner;
  private final SyncStateRepository states;
  private final InstantSource clock;
  private final CustomTask<Void> task;
  private final Scheduler scheduler;
  private final ExecutorService executor;

  public SyncScheduler(DataSource dataSource, SyncRunner runner, SyncStateRepository states, int threads, Duration pollInterval,
      InstantSource clock) {
    this.runner = runner;
    this.states = states;
    this.clock = clock;
    this.task = Tasks.custom(TASK, Void.class)
        .onFailureReschedule(FixedDelay.of(AFTER_CRASH))
        .onDeadExecutionRevive()
        .execute((instance, context) -> {
          Key key = Key.parse(instance.getId());
          if (key != null) {
            // Taken before the run: a request made while it runs is seen when it ends, and runs it again at once.
            states.takeRunRequest(key.connectionId(), key.syncName());
            runner.run(key.connectionId(), key.syncName(), () -> context.getSchedulerState().isShuttingDown());
          }
          return (complete, operations) -> {
            // Read as late as it can be: a request made while the run ended is seen here (or, if it came in the last
            // instant, by the planner, which reschedules every request left waiting).
            Optional<Instant> next = key == null ? Optional.empty() : nextRun(key);
            if (next.isEmpty()) {
              operations.remove();
            } else {
              operations.reschedule(complete, next.get());
            }
          };
        });
    RecurringTask<Void> planner = Tasks.recurring(PLANNER, FixedDelay.of(PLAN_EVERY)).execute((instance, context) -> plan());
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(threads, r -> {
      // Named as Graphgate's background threads, so their statements are not counted as a request thread's.
      Thread t = new Thread(r, "graphgate-sync-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.scheduler = Scheduler.create(dataSource, List.of(task))
        .startTasks(planner)
        .executorService(executor)
        .threads(threads)
        .pollingInterval(pollInterval)
        .heartbeatInterval(HEARTBEAT)
        .missedHeartbeatsLimit(MISSED_HEARTBEATS)
        .enableImmediateExecution()
        // Its columns are TIMESTAMP WITH TIME ZONE on both databases; UTC throughout also keeps it from warning on H2.
        .alwaysPersistTimestampInUTC()
        .shutdownMaxWait(Duration.ofSeconds(30))
        .build();
  }

  record Key(long connectionId, String syncName) {
    String id() {
      return connectionId + ":" + syncName;
    }

    static Key parse(String id) {
      int colon = id.indexOf(':');
      try {
        return colon < 0 ? null : new Key(Long.parseLong(id.substring(0, colon)), id.substring(colon + 1));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  public void start() {
    scheduler.start();
  }

  /** When the execution runs next: at once when a run was asked for, else after the frequency; empty when the state is gone. */
  private Optional<Instant> nextRun(Key key) {
    Optional<SyncState> state = states.find(key.connectionId(), key.syncName());
    if (state.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (state.get().runRequested() && !state.get().paused()) {
      return Optional.of(now);
    }
    return Optional.of(now.plus(state.get().frequency()));
  }

  /**
   * Brings the states and executions up to date with the enabled syncs and the connections: new states get an
   * execution due now, states of disabled syncs are removed (their executions end at their next turn).
   */
  public void plan() {
    // Idempotent, and run by every instance: another one creating the same row or execution first is no error.
    int created = Rows.orOnUniqueViolation(() -> states.createMissing(SyncFrequency.DEFAULT), () -> 0);
    states.removeDisabled();
    for (SyncStateRepository.Key k : states.unscheduled(TASK)) {
      try {
        scheduler.scheduleIfNotExists(task.instance(new Key(k.connectionId(), k.syncName()).id()), clock.instant());
      } catch (RuntimeException e) {
        log.debug("sync execution {}:{} was scheduled meanwhile: {}", k.connectionId(), k.syncName(), e.getMessage());
      }
    }
    if (created > 0) {
      log.info("syncs: {} new sync schedules (connections and enabled syncs)", created);
    }
    // A request that arrived after its run had read the state and before that run's execution was rescheduled found
    // the execution picked, and the run then rescheduled it after the frequency: run those now.
    for (SyncStateRepository.Key k : states.requested()) {
      runSoon(k.connectionId(), k.syncName());
    }
  }

  /**
   * A run as soon as possible. The request is kept in the sync's state: when a run is under way, the execution is
   * rescheduled at once when it ends.
   */
  public void runSoon(long connectionId, String syncName) {
    TaskInstanceId id = TaskInstanceId.of(TASK, new Key(connectionId, syncName).id());
    Optional<ScheduledExecution<Object>> execution = scheduler.getScheduledExecution(id);
    if (execution.isEmpty()) {
      scheduler.scheduleIfNotExists(task.instance(id.getId()), clock.instant());
      return;
    }
    if (execution.get().isPicked()) {
      return;
    }
    try {
      scheduler.reschedule(id, clock.instant());
    } catch (RuntimeException e) {
      // Picked meanwhile: the run request in the state reschedules it when that run ends.
      log.debug("sync execution {} could not be rescheduled now: {}", id.getId(), e.getMessage());
    }
  }

  /**
   * A run no later than {@code at} (a change notification's, spaced by the caller): an execution due later is moved to
   * {@code at}, in the database, so a restart keeps it; one under way gets a run request, and runs again when it ends.
   * Answers false when the connection has no such sync.
   */
  public boolean runBy(long connectionId, String syncName, Instant at) {
    if (states.find(connectionId, syncName).isEmpty()) {
      return false;
    }
    TaskInstanceId id = TaskInstanceId.of(TASK, new Key(connectionId, syncName).id());
    Optional<ScheduledExecution<Object>> execution = scheduler.getScheduledExecution(id);
    if (execution.isEmpty()) {
      scheduler.scheduleIfNotExists(task.instance(id.getId()), at);
      return true;
    }
    if (!execution.get().isPicked()) {
      if (!execution.get().getExecutionTime().isAfter(at)) {
        return true;
      }
      try {
        scheduler.reschedule(id, at);
        return true;
      } catch (RuntimeException e) {
        log.debug("sync execution {} was picked meanwhile: {}", id.getId(), e.getMessage());
      }
    }
    states.requestRun(connectionId, syncName, false);
    return true;
  }

  /** When the sync runs next for the connection, if it is scheduled and not running. */
  public Optional<Instant> nextScheduled(long connectionId, String syncName) {
    return scheduler.getScheduledExecution(TaskInstanceId.of(TASK, new Key(connectionId, syncName).id()))
        .filter(e -> !e.isPicked()).map(ScheduledExecution::getExecutionTime);
  }

  /** Whether a run is under way now (its execution is picked by an instance). */
  public boolean running(long connectionId, String syncName) {
    return scheduler.getScheduledExecution(TaskInstanceId.of(TASK, new Key(connectionId, syncName).id())).map(ScheduledExecution::isPicked)
        .orElse(false);
  }

  @Override
  public void close() {
    scheduler.stop();
    executor.shutdownNow();
  }
}

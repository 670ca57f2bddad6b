package dev.graphgate.emulator.graph.store;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tenant's change log: every write (through Graph or the admin API) appends one entry under its scope ({@code users},
 * {@code groups}, one scope per mail folder, calendar and drive). Delta rounds read the entries after the sequence
 * number their token carries. Entries older than the delta token lifetime are pruned: no valid token can need them, and
 * a token older than the oldest kept entry of its scope is told to resync.
 */
public final class ChangeLog {

  private final InstantSource clock;
  private final Duration retention;
  private final AtomicLong head = new AtomicLong();
  private final Map<String, Scope> scopes = new ConcurrentHashMap<>();
  private volatile Listener listener = Listener.NONE;

  /**
   * Told of every change as it is appended, inside the tenant's write (so in the order changes became visible). It must
   * return at once: change notifications queue their work and deliver it elsewhere.
   */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (scope, change) -> {};

    void appended(String scope, Change change);
  }

  private static final class Scope {
    final List<Change> entries = new ArrayList<>();
    long prunedUpTo;
  }

  public ChangeLog(InstantSource clock, Duration retention) {
    this.clock = clock;
    this.retention = retention;
  }

  public void listen(Listener newListener) {
    this.listener = java.util.Objects.requireNonNull(newListener, "listener");
  }

  /** The sequence number of the latest change in the tenant (0 before any). */
  public long head() {
    return head.get();
  }

  public Change append(String scope, long key, ChangeType type, Change.MemberChange detail) {
    return append(scope, key, type, detail, java.util.Set.of());
  }

  public Change append(String scope, long key, ChangeType type, Change.MemberChange detail, java.util.Set<String> properties) {
    Scope s = scopes.computeIfAbsent(scope, k -> new Scope());
    synchronized (s) {
      Instant now = clock.instant();
      Change change = new Change(head.incrementAndGet(), now, key, type, detail, properties);
      s.entries.add(change);
      prune(s, now);
      listener.appended(scope, change);
      return change;
    }
  }

  /** The changes of {@code scope} with {@code after < seq <= upTo}, in order. */
  public List<Change> between(String scope, long after, long upTo) {
    Scope s = scopes.get(scope);
    if (s == null) {
      return List.of();
    }
    synchronized (s) {
      int from = firstAfter(s.entries, after);
      List<Change> out = new ArrayList<>();
      for (int i = from; i < s.entries.size(); i++) {
        Change c = s.entries.get(i);
        if (c.seq() > upTo) {
          break;
        }
        out.add(c);
      }
      return out;
    }
  }

  /**
   * Whether the changes after {@code seq} are all still kept, i.e. a delta round from {@code seq} can be answered
   * exactly.
   */
  public boolean covers(String scope, long seq) {
    Scope s = scopes.get(scope);
    if (s == null) {
      return true;
    }
    synchronized (s) {
      return seq >= s.prunedUpTo;
    }
  }

  private void prune(Scope s, Instant now) {
    Instant cutoff = now.minus(retention);
    int drop = 0;
    while (drop < s.entries.size() && s.entries.get(drop).at().isBefore(cutoff)) {
      drop++;
    }
    // Drop in bulk so pruning stays amortized O(1) per append.
    if (drop > 0 && (drop >= 1024 || drop == s.entries.size())) {
      s.prunedUpTo = s.entries.get(drop - 1).seq();
      s.entries.subList(0, drop).clear();
    }
  }

  private static int firstAfter(List<Change> entries, long seq) {
    int low = 0;
    int high = entries.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (entries.get(mid).seq() <= seq) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}

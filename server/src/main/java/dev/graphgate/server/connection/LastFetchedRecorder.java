package dev.graphgate.server.connection;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers when each connection was last read and writes it behind, in one batch per {@link #flush()}: Nango
 * updates {@code last_fetched_at} on every read, which would put a write on the hot path.
 */
public final class LastFetchedRecorder {
  private static final Logger log = LoggerFactory.getLogger(LastFetchedRecorder.class);

  private final ConnectionRepository repository;
  private final ConcurrentMap<Long, Instant> pending = new ConcurrentHashMap<>();

  public LastFetchedRecorder(ConnectionRepository repository) {
    this.repository = repository;
  }

  public void touch(long connectionId, Instant at) {
    // A plain read first: under load every request touches the same few keys, and merge locks the key's bin.
    Instant known = pending.get(connectionId);
    if (known == null || at.isAfter(known)) {
      pending.merge(connectionId, at, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  public void flush() {
    Map<Long, Instant> batch = new HashMap<>();
    for (Long id : pending.keySet()) {
      Instant at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    try {
      repository.saveLastFetched(batch);
    } catch (RuntimeException e) {
      batch.forEach(this::touch);
      log.warn("could not store last_fetched_at for {} connections; will retry: {}", batch.size(), e.getClass().getSimpleName());
    }
  }
}

package dev.graphgate.server.connection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.UnknownConnection;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.storage.ChangeFeed;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections, served from memory once read. A connection is loaded from the database on first use and kept until
 * this instance changes it (the new value replaces it at once) or another instance does (the {@link ChangeFeed}
 * evicts it). A load that raced with an eviction is not cached, so a stale row never outlives a change.
 */
public final class ConnectionService {
  private final ConnectionRepository repository;
  private final IntegrationService integrations;
  private final InstantSource clock;
  private final ConcurrentMap<ConnectionKey, Connection> cache = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, ConnectionKey> keysById = new ConcurrentHashMap<>();
  private final AtomicLong evictions = new AtomicLong();

  public ConnectionService(ConnectionRepository repository, IntegrationService integrations, InstantSource clock, ChangeFeed feed) {
    this.repository = repository;
    this.integrations = integrations;
    this.clock = clock;
    feed.subscribe(ChangeFeed.Entity.CONNECTION, this::evict);
    // An integration's rename or deletion changes how its connections are named: start over.
    feed.subscribe(ChangeFeed.Entity.INTEGRATION, id -> evictAll());
    // The same when this instance deletes or renames one: the feed does not echo an instance's own changes.
    integrations.onKeyRetired(id -> evictAll());
  }

  /** The connection, from memory when cached. Throws Nango's errors for an unknown integration or connection. */
  public Connection get(String integrationKey, String connectionId) {
    Connection cached = cache.get(new ConnectionKey(integrationKey, connectionId));
    if (cached != null) {
      return cached;
    }
    Integration integration = integrations.find(integrationKey)
        .orElseThrow(() -> new UnknownProviderConfig(400, "Provider does not exists"));
    long generation = evictions.get();
    Connection loaded = repository.find(integration.id(), connectionId)
        .orElseThrow(() -> new NotFound("Failed to find connection"));
    // Only into an empty slot: a value cached meanwhile (a token refresh finishing) is newer than this row.
    if (evictions.get() == generation && cache.putIfAbsent(loaded.key(), loaded) == null) {
      keysById.put(loaded.id(), loaded.key());
    }
    return cache.getOrDefault(loaded.key(), loaded);
  }

  /** The cached copy, if any; never reads the database. */
  public Optional<Connection> cached(ConnectionKey key) {
    return Optional.ofNullable(cache.get(key));
  }

  /** Re-reads the row, bypassing and then refreshing the cache. */
  public Optional<Connection> reload(long id) {
    long generation = evictions.get();
    Optional<Connection> loaded = repository.findById(id);
    if (loaded.isPresent() && evictions.get() == generation) {
      remember(loaded.get());
    } else if (loaded.isEmpty()) {
      evict(id);
    }
    return loaded;
  }

  /** Puts a newer value (for example after a token refresh) in the cache. */
  public void remember(Connection c) {
    cache.put(c.key(), c);
    keysById.put(c.id(), c.key());
  }

  /** Counts evictions; pass it to {@link #rememberUnlessEvictedSince} to cache a value read or written meanwhile. */
  public long generation() {
    return evictions.get();
  }

  /**
   * Caches {@code c} unless something was evicted since {@code generation} (the connection may have been deleted or
   * changed meanwhile; the next read then loads it again rather than resurrecting a stale copy).
   */
  public void rememberUnlessEvictedSince(Connection c, long generation) {
    if (evictions.get() == generation) {
      remember(c);
    }
  }

  public ConnectionRepository.Upserted importConnection(Integration integration, NewConnection c, ConnectionHealth health) {
    ConnectionRepository.Upserted result = repository.upsert(integration.id(), c, health, clock.instant());
    evict(result.connection().id());
    remember(result.connection());
    return result;
  }

  public List<ConnectionSummary> list(ConnectionQuery query) {
    return repository.list(query);
  }

  public void delete(String integrationKey, String connectionId) {
    Integration integration = integrations.find(integrationKey)
        .orElseThrow(() -> new UnknownProviderConfig(400, "Provider does not exists"));
    Connection c = repository.find(integration.id(), connectionId).orElseThrow(() -> new UnknownConnection(400,
        // Nango sends this code without a message; the message is added so the error says what to check.
        "Connection with connection id " + connectionId + " and provider config key " + integrationKey + " not found. Nothing was deleted."));
    repository.delete(c.id());
    evict(c.id());
  }

  /** Replaces ({@code merge=false}) or shallow-merges the metadata of every named connection; all exist, or nothing changes. */
  public void writeMetadata(String integrationKey, List<String> connectionIds, ObjectNode metadata, boolean merge) {
    Integration integration = integrations.find(integrationKey).orElse(null);
    List<Long> ids = new ArrayList<>();
    for (String cid : connectionIds) {
      Optional<Connection> c = integration == null ? Optional.empty() : repository.find(integration.id(), cid);
      if (c.isEmpty()) {
        throw new UnknownConnection(404, "Connection with connection id " + cid + " and provider config key " + integrationKey
            + " not found. Please make sure the connection exists in the Nango dashboard"
            + (connectionIds.size() > 1 ? ". No actions were taken on any of the connections as a result of this failure." : ""));
      }
      ids.add(c.get().id());
    }
    repository.writeMetadata(ids, metadata, merge, clock.instant());
    ids.forEach(this::evict);
  }

  /** Sets the fields given (an empty {@code webhookUrlOverride} clears it); the others stay as stored. */
  public void patch(String integrationKey, String connectionId, Optional<Map<String, String>> tags, Optional<EndUser> endUser,
      Optional<String> webhookUrlOverride) {
    Connection c = get(integrationKey, connectionId);
    repository.patch(c.id(), tags, endUser, webhookUrlOverride.map(s -> s.isEmpty() ? Optional.<String>empty() : Optional.of(s)),
        clock.instant());
    evict(c.id());
  }

  /** An admin of {@code tenantId} granted consent: its connections that lacked it refresh on their next read. */
  public int consentGranted(String tenantId) {
    List<Long> ids = repository.consentGranted(tenantId, clock.instant());
    ids.forEach(this::evict);
    return ids.size();
  }

  public void evict(long id) {
    evictions.incrementAndGet();
    ConnectionKey key = keysById.remove(id);
    if (key != null) {
      cache.remove(key);
    }
  }

  public void evictAll() {
    evictions.incrementAndGet();
    keysById.clear();
    cache.clear();
  }
}

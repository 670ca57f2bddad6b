package dev.graphgate.server.connection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.UnknownConnection;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.observe.MeterNames;
import dev.graphgate.server.provider.Provider;
import dev.graphgate.server.storage.ChangeFeed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections, served from memory once read. A connection is loaded from the database on first use and then kept:
 * this instance's own writes replace the cached copy at once, and another instance's change (heard through the
 * {@link ChangeFeed}) is read again on the feed's thread and replaces it there, so a request never waits for the
 * database because somebody else changed a connection. Of two copies of a connection the cache keeps the newer (higher
 * {@link Connection#version()}); a copy read while the connection was being deleted is not cached, so a stale or
 * deleted row never outlives a change.
 */
public final class ConnectionService {
  private final ConnectionRepository repository;
  private final IntegrationService integrations;
  private final InstantSource clock;
  private final ConcurrentMap<ConnectionKey, Connection> cache = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, ConnectionKey> keysById = new ConcurrentHashMap<>();
  private final AtomicLong evictions = new AtomicLong();
  private final Counter hits;
  private final Counter misses;

  public ConnectionService(ConnectionRepository repository, IntegrationService integrations, InstantSource clock, ChangeFeed feed,
      MeterRegistry meters) {
    this.repository = repository;
    this.integrations = integrations;
    this.clock = clock;
    this.hits = cacheCounter(meters, "hit");
    this.misses = cacheCounter(meters, "miss");
    feed.subscribe(ChangeFeed.Entity.CONNECTION, this::changedElsewhere);
    // An integration's rename or deletion changes how its connections are named (or removes them): their cached copies
    // are read again, on the feed's thread; other integrations' connections stay as they are.
    feed.subscribe(ChangeFeed.Entity.INTEGRATION, this::integrationChanged);
    // The same when this instance deletes or renames one: the feed does not echo an instance's own changes.
    integrations.onKeyRetired(this::integrationChanged);
  }

  /** The connection, from memory when cached. Throws Nango's errors for an unknown integration or connection. */
  public Connection get(String integrationKey, String connectionId) {
    Connection cached = cache.get(new ConnectionKey(integrationKey, connectionId));
    if (cached != null) {
      hits.increment();
      return cached;
    }
    misses.increment();
    Integration integration = integrations.find(integrationKey)
        .orElseThrow(() -> new UnknownProviderConfig("Provider does not exists"));
    long generation = evictions.get();
    Connection loaded = repository.find(integration.id(), connectionId)
        .orElseThrow(() -> new NotFound("Failed to find connection"));
    return remember(loaded, generation);
  }

  private static Counter cacheCounter(MeterRegistry meters, String result) {
    return Counter.builder(MeterNames.CONNECTION_CACHE)
        .description("connection lookups by name (the proxy's, GET /connections/{id}'s), by result: hit from memory, miss read from the database")
        .tag("result", result).register(meters);
  }

  /** The cached copy, if any; never reads the database. */
  public Optional<Connection> cached(ConnectionKey key) {
    return Optional.ofNullable(cache.get(key));
  }

  /** Re-reads the row and caches it (unless a newer copy is cached); empty, and evicted, when it is gone. */
  public Optional<Connection> reload(long id) {
    long generation = evictions.get();
    Optional<Connection> loaded = repository.findById(id);
    if (loaded.isEmpty()) {
      evict(id);
      return loaded;
    }
    return Optional.of(remember(loaded.get(), generation));
  }

  /** Counts evictions; pass it to {@link #remember} to cache a value read or written since. */
  public long generation() {
    return evictions.get();
  }

  /**
   * Caches {@code c} unless something was evicted since {@code generation} (the connection may have been deleted
   * meanwhile) or a newer copy is cached, and answers the copy that is cached now ({@code c} when nothing is).
   */
  public Connection remember(Connection c, long generation) {
    if (evictions.get() != generation) {
      return c;
    }
    Connection kept = cache.merge(c.key(), c, ConnectionService::newer);
    keysById.put(c.id(), c.key());
    if (evictions.get() != generation) {
      // Evicted while we cached: drop ours, the next read loads it again.
      cache.remove(c.key(), kept);
    }
    return kept;
  }

  /**
   * Of two copies of one connection, the newer: the higher row version; at the same version (a token that lives only in
   * memory because the database could not be written), the one whose token was obtained later.
   */
  private static Connection newer(Connection cached, Connection offered) {
    if (offered.version() != cached.version()) {
      return offered.version() > cached.version() ? offered : cached;
    }
    java.time.Instant a = cached.token().map(AccessToken::obtainedAt).orElse(java.time.Instant.MIN);
    java.time.Instant b = offered.token().map(AccessToken::obtainedAt).orElse(java.time.Instant.MIN);
    return b.isBefore(a) ? cached : offered;
  }

  /**
   * Integration {@code integrationId} was renamed or deleted, or something else of it changed: its cached connections
   * are read again, under their new key (the old key no longer answers), or dropped when they are gone.
   */
  private void integrationChanged(long integrationId) {
    for (Connection c : List.copyOf(cache.values())) {
      if (c.integrationId() != integrationId) {
        continue;
      }
      long generation = evictions.get();
      Optional<Connection> loaded = repository.findById(c.id());
      if (loaded.isEmpty()) {
        evict(c.id());
      } else {
        if (!loaded.get().key().equals(c.key())) {
          cache.remove(c.key(), c);
        }
        remember(loaded.get(), generation);
      }
    }
  }

  /** Another instance changed connection {@code id}: read it again now, on the change feed's thread, if it is cached. */
  private void changedElsewhere(long id) {
    if (keysById.containsKey(id)) {
      reload(id);
    }
  }

  /** Reads an import request once the integration it names is known (its provider's auth mode and default scopes). */
  @FunctionalInterface
  public interface ImportReader {
    NewConnection read(Integration integration, Provider provider);
  }

  /**
   * {@code POST /connections}: creates or replaces the connection of the integration {@code integrationKey} that
   * {@code reader} makes of the request. Its health follows from the imported token: pending without one, OK, or
   * CONSENT_MISSING when the token carries no app permissions ({@link ConnectionHealth#imported}).
   */
  public ConnectionRepository.Upserted importConnection(String integrationKey, ImportReader reader) {
    Integration integration = integrations.find(integrationKey).orElseThrow(() -> new NotFound("Integration does not exist"));
    NewConnection c = reader.read(integration, integrations.providerOf(integration));
    ConnectionRepository.Upserted result = repository.upsert(integration.id(), c, ConnectionHealth.imported(c.token(), clock.instant()),
        clock.instant());
    evict(result.connection().id());
    remember(result.connection(), evictions.get());
    return result;
  }

  public List<ConnectionSummary> list(ConnectionQuery query) {
    return repository.list(query);
  }

  /**
   * A keyset page of connections, newest first (by row id): those whose connection id starts with {@code idPrefix}
   * (case-sensitive), of {@code integrationKey}, created before the connection whose {@link ConnectionSummary#id} is
   * {@code before}. Each page is an index range read however deep it is, unlike {@link #list}'s numbered pages.
   */
  public List<ConnectionSummary> browse(Optional<String> idPrefix, Optional<String> integrationKey, Optional<Long> before, int limit) {
    return repository.browse(idPrefix, integrationKey, before, limit);
  }

  public void delete(String integrationKey, String connectionId) {
    Integration integration = integrations.find(integrationKey)
        .orElseThrow(() -> new UnknownProviderConfig("Provider does not exists"));
    Connection c = repository.find(integration.id(), connectionId).orElseThrow(() -> UnknownConnection.toDelete(
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
        throw UnknownConnection.inMetadataUpdate("Connection with connection id " + cid + " and provider config key " + integrationKey
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

  /**
   * An admin of {@code tenantId} (named as connections name it: GUID or domain) granted consent: its connections that
   * lacked it refresh on their next read, without the failure backoff. Returns their ids.
   */
  public List<Long> consentGranted(String tenantId) {
    List<Long> ids = repository.consentGranted(tenantId, clock.instant());
    ids.forEach(this::evict);
    return ids;
  }

  public void evict(long id) {
    evictions.incrementAndGet();
    ConnectionKey key = keysById.remove(id);
    if (key != null) {
      cache.remove(key);
    }
  }
}

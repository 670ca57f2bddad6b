package dev.graphgate.emulator.graph.store;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.LongStream;

/**
 * One collection of entities (a tenant's users, a mailbox's messages, a drive's items): generated entities computed on
 * demand from their index, with an overlay of what was created, changed or deleted since. Only the overlay takes
 * memory, which is why a tenant of 100,000 generated users costs almost nothing until it is written to.
 *
 * <p>Reads are lock-free. Writes must be serialized by the caller (the tenant's write lock), and each write appends to
 * the change log under the scope {@code scopeOf} gives the entity, so delta rounds see it.
 */
public final class EntityStore {

  private final ChangeLog log;
  private final Function<Entity, String> scopeOf;
  private final long generated;
  private final LongFunction<Entity> generator;
  private final Map<Long, Entity> overrides = new ConcurrentHashMap<>();
  /** Keys of deleted entities, generated or created: a stale write (a PATCH racing a DELETE) cannot bring one back. */
  private final Set<Long> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicLong deletedGenerated = new AtomicLong();
  /** The last state of deleted entities, so a delta round can say what was removed (a message's type, a group's kind). */
  private final Map<Long, Entity> tombstones = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Long> created = new ConcurrentSkipListSet<>();
  private final AtomicLong nextCreated = new AtomicLong(Keys.CREATED_BASE);
  private final AtomicLong version = new AtomicLong();

  public EntityStore(ChangeLog log, Function<Entity, String> scopeOf, long generated, LongFunction<Entity> generator) {
    if (generated < 0 || generated > Keys.MAX_GENERATED) {
      throw new IllegalArgumentException("generated count out of range: " + generated);
    }
    this.log = log;
    this.scopeOf = scopeOf;
    this.generated = generated;
    this.generator = generator;
  }

  public static EntityStore empty(ChangeLog log, String scope) {
    return new EntityStore(log, e -> scope, 0, i -> {
      throw new IllegalStateException("no generated entities");
    });
  }

  public Optional<Entity> get(long key) {
    if (deleted.contains(key)) {
      return Optional.empty();
    }
    Entity override = overrides.get(key);
    if (override != null) {
      return Optional.of(override);
    }
    if (key >= 0 && key < generated) {
      return Optional.of(generator.apply(key));
    }
    return Optional.empty();
  }

  public boolean contains(long key) {
    return !deleted.contains(key) && (overrides.containsKey(key) || (key >= 0 && key < generated));
  }

  /** How many entities exist now. */
  public long size() {
    return generated - deletedGenerated.get() + created.size();
  }

  /** Changes with every write; caches of derived views (sorted orders) compare it. */
  public long version() {
    return version.get();
  }

  /** Entities with keys above {@code afterKey}, ascending: generated ones first, then created ones in creation order. */
  public Iterator<Entity> ascending(long afterKey) {
    return existing(LongStream.range(Math.max(0, afterKey + 1), generated).iterator(), created.tailSet(afterKey, false).iterator());
  }

  /** Created entities newest first, then generated ones in index order: Outlook's newest-first listing. */
  public Iterator<Entity> newestFirst() {
    return existing(created.descendingIterator(), LongStream.range(0, generated).iterator());
  }

  /** The entities that exist under the keys of {@code first}, then under those of {@code then}, read lazily. */
  private Iterator<Entity> existing(Iterator<Long> first, Iterator<Long> then) {
    return new Iterator<>() {
      Entity next = advance();

      private Entity advance() {
        Entity found = nextIn(first);
        return found != null ? found : nextIn(then);
      }

      private Entity nextIn(Iterator<Long> keys) {
        while (keys.hasNext()) {
          Optional<Entity> entity = get(keys.next());
          if (entity.isPresent()) {
            return entity.get();
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Entity next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Entity current = next;
        next = advance();
        return current;
      }
    };
  }

  /** A key for an entity about to be created. */
  public long newKey() {
    return nextCreated.getAndIncrement();
  }

  public Entity insert(Entity entity) {
    if (!Keys.isCreated(entity.key())) {
      throw new IllegalArgumentException("created entities take a key from newKey()");
    }
    overrides.put(entity.key(), entity);
    created.add(entity.key());
    version.incrementAndGet();
    log.append(scopeOf.apply(entity), entity.key(), ChangeType.CREATED, null);
    return entity;
  }

  /** Inserts a new entity under the next key, with the id {@code idOf} makes from that key as its {@code id}. */
  public Entity insertNew(LongFunction<String> idOf, Map<String, Object> props) {
    long key = newKey();
    String id = idOf.apply(key);
    Map<String, Object> withId = new LinkedHashMap<>(props);
    withId.put("id", id);
    return insert(new Entity(key, id, withId));
  }

  /** Replaces an existing entity; a change of scope (a message moved to another folder) is a delete plus a create. */
  public Entity replace(Entity previous, Entity updated) {
    overrides.put(updated.key(), updated);
    version.incrementAndGet();
    String before = scopeOf.apply(previous);
    String after = scopeOf.apply(updated);
    if (before.equals(after)) {
      log.append(after, updated.key(), ChangeType.UPDATED, null, changedProperties(previous, updated));
    } else {
      log.append(before, updated.key(), ChangeType.DELETED, null);
      log.append(after, updated.key(), ChangeType.CREATED, null);
    }
    return updated;
  }

  public void remove(Entity entity) {
    if (deleted.add(entity.key()) && !Keys.isCreated(entity.key())) {
      deletedGenerated.incrementAndGet();
    }
    tombstones.put(entity.key(), entity);
    overrides.remove(entity.key());
    created.remove(entity.key());
    version.incrementAndGet();
    log.append(scopeOf.apply(entity), entity.key(), ChangeType.DELETED, null);
  }

  /** Records a change that is not to the entity's own properties (a membership); it still bumps the version. */
  public void touch(Entity entity, Change.MemberChange detail) {
    version.incrementAndGet();
    log.append(scopeOf.apply(entity), entity.key(), ChangeType.UPDATED, detail);
  }

  private static Set<String> changedProperties(Entity previous, Entity updated) {
    Set<String> changed = new java.util.HashSet<>();
    for (Map.Entry<String, Object> entry : updated.props().entrySet()) {
      if (!java.util.Objects.equals(entry.getValue(), previous.props().get(entry.getKey()))) {
        changed.add(entry.getKey());
      }
    }
    for (String name : previous.props().keySet()) {
      if (!updated.props().containsKey(name)) {
        changed.add(name);
      }
    }
    return changed;
  }

  /** What a deleted entity looked like when it was deleted. */
  public Optional<Entity> tombstone(long key) {
    return Optional.ofNullable(tombstones.get(key));
  }

  public long generatedCount() {
    return generated;
  }
}

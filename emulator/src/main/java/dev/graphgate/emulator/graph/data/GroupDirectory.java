package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.directory.Identifiers;
import dev.graphgate.emulator.graph.generate.DirectoryGenerator;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.ChangeLog;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import dev.graphgate.emulator.graph.store.IdCodec;
import dev.graphgate.emulator.graph.store.IdKind;
import dev.graphgate.emulator.graph.store.Keys;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's groups and their members. Generated groups start with generated members (a pure function of the group
 * index); additions and removals since are kept per group and logged as membership changes, which group delta reports
 * in {@code members@delta}.
 */
public final class GroupDirectory {

  public static final String SCOPE = "groups";

  private final DirectoryGenerator generator;
  private final IdCodec ids;
  private final EntityStore store;
  private final UserDirectory users;
  private final Map<Long, Membership> memberships = new ConcurrentHashMap<>();

  private static final class Membership {
    final Set<Long> added = new LinkedHashSet<>();
    final Set<Long> removed = new LinkedHashSet<>();
  }

  GroupDirectory(DirectoryGenerator generator, IdCodec ids, ChangeLog log, UserDirectory users) {
    this.generator = generator;
    this.ids = ids;
    this.users = users;
    this.store = new EntityStore(log, e -> SCOPE, generator.groupCount(), generator::group);
  }

  public EntityStore store() {
    return store;
  }

  public String idOf(long key) {
    return ids.guid(IdKind.GROUP, 0, key);
  }

  public Optional<Entity> find(String id) {
    if (!Identifiers.isGuid(id)) {
      return Optional.empty();
    }
    return ids.fromGuid(id.toLowerCase(Locale.ROOT), IdKind.GROUP).flatMap(p -> store.get(p.item()));
  }

  /** The user keys of the group's current members, generated members first, then those added since. */
  public Iterator<Long> members(Entity group) {
    long groupKey = group.key();
    Membership membership = memberships.get(groupKey);
    Set<Long> removed;
    List<Long> added;
    if (membership == null) {
      removed = Set.of();
      added = List.of();
    } else {
      synchronized (membership) {
        removed = Set.copyOf(membership.removed);
        added = new ArrayList<>(membership.added);
      }
    }
    long generatedCount = Keys.isCreated(groupKey) ? 0 : generator.generatedMemberCount();
    Iterator<Long> extra = added.iterator();
    return new Iterator<>() {
      long k = 0;
      Long next = advance();

      private Long advance() {
        while (k < generatedCount) {
          long user = generator.generatedMember(groupKey, k++);
          if (!removed.contains(user) && users.store().contains(user)) {
            return user;
          }
        }
        while (extra.hasNext()) {
          long user = extra.next();
          if (users.store().contains(user)) {
            return user;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Long next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Long current = next;
        next = advance();
        return current;
      }
    };
  }

  public boolean isMember(Entity group, long userKey) {
    Membership membership = memberships.get(group.key());
    if (membership != null) {
      synchronized (membership) {
        if (membership.removed.contains(userKey)) {
          return false;
        }
        if (membership.added.contains(userKey)) {
          return true;
        }
      }
    }
    return !Keys.isCreated(group.key()) && !Keys.isCreated(userKey) && generator.isGeneratedMember(group.key(), userKey);
  }

  Entity insert(Map<String, Object> props) {
    return store.insertNew(this::idOf, props);
  }

  Entity update(Entity current, Map<String, Object> changes) {
    return store.replace(current, current.with(changes));
  }

  void delete(Entity current) {
    store.remove(current);
  }

  void addMember(Entity group, long userKey) {
    Membership membership = memberships.computeIfAbsent(group.key(), k -> new Membership());
    synchronized (membership) {
      if (!membership.removed.remove(userKey)) {
        membership.added.add(userKey);
      }
    }
    store.touch(group, new Change.MemberChange(userKey, true));
  }

  void removeMember(Entity group, long userKey) {
    Membership membership = memberships.computeIfAbsent(group.key(), k -> new Membership());
    synchronized (membership) {
      if (!membership.added.remove(userKey)) {
        membership.removed.add(userKey);
      }
    }
    store.touch(group, new Change.MemberChange(userKey, false));
  }
}

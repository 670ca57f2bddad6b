package dev.graphgate.emulator.graph.store;

import java.time.Instant;

/**
 * One entry of a tenant's change log.
 *
 * @param seq the tenant-wide sequence number; delta tokens remember the last one they saw
 * @param detail what else changed, for changes that are more than the entity's own properties (group membership)
 * @param properties the names of the properties an update changed (empty for creations, deletions and membership)
 */
public record Change(long seq, Instant at, long key, ChangeType type, MemberChange detail, java.util.Set<String> properties) {

  public Change {
    properties = properties == null ? java.util.Set.of() : java.util.Set.copyOf(properties);
  }

  /** A group membership change: member {@code memberKey} was added or removed. */
  public record MemberChange(long memberKey, boolean added) {}
}

package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.Entity;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One collection that supports delta: its current state, how its items look in a delta page, and its change scope. */
public interface DeltaSource {

  /** The token kind; a token of one kind is refused by another collection. */
  String kind();

  /** The change log scope whose entries concern this collection. */
  String scope();

  /** The current entities after {@code afterKey}, ascending. */
  Iterator<Entity> enumerate(long afterKey);

  /** How an entity appears in the first round, or empty to leave it out (outside a filter or a window). */
  Optional<Map<String, Object>> initial(Entity entity);

  /**
   * The first round's items for an entity: usually one, but a group with many members is split into several objects
   * with the same id, each carrying a slice of {@code members@delta}, served on consecutive pages as Graph does.
   */
  default List<Map<String, Object>> initialParts(Entity entity) {
    return initial(entity).map(List::of).orElse(List.of());
  }

  /**
   * How an entity that changed appears in a later round, given its changes in the round (oldest first); empty to leave
   * it out. Deleted entities, and entities that left the collection, appear as removed.
   */
  Optional<Map<String, Object>> changed(long key, List<Change> changes);

  /** The page size: the workload's default, or what the client asked with {@code Prefer: odata.maxpagesize}. */
  int pageSize();
}

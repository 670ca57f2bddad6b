package dev.graphgate.server.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** One entity of a page as a sync saw it: its new state, or its removal. */
public sealed interface RecordChange {
  String externalId();

  /**
   * The entity's state. {@code data} builds it from what this round already knows of the entity (the stored record,
   * unless it is deleted or, in a full round, not seen yet in this round): a group split over several pages merges its
   * members this way.
   */
  record Upsert(String externalId, Function<Optional<ObjectNode>, ObjectNode> data) implements RecordChange {
    public Upsert {
      Objects.requireNonNull(externalId);
      Objects.requireNonNull(data);
    }
  }

  record Delete(String externalId) implements RecordChange {
    public Delete {
      Objects.requireNonNull(externalId);
    }
  }
}

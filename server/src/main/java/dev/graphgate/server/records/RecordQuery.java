package dev.graphgate.server.records;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A page of one connection's records of one model: after {@code afterPosition} (a cursor), changed at or after
 * {@code modifiedAfter}, whose last action is one of {@code actions} (all three when the caller gave no filter), with
 * one of {@code ids} when given; at most {@code limit}, in the order of changes.
 */
public record RecordQuery(long connectionId, String model, Optional<Long> afterPosition, Optional<Instant> modifiedAfter,
    Set<RecordAction> actions, List<String> ids, int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 10_000;

  public RecordQuery {
    Objects.requireNonNull(model);
    Objects.requireNonNull(afterPosition);
    Objects.requireNonNull(modifiedAfter);
    actions = Set.copyOf(actions);
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("at least one action");
    }
    ids = List.copyOf(ids);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }
}

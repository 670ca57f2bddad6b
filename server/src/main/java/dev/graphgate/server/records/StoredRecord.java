package dev.graphgate.server.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One record as stored: the model's JSON, what last happened to it, when, and its place in the order of changes. */
public record StoredRecord(String externalId, ObjectNode data, RecordAction lastAction, Instant firstSeenAt, Instant lastModifiedAt,
    Optional<Instant> deletedAt, Optional<Instant> prunedAt, long cursorPosition) {
  public StoredRecord {
    Objects.requireNonNull(externalId);
    Objects.requireNonNull(data);
    Objects.requireNonNull(lastAction);
    Objects.requireNonNull(deletedAt);
    Objects.requireNonNull(prunedAt);
  }

  /** This record's own cursor: {@code GET /records?cursor=} with it returns the records changed after it. */
  public String cursor() {
    return RecordCursor.encode(cursorPosition);
  }
}

package dev.graphgate.server.records;

import java.util.List;
import java.util.Optional;

/** A page of records, and the cursor of its last record when more follow. */
public record RecordPage(List<StoredRecord> records, Optional<String> nextCursor) {
  public RecordPage {
    records = List.copyOf(records);
  }
}

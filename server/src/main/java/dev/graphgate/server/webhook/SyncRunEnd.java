package dev.graphgate.server.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The end of one sync run for one connection, as the {@code sync} webhook tells it: {@code counts} when the run
 * reached the end of its round, {@code error} when it stopped on one. {@code syncType} is {@code INITIAL} or
 * {@code INCREMENTAL}; {@code webhookUrlOverride} the connection's.
 */
public record SyncRunEnd(String integrationKey, String connectionId, String syncName, String model, String syncType, Instant startedAt,
    Optional<Counts> counts, Optional<Error> error, Optional<String> webhookUrlOverride) {
  public SyncRunEnd {
    Objects.requireNonNull(integrationKey);
    Objects.requireNonNull(connectionId);
    Objects.requireNonNull(syncName);
    Objects.requireNonNull(model);
    Objects.requireNonNull(syncType);
    Objects.requireNonNull(startedAt);
    Objects.requireNonNull(webhookUrlOverride);
    if (counts.isPresent() == error.isPresent()) {
      throw new IllegalArgumentException("a run ends with counts or with an error");
    }
  }

  public record Counts(long added, long updated, long deleted) {
    boolean none() {
      return added == 0 && updated == 0 && deleted == 0;
    }
  }

  /** {@code code} and {@code message} as {@code GET /sync/status} shows them. */
  public record Error(String code, String message, Instant failedAt) {
    public Error {
      Objects.requireNonNull(code);
      Objects.requireNonNull(message);
      Objects.requireNonNull(failedAt);
    }
  }
}

package dev.graphgate.server.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@code sync} payloads of nango-api.md §7.3. Success: {@code modifiedAfter} (and {@code queryTimeStamp}) is the
 * run's start, the time to pass as {@code modified_after} to {@code GET /records}; {@code checkpoints} is left out
 * (Nango allows it absent): Graphgate's checkpoints are Graph delta links, which are no cursor of the records API.
 * Failure: {@code error.type} is the run's error code, {@code description} its message.
 */
final class SyncPayloads {
  private static final DateTimeFormatter ZULU = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** Graphgate's pre-built syncs have one variant, Nango's default. */
  private static final String VARIANT = "base";

  private final Supplier<String> ids;

  SyncPayloads() {
    this(() -> UUID.randomUUID().toString());
  }

  SyncPayloads(Supplier<String> ids) {
    this.ids = ids;
  }

  OutboxEvent ended(SyncRunEnd run) {
    ObjectNode n = Json.object();
    n.put("from", "nango").put("type", "sync").put("success", run.counts().isPresent()).put("connectionId", run.connectionId())
        .put("providerConfigKey", run.integrationKey()).put("syncName", run.syncName()).put("syncVariant", VARIANT).put("model", run.model())
        .put("syncType", run.syncType());
    run.counts().ifPresent(c -> {
      n.put("modifiedAfter", time(run.startedAt())).put("queryTimeStamp", time(run.startedAt()));
      n.putObject("responseResults").put("added", c.added()).put("updated", c.updated()).put("deleted", c.deleted());
    });
    run.error().ifPresent(e -> {
      ObjectNode error = n.putObject("error").put("type", e.code()).put("description", e.message());
      error.putObject("payload");
      error.putObject("additional_properties");
      n.put("startedAt", time(run.startedAt())).put("failedAt", time(e.failedAt()));
    });
    return new OutboxEvent(ids.get(), "sync", Optional.of(run.counts().isPresent() ? "success" : "failure"), n);
  }

  private static String time(Instant t) {
    return ZULU.format(t);
  }
}

package dev.graphgate.server.connection;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A connection as {@code GET /connections} lists it: no credentials, no token. */
public record ConnectionSummary(
    long id,
    String connectionId,
    String integrationKey,
    String provider,
    ConnectionStatus status,
    Optional<String> errorLogId,
    Optional<JsonNode> endUser,
    Map<String, String> tags,
    Optional<JsonNode> metadata,
    Instant createdAt) {}

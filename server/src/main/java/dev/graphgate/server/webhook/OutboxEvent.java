package dev.graphgate.server.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One event for the customer's app: a random {@code eventId} (sent as {@code X-Graphgate-Event-Id}, so a receiver can
 * drop the rare repeat after a crash mid-send), its {@code type} and {@code operation} (for the deliveries list), and
 * the payload whose sorted-key bytes are the body.
 */
public record OutboxEvent(String eventId, String type, Optional<String> operation, ObjectNode payload) {
  public OutboxEvent {
    Objects.requireNonNull(eventId);
    Objects.requireNonNull(type);
    Objects.requireNonNull(operation);
    payload = payload.deepCopy();
  }

  /** The integration the event is about: the payload's {@code providerConfigKey}, as Nango's payloads carry it. */
  public Optional<String> integrationKey() {
    return text("providerConfigKey");
  }

  /** The connection the event is about ({@code connectionId}); none for a connect attempt that stored nothing. */
  public Optional<String> connectionId() {
    return text("connectionId");
  }

  private Optional<String> text(String field) {
    return payload.path(field).isTextual() ? Optional.of(payload.get(field).asText()) : Optional.empty();
  }

  public String body() {
    return SortedJson.write(payload);
  }
}

package dev.graphgate.server.webhook;

import dev.graphgate.server.connection.EndUser;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection a connect session tried to create and Entra refused: nothing was stored. {@code errorCode} and
 * {@code message} are what the API answered; {@code status} the connection's status it would have had;
 * {@code webhookUrlOverride} the session's.
 */
public record CreationFailure(String integrationKey, String provider, Map<String, String> tags, Optional<EndUser> endUser,
    String errorCode, String message, String status, Optional<String> webhookUrlOverride) {
  public CreationFailure {
    Objects.requireNonNull(integrationKey);
    Objects.requireNonNull(provider);
    tags = Map.copyOf(tags);
    Objects.requireNonNull(endUser);
    Objects.requireNonNull(errorCode);
    Objects.requireNonNull(message);
    Objects.requireNonNull(status);
    Objects.requireNonNull(webhookUrlOverride);
  }
}

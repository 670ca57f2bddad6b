package dev.graphgate.server.integration;

import dev.graphgate.server.secret.Secret;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An integration: a unique key bound to a provider, the scopes its connections request by default, and optionally
 * the multi-tenant app's shared credentials and the webhook secret Graph sends back as {@code clientState}.
 */
public record Integration(
    long id,
    String uniqueKey,
    String provider,
    Optional<String> displayName,
    boolean forwardWebhooks,
    String scopes,
    Optional<AppCredentials> sharedCredentials,
    Optional<Secret> webhookSecret,
    Instant createdAt,
    Instant updatedAt) {

  public Integration {
    Objects.requireNonNull(uniqueKey);
    Objects.requireNonNull(provider);
    Objects.requireNonNull(scopes);
  }
}

package dev.graphgate.server.integration;

import dev.graphgate.server.secret.Secret;
import java.util.Optional;

/**
 * A new integration or the changes to one: on update, an empty field means "leave as is".
 * {@code clearSharedCredentials} removes stored shared credentials.
 */
public record IntegrationDraft(
    Optional<String> uniqueKey,
    Optional<String> provider,
    Optional<String> displayName,
    Optional<Boolean> forwardWebhooks,
    Optional<String> scopes,
    Optional<AppCredentials> sharedCredentials,
    boolean clearSharedCredentials,
    Optional<Secret> webhookSecret) {

  public static IntegrationDraft empty() {
    return new IntegrationDraft(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), false, Optional.empty());
  }
}

package dev.graphgate.server.webhook;

import dev.graphgate.server.secret.Secret;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The environment's webhook settings (nango-api.md §7.1): up to two destinations, Nango's switches by name, and the
 * signing key with the previous one while its grace period lasts. {@code toString} never shows a key.
 */
public record WebhookSettings(
    Optional<String> primaryUrl,
    Optional<String> secondaryUrl,
    Map<String, Boolean> switches,
    Optional<Secret> signingKey,
    Optional<Secret> previousKey,
    Optional<Instant> previousKeyUntil,
    Instant updatedAt) {

  public WebhookSettings {
    Objects.requireNonNull(primaryUrl);
    Objects.requireNonNull(secondaryUrl);
    Objects.requireNonNull(signingKey);
    Objects.requireNonNull(previousKey);
    Objects.requireNonNull(previousKeyUntil);
    switches = Map.copyOf(switches);
  }

  public boolean on(String name) {
    return switches.getOrDefault(name, true);
  }

  /** The previous key, while it still signs a second header at {@code now}. */
  public Optional<Secret> previousKeyAt(Instant now) {
    return previousKeyUntil.filter(now::isBefore).flatMap(u -> previousKey);
  }

  @Override
  public String toString() {
    return "WebhookSettings[primaryUrl=" + primaryUrl.isPresent() + ", secondaryUrl=" + secondaryUrl.isPresent() + ", switches=" + switches
        + ", signingKey=" + (signingKey.isPresent() ? "(set)" : "(unset)") + "]";
  }
}

package dev.graphgate.server.notification;

import java.time.Instant;
import java.util.Optional;

/**
 * One Graph subscription Graphgate keeps for a connection's sync (a row of {@code graph_subscriptions}): the resource
 * and change types, Graph's id once created, its expiry, and the next thing to do with it. The clientState secret is
 * not part of it: only {@link SubscriptionRepository} unseals it, for the receiver's check and for a creation.
 */
public record Subscription(long id, long connectionId, String syncName, String resource, String changeType, Optional<String> graphId,
    Status status, Optional<Instant> expiresAt, Action action, Instant dueAt, int renewals, int failures, Optional<String> lastError,
    Instant createdAt, Instant updatedAt) {

  /** {@code pending}: not yet created at Graph; {@code active}: Graph delivers to it; {@code failed}: the last attempt failed (retried at {@code dueAt}). */
  public enum Status {
    PENDING, ACTIVE, FAILED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What the worker does at {@code dueAt}. */
  public enum Action {
    CREATE, RENEW, REAUTHORIZE, DELETE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}

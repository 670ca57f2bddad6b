package dev.graphgate.emulator.graph.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One notification the emulator sends (a change or a lifecycle event) and how its delivery went. The state fields are
 * written by {@link NotificationDelivery} under its destination's lock and read by the admin API.
 */
public final class SentNotification {

  public enum Kind {
    CHANGE,
    LIFECYCLE
  }

  public enum State {
    PENDING,
    DELIVERED,
    /** Dropped without being sent, by the admin API's {@code drop} mode. */
    DROPPED,
    /** Failed on every attempt until the retry horizon (Graph's 4 hours, scaled) passed. */
    ABANDONED
  }

  final long id;
  final String tenantId;
  final String subscriptionId;
  final Kind kind;
  final String url;
  /** The item as it goes into {@code {"value": [...]}}. */
  final Map<String, Object> payload;
  final Instant createdAt;

  volatile State state = State.PENDING;
  volatile int attempts;
  volatile Instant deliveredAt;
  volatile Instant nextAttemptAt;
  long firstAttemptNanos;
  long dueNanos;

  SentNotification(long id, String tenantId, String subscriptionId, Kind kind, String url, Map<String, Object> payload, Instant createdAt) {
    this.id = id;
    this.tenantId = tenantId;
    this.subscriptionId = subscriptionId;
    this.kind = kind;
    this.url = url;
    this.payload = payload;
    this.createdAt = createdAt;
  }

  public long id() {
    return id;
  }

  public String tenantId() {
    return tenantId;
  }

  public String subscriptionId() {
    return subscriptionId;
  }

  public Kind kind() {
    return kind;
  }

  public State state() {
    return state;
  }

  /** What the admin API shows. */
  public Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id);
    view.put("tenantId", tenantId);
    view.put("subscriptionId", subscriptionId);
    view.put("kind", kind == Kind.CHANGE ? "change" : "lifecycle");
    view.put("url", url);
    view.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    view.put("attempts", attempts);
    view.put("createdAt", createdAt.toString());
    view.put("deliveredAt", deliveredAt == null ? null : deliveredAt.toString());
    view.put("nextAttemptAt", state == State.PENDING && nextAttemptAt != null ? nextAttemptAt.toString() : null);
    view.put("notification", payload);
    return view;
  }
}

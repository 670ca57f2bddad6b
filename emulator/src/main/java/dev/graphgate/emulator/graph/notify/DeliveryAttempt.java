package dev.graphgate.emulator.graph.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One POST the emulator made to a receiver: a batch of notifications, or a validation handshake.
 *
 * @param kind {@code change}, {@code lifecycle} or {@code validation}
 * @param attempt for a batch, the highest attempt number among its notifications (1 for a first try)
 * @param status the HTTP status answered, or null when none came (timeout, connection refused)
 * @param outcome {@code delivered} (2xx, or the handshake passed), {@code rejected} (another status, or a wrong echo),
 *     {@code timeout} (no answer within the limit), {@code unreachable} (the connection failed)
 * @param slow whether the answer took longer than 2,900 ms, what Graph counts as slow
 */
public record DeliveryAttempt(
    long id, String kind, String url, List<Long> notificationIds, List<String> subscriptionIds, int attempt, Instant startedAt,
    long durationMillis, Integer status, String outcome, boolean slow, String detail) {

  public static final long SLOW_MILLIS = 2_900;

  public Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id);
    view.put("kind", kind);
    view.put("url", url);
    view.put("notificationIds", notificationIds);
    view.put("subscriptionIds", subscriptionIds);
    view.put("attempt", attempt);
    view.put("startedAt", startedAt.toString());
    view.put("durationMillis", durationMillis);
    view.put("status", status);
    view.put("outcome", outcome);
    view.put("slow", slow);
    view.put("detail", detail);
    return view;
  }
}

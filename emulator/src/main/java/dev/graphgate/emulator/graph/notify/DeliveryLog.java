package dev.graphgate.emulator.graph.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the admin API reads back: the latest notifications (with their states) and delivery attempts, each kept up to
 * {@link #CAPACITY} (the oldest forgotten first), so a benchmark's burst fits and a long run does not grow memory.
 */
final class DeliveryLog {

  static final int CAPACITY = 20_000;

  private final Deque<SentNotification> notifications = new ArrayDeque<>();
  private final Deque<DeliveryAttempt> attempts = new ArrayDeque<>();

  synchronized void add(SentNotification notification) {
    if (notifications.size() == CAPACITY) {
      notifications.removeFirst();
    }
    notifications.addLast(notification);
  }

  synchronized void add(DeliveryAttempt attempt) {
    if (attempts.size() == CAPACITY) {
      attempts.removeFirst();
    }
    attempts.addLast(attempt);
  }

  synchronized List<SentNotification> notifications(Predicate<SentNotification> filter) {
    List<SentNotification> out = new ArrayList<>();
    for (SentNotification n : notifications) {
      if (filter.test(n)) {
        out.add(n);
      }
    }
    return out;
  }

  synchronized List<DeliveryAttempt> attempts(Predicate<DeliveryAttempt> filter) {
    List<DeliveryAttempt> out = new ArrayList<>();
    for (DeliveryAttempt a : attempts) {
      if (filter.test(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Forgets what was recorded; notifications still pending keep being delivered. */
  synchronized void clear() {
    notifications.clear();
    attempts.clear();
  }
}

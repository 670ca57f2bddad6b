package dev.graphgate.server.notification;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link NotificationReceiverContract} on PostgreSQL. */
class NotificationReceiverPostgresTest extends NotificationReceiverContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.postgres());
  }
}

package dev.graphgate.server.notification;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link NotificationsEndToEndContract} on PostgreSQL. */
class NotificationsEndToEndPostgresTest extends NotificationsEndToEndContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.postgres());
  }
}

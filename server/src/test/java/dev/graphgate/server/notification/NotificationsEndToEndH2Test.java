package dev.graphgate.server.notification;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link NotificationsEndToEndContract} on H2. */
class NotificationsEndToEndH2Test extends NotificationsEndToEndContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.h2());
  }
}

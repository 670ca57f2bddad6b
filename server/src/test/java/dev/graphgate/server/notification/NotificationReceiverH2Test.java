package dev.graphgate.server.notification;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link NotificationReceiverContract} on H2. */
class NotificationReceiverH2Test extends NotificationReceiverContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.h2());
  }
}

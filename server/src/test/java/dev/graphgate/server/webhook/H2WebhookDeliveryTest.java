package dev.graphgate.server.webhook;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

class H2WebhookDeliveryTest extends WebhookDeliveryContract {
  @BeforeAll
  static void startOnH2() {
    start(TestDatabase.h2());
  }
}

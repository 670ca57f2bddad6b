package dev.graphgate.server.webhook;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

class PostgresWebhookDeliveryTest extends WebhookDeliveryContract {
  @BeforeAll
  static void startOnPostgres() {
    start(TestDatabase.postgres());
  }
}

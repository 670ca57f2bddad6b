package dev.graphgate.server.sync;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link MessagesAndEventsSyncContract} on PostgreSQL. */
class MessagesAndEventsSyncPostgresTest extends MessagesAndEventsSyncContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.postgres());
  }
}

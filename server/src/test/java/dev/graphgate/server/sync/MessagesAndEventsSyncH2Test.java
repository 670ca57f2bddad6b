package dev.graphgate.server.sync;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link MessagesAndEventsSyncContract} on H2. */
class MessagesAndEventsSyncH2Test extends MessagesAndEventsSyncContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.h2());
  }
}

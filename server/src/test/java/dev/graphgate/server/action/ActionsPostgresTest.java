package dev.graphgate.server.action;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

class ActionsPostgresTest extends ActionsContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.postgres());
  }
}

package dev.graphgate.server.action;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

class ActionsH2Test extends ActionsContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.h2());
  }
}

package dev.graphgate.server.sync;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link UsersAndGroupsSyncContract} on H2. */
class UsersAndGroupsSyncH2Test extends UsersAndGroupsSyncContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.h2());
  }
}

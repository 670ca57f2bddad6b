package dev.graphgate.server.sync;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link UsersAndGroupsSyncContract} on PostgreSQL. */
class UsersAndGroupsSyncPostgresTest extends UsersAndGroupsSyncContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.postgres());
  }
}

package dev.graphgate.server.sync;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link DrivesAndSitesSyncContract} on PostgreSQL. */
class DrivesAndSitesSyncPostgresTest extends DrivesAndSitesSyncContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.postgres());
  }
}

package dev.graphgate.server.sync;

import dev.graphgate.server.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link DrivesAndSitesSyncContract} on H2. */
class DrivesAndSitesSyncH2Test extends DrivesAndSitesSyncContract {
  @BeforeAll
  static void start() {
    startOn(TestDatabase.h2());
  }
}

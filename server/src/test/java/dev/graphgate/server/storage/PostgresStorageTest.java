package dev.graphgate.server.storage;

import dev.graphgate.server.testing.TestDatabase;
import java.nio.file.Path;

class PostgresStorageTest extends StorageContract {
  @Override
  TestDatabase newDatabase(Path dataDir) {
    return TestDatabase.postgres();
  }
}

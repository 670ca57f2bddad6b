package dev.graphgate.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2StorageTest extends StorageContract {
  @Override
  TestDatabase newDatabase(Path dataDir) {
    return TestDatabase.h2();
  }

  @Test
  void theEmbeddedDatabaseFileHoldsNoSecretInPlainText() throws Exception {
    Graphgate g = start(config().databaseUrl(null).databaseUser("").encryptionKey(null));
    seed(TestServers.client(g), "file");
    g.close();
    servers.remove(g);
    Path file = dataDir.resolve("graphgate.mv.db");
    assertThat(file).exists();
    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertThat(bytes).contains("gg1.");
    for (String secret : List.of(SECRET, SHARED_SECRET, WEBHOOK_SECRET, "token-body-c0ffee", privateKeyBody)) {
      assertThat(bytes).doesNotContain(secret);
    }
    assertThat(dataDir.resolve("encryption.keys")).exists();
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("encryption.keys")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }
}

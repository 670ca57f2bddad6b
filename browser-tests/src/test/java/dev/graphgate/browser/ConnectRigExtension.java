package dev.graphgate.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link ConnectRig} for a test class, as a JUnit extension on a static field: started before the class's first
 * test (emulator, Graphgate, the app's page, one browser), closed after its last, with a data directory of its own.
 */
final class ConnectRigExtension implements BeforeAllCallback, AfterAllCallback {
  private Path dataDir;
  private ConnectRig rig;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("gg-connect-rig");
    rig = new ConnectRig(dataDir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (rig != null) {
        rig.close();
      }
    } finally {
      rig = null;
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete " + dataDir, e);
      }
    }
  }

  ConnectRig rig() {
    if (rig == null) {
      throw new IllegalStateException("the Connect rig runs only inside a test class that registers it with @RegisterExtension");
    }
    return rig;
  }
}

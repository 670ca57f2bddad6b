package dev.graphgate.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A data directory for a rig that is not a test parameter: made when the rig starts, deleted when it stops. */
final class TempDirectory {
  private final String prefix;
  private Path path;

  TempDirectory(String prefix) {
    this.prefix = prefix;
  }

  Path create() {
    try {
      path = Files.createTempDirectory(prefix);
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void delete() {
    if (path == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + path, e);
    } finally {
      path = null;
    }
  }
}

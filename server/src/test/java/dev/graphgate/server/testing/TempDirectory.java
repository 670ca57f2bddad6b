package dev.graphgate.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Data directories for a rig, not test parameters: made when the rig starts, deleted when it stops. */
final class TempDirectory {
  private final String prefix;
  private final List<Path> paths = new ArrayList<>();

  TempDirectory(String prefix) {
    this.prefix = prefix;
  }

  Path create() {
    try {
      Path path = Files.createTempDirectory(prefix);
      paths.add(path);
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void delete() {
    try {
      for (Path path : paths) {
        try (Stream<Path> files = Files.walk(path)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("could not delete " + path, e);
        }
      }
    } finally {
      paths.clear();
    }
  }
}

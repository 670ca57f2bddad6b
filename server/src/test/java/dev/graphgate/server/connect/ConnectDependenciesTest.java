package dev.graphgate.server.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code connect} sits above {@code auth} and {@code connection} (it uses tokens and connections to run admin consent),
 * never below: nothing in those packages may import it, or the one-way dependency would turn into a cycle.
 */
class ConnectDependenciesTest {
  static final Path SOURCES = Path.of("src/main/java/dev/graphgate/server");

  @Test
  void authAndConnectionDoNotImportConnect() throws IOException {
    for (String below : List.of("auth", "connection", "entra", "web")) {
      try (Stream<Path> files = Files.walk(SOURCES.resolve(below))) {
        List<Path> importing = files.filter(f -> f.toString().endsWith(".java")).filter(ConnectDependenciesTest::importsConnect).toList();
        assertThat(importing).as("files in %s importing dev.graphgate.server.connect", below).isEmpty();
      }
    }
  }

  private static boolean importsConnect(Path file) {
    try {
      return Files.readString(file).contains("import dev.graphgate.server.connect.");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

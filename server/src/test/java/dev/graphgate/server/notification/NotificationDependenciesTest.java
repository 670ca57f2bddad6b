package dev.graphgate.server.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code notification} sits above {@code sync}, {@code graph} and {@code webhook} (it asks for runs, writes to Graph
 * and forwards through the outbox): only {@code api} and the root ({@code Graphgate}, {@code KeyRotation}, which re-seals its clientState column) may import
 * it; a package below importing it would turn the one-way dependency into a cycle.
 */
class NotificationDependenciesTest {
  static final Path SOURCES = Path.of("src/main/java/dev/graphgate/server");

  @Test
  void onlyTheApiAndTheCompositionRootImportNotification() throws IOException {
    List<Path> importing;
    try (Stream<Path> files = Files.walk(SOURCES)) {
      importing = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.startsWith(SOURCES.resolve("notification")) && !f.startsWith(SOURCES.resolve("api")))
          .filter(f -> !f.equals(SOURCES.resolve("Graphgate.java")) && !f.equals(SOURCES.resolve("KeyRotation.java")))
          .filter(NotificationDependenciesTest::importsNotification).toList();
    }
    assertThat(importing).as("files outside api and the root importing dev.graphgate.server.notification").isEmpty();
  }

  private static boolean importsNotification(Path file) {
    try {
      return Files.readString(file).contains("import dev.graphgate.server.notification.");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

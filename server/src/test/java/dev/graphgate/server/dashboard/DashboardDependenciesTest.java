package dev.graphgate.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard reads through services, never repositories (DESIGN): no class of the {@code dashboard} package, nor
 * the API's dashboard routes, imports a repository of any package, so each table keeps its one owner.
 */
class DashboardDependenciesTest {
  static final Path SOURCES = Path.of("src/main/java/dev/graphgate/server");
  static final Pattern REPOSITORY = Pattern.compile("^import dev\\.graphgate\\.server\\.[\\w.]+Repository(\\.\\w+)*;", Pattern.MULTILINE);

  @Test
  void noDashboardClassImportsARepository() throws IOException {
    List<Path> dashboard;
    try (Stream<Path> files = Files.walk(SOURCES.resolve("dashboard"))) {
      dashboard = files.filter(f -> f.toString().endsWith(".java")).toList();
    }
    assertThat(dashboard).as("the dashboard package's sources").isNotEmpty();
    List<Path> all = Stream.concat(dashboard.stream(), Stream.of(SOURCES.resolve("api/DashboardHandler.java"), SOURCES.resolve("api/LogsHandler.java")))
        .toList();
    assertThat(all).allMatch(Files::exists);
    assertThat(all.stream().filter(DashboardDependenciesTest::importsARepository)).as("files importing a repository").isEmpty();
  }

  @Test
  void theCheckSeesARepositoryImport() {
    assertThat(REPOSITORY.matcher("import dev.graphgate.server.observe.ProxyLogRepository;").find()).isTrue();
    assertThat(REPOSITORY.matcher("import dev.graphgate.server.observe.RequestLogReader;").find()).isFalse();
  }

  private static boolean importsARepository(Path file) {
    try {
      return REPOSITORY.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

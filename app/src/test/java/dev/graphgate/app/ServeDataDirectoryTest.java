package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database belongs to one process: a second {@code serve} on the same data directory stops at once, saying why. */
class ServeDataDirectoryTest {
  @TempDir Path temp;

  @Test
  void secondServeOnTheSameDataDirectoryThenItStopsNamingTheDirectoryAndPostgres() throws Exception {
    Path dataDir = temp.resolve("data");
    Map<String, String> settings = ServeProcess.baseSettings(dataDir);
    try (ServeProcess first = ServeProcess.startHealthy(settings)) {
      Map<String, String> other = new HashMap<>(settings);
      other.put("GRAPHGATE_PORT", Integer.toString(ServeProcess.freePort()));
      try (ServeProcess second = ServeProcess.start(other)) {
        int exit = second.awaitExit();
        String output = second.output();
        assertThat(exit).as(output).isEqualTo(2);
        assertThat(output)
            .contains("graphgate: The data directory " + dataDir + " is in use by another Graphgate process")
            .contains("PostgreSQL")
            .doesNotContain("server mode")
            .doesNotContain("Exception");
      }
      assertThat(first.api().get("/health").status()).as("the first process still serves").isEqualTo(200);
    }
  }
}

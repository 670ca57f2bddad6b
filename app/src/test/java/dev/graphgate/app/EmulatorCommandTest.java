package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A bad option value is a usage error of {@code graphgate emulator}, reported like picocli's own. */
class EmulatorCommandTest {

  @Test
  void unknownThrottlingIsAUsageErrorShowingTheRealDefault() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err, true)).execute("emulator", "--throttling", "bogus");

    assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString())
        .contains("Invalid value for option '--throttling': expected none or microsoft but was 'bogus'")
        .contains("Usage: graphgate emulator")
        .contains("Default: none.")
        .doesNotContain("Default: bogus");
  }
}

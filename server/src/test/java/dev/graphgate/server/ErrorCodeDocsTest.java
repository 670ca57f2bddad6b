package dev.graphgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/errors.md lists exactly the codes an API caller can see, with their statuses. */
class ErrorCodeDocsTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE);

  @Test
  void errorsPageListsEveryCodeWithItsStatusAndNothingElse() throws Exception {
    String page = Files.readString(Path.of("..", "docs", "errors.md"));
    List<String> documented = new ArrayList<>();
    Matcher m = ROW.matcher(page);
    while (m.find()) {
      documented.add(m.group(1) + " " + m.group(2));
    }
    List<String> inCode = Arrays.stream(ErrorCode.values()).map(c -> c.wire() + " " + c.status()).toList();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(inCode);
  }

  @Test
  void codesAreSnakeCaseOrNangosNetworkCodes() {
    assertThat(ErrorCode.values()).allMatch(c -> c.wire().matches("[a-z]+(_[a-z0-9]+)*") || ErrorCode.network().contains(c));
  }

  @Test
  void networkFailuresAreNangosCodesAtGatewayStatuses() {
    assertThat(ErrorCode.network()).extracting(ErrorCode::wire)
        .containsExactlyInAnyOrder("ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN", "EINVAL", "ECONNABORTED");
    assertThat(ErrorCode.network()).allMatch(c -> c.status() == 502 || c.status() == 504);
  }
}

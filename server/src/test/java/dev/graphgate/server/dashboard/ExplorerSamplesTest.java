package dev.graphgate.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.graph.PermissionCheck;
import dev.graphgate.server.graph.PermissionTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every sample query the Explorer offers (SAMPLES in explorer.js, as the page is served) is a request the permission
 * table lists, so the Explorer can say before the call which application permissions it needs.
 */
class ExplorerSamplesTest {
  private static final Pattern SAMPLE = Pattern.compile("\\{ name: '[^']*', method: '(\\w+)', path: '([^']+)' }");

  @Test
  void everySampleQueryIsInThePermissionTable() throws IOException {
    String script;
    try (InputStream in = ExplorerSamplesTest.class.getResourceAsStream("/dev/graphgate/server/dashboard/ui/explorer.js")) {
      assertThat(in).as("explorer.js on the classpath").isNotNull();
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String samples = script.substring(script.indexOf("export const SAMPLES = ["), script.indexOf("];", script.indexOf("export const SAMPLES = [")));
    PermissionTable table = PermissionTable.shipped();
    List<String> checked = new ArrayList<>();
    Matcher m = SAMPLE.matcher(samples);
    while (m.find()) {
      String method = m.group(1);
      // The page asks the operator to replace {user}; the Explorer sends v1.0 unless told otherwise.
      String path = "/v1.0" + m.group(2).replace("{user}", "adele@contoso.onmicrosoft.com");
      PermissionCheck check = PermissionCheck.of(method, table.lookup(method, path), List.of());
      assertThat(check.verdict()).as("%s %s", method, path).isNotEqualTo(PermissionCheck.Verdict.UNLISTED);
      checked.add(path);
    }
    // Every line of the list was read: as many checked as there are samples.
    assertThat(checked).hasSize((int) samples.lines().filter(l -> l.trim().startsWith("{ name:")).count()).hasSizeGreaterThanOrEqualTo(7);
  }
}

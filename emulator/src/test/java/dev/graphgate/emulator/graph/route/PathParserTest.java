package dev.graphgate.emulator.graph.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathParserTest {

  @Test
  void keySyntaxBecomesASegment() {
    assertThat(PathParser.parse("users('abc')/mailfolders('Inbox')/messages/delta").segments())
        .containsExactly("users", "abc", "mailfolders", "Inbox", "messages", "delta");
  }

  @Test
  void alternateKeysKeepTheirName() {
    assertThat(PathParser.parse("servicePrincipals(appId='00000003-0000-0000-c000-000000000000')").segments())
        .containsExactly("servicePrincipals", "appId=00000003-0000-0000-c000-000000000000");
  }

  @Test
  void functionParametersBecomeQueryParameters() {
    PathParser.Parsed parsed = PathParser.parse("drives/b!x/root/delta(token='abc')");
    assertThat(parsed.segments()).containsExactly("drives", "b!x", "root", "delta");
    assertThat(parsed.functionParams()).containsExactly(Map.entry("token", "abc"));
    assertThat(PathParser.parse("drives/b!x/root/delta()").segments()).endsWith("delta");
  }

  @Test
  void pathAddressingIsOneSegment() {
    assertThat(PathParser.parse("drives/d/root:/My%20Folder/a.txt:/content").segments())
        .containsExactly("drives", "d", "root", ":/My Folder/a.txt", "content");
    assertThat(PathParser.parse("drives/d/root:/My Folder/").segments()).containsExactly("drives", "d", "root", ":/My Folder");
    assertThat(PathParser.parse("sites/contoso.sharepoint.com:/sites/marketing").segments())
        .containsExactly("sites", "contoso.sharepoint.com", ":/sites/marketing");
  }

  @Test
  void percentEncodedSegmentsAreDecodedButPlusIsLiteral() {
    assertThat(PathParser.parse("users/a%2Bb%40contoso.com").segments()).isEqualTo(List.of("users", "a+b@contoso.com"));
    assertThat(PathParser.parse("users/a+b@contoso.com").segments()).isEqualTo(List.of("users", "a+b@contoso.com"));
  }
}

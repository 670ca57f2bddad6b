package dev.graphgate.server.action;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GraphPathsTest {
  @Test
  void aUserPrincipalNameStaysReadableAndNothingInAnInputCanChangeThePathsShape() {
    assertThat(GraphPaths.user("ann.lee@contoso.com")).isEqualTo("/v1.0/users/ann.lee@contoso.com");
    assertThat(GraphPaths.segment("ann_contoso.com#EXT#@fabrikam.onmicrosoft.com")).isEqualTo("ann_contoso.com%23EXT%23@fabrikam.onmicrosoft.com");
    assertThat(GraphPaths.segment("a?$select=x&b=/../groups")).isEqualTo("a%3F%24select%3Dx%26b%3D%2F..%2Fgroups");
    assertThat(GraphPaths.segment("Q1 summary (final).txt")).isEqualTo("Q1%20summary%20%28final%29.txt");
    assertThat(GraphPaths.segment("café")).isEqualTo("caf%C3%A9");
  }
}

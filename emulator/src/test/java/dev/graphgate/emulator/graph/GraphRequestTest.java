package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.emulator.graph.http.GraphRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphRequestTest {

  @Test
  void printedRequestNamesMethodAndPathButNeverTheBearerToken() {
    GraphRequest request = new GraphRequest("GET", "v1.0", "users", List.of(), Map.of("Authorization", "Bearer eyJsecret.token.value"),
        "{\"password\":\"p\"}".getBytes(), "http://127.0.0.1:3902");

    assertThat(request.toString()).contains("GET", "/v1.0/users").doesNotContain("eyJsecret").doesNotContain("password");
  }
}

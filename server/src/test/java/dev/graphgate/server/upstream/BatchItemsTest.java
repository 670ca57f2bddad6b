package dev.graphgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which items of an answered batch {@link BatchItems#throttled} sends again. */
class BatchItemsTest {
  private static final byte[] REQUEST = """
      {"requests":[
        {"id":"1","method":"GET","url":"/users/a"},
        {"id":"2","method":"PATCH","url":"/users/b","body":{"city":"x"},"headers":{"Content-Type":"application/json"}},
        {"id":"3","method":"GET","url":"/users/c"},
        {"id":"4","method":"GET","url":"/users/d","dependsOn":["3"]},
        {"id":"5","method":"GET","url":"/users/e"}]}""".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ANSWER = """
      {"responses":[
        {"id":"1","status":503,"body":{"error":{"code":"serviceNotAvailable"}}},
        {"id":"2","status":503,"body":{"error":{"code":"serviceNotAvailable"}}},
        {"id":"3","status":429,"headers":{"Retry-After":"3"},"body":{"error":{"code":"TooManyRequests"}}},
        {"id":"4","status":424,"body":{"error":{"code":"FailedDependency"}}},
        {"id":"5","status":200,"body":{"id":"e"}}]}""".getBytes(StandardCharsets.UTF_8);

  @Test
  void anUnavailableReadIsSentAgainWithTheThrottledItemsButAnUnavailableWriteNever() throws Exception {
    BatchItems.Plan plan = BatchItems.throttled(REQUEST, ANSWER, Instant.EPOCH, true).orElseThrow();
    JsonNode items = Json.MAPPER.readTree(plan.body()).path("requests");
    List<String> ids = new ArrayList<>();
    items.forEach(i -> ids.add(i.path("id").asText()));
    assertThat(ids).containsExactly("1", "3", "4");
    assertThat(items.get(2).path("dependsOn").get(0).asText()).isEqualTo("3");
    assertThat(plan.readOnly()).isTrue();
    assertThat(plan.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void theProxySendsAgainOnlyWhatGraphThrottled() throws Exception {
    BatchItems.Plan plan = BatchItems.throttled(REQUEST, ANSWER, Instant.EPOCH).orElseThrow();
    List<String> ids = new ArrayList<>();
    Json.MAPPER.readTree(plan.body()).path("requests").forEach(i -> ids.add(i.path("id").asText()));
    assertThat(ids).containsExactly("3", "4");
  }
}

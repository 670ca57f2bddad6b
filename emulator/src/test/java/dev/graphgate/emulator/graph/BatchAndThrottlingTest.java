package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.throttle.ThrottleSettings;
import dev.graphgate.emulator.graph.throttle.Throttler;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchAndThrottlingTest {

  static SettableClock clock = new SettableClock(Instant.parse("2025-03-14T12:00:00Z"));
  static GraphTestEmulator emulator;
  static Tenant tenant;
  static Http graph;
  static List<String> userIds = new ArrayList<>();

  @BeforeAll
  static void start() {
    emulator = GraphTestEmulator.start(EmulatorConfig.ephemeral().withClock(clock));
    tenant = emulator.tenant("batch", GraphTestEmulator.spec(30, 2, 5, 5, 0, 0, 1));
    graph = emulator.graph(emulator.token(tenant, "User.ReadWrite.All", "Mail.ReadWrite"));
    graph.get("users?$top=30").json().path("value").forEach(u -> userIds.add(u.path("id").asText()));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void throttlingOff() {
    emulator.admin().delete("throttling");
  }

  static Map<String, JsonNode> byId(Http.Response reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    Map<String, JsonNode> out = new HashMap<>();
    reply.json().path("responses").forEach(r -> out.put(r.path("id").asText(), r));
    return out;
  }

  @Test
  void aBatchRunsEachRequestAndAnswersEachById() {
    String body = """
        {"requests":[
          {"id":"1","method":"GET","url":"/users?$top=5"},
          {"id":"2","method":"PATCH","url":"/users/%s","body":{"city":"Redmond"},"headers":{"Content-Type":"application/json"}},
          {"id":"3","method":"GET","url":"users?$filter=city eq 'Redmond'&$select=id,city"},
          {"id":"4","method":"GET","url":"/users/nobody@batch.onmicrosoft.com"}]}""".formatted(userIds.get(3));
    Map<String, JsonNode> responses = byId(graph.post("$batch", body));
    assertThat(responses.get("1").path("status").asInt()).isEqualTo(200);
    assertThat(responses.get("1").path("body").path("value")).hasSize(5);
    assertThat(responses.get("1").path("headers").path("Content-Type").asText()).startsWith("application/json");
    assertThat(responses.get("2").path("status").asInt()).isEqualTo(204);
    assertThat(responses.get("3").path("status").asInt()).isEqualTo(200);
    assertThat(responses.get("4").path("status").asInt()).isEqualTo(404);
    assertThat(responses.get("4").path("body").path("error").path("code").asText()).isEqualTo("Request_ResourceNotFound");
  }

  @Test
  void dependentRequestsRunInOrderAndFailWith424WhenTheirDependencyFails() {
    String body = """
        {"requests":[
          {"id":"a","method":"PATCH","url":"/users/%s","body":{"jobTitle":"Step one"},"headers":{"Content-Type":"application/json"}},
          {"id":"b","dependsOn":["a"],"method":"GET","url":"/users/%s?$select=jobTitle"},
          {"id":"c","method":"GET","url":"/users/00000000-0000-4000-8000-000000000001"},
          {"id":"d","dependsOn":["c"],"method":"GET","url":"/users"}]}""".formatted(userIds.get(4), userIds.get(4));
    Map<String, JsonNode> responses = byId(graph.post("$batch", body));
    assertThat(responses.get("b").path("body").path("jobTitle").asText()).isEqualTo("Step one");
    assertThat(responses.get("c").path("status").asInt()).isEqualTo(404);
    assertThat(responses.get("d").path("status").asInt()).isEqualTo(424);
  }

  @Test
  void malformedBatchesAreRefusedWhole() {
    StringBuilder many = new StringBuilder("{\"requests\":[");
    for (int i = 0; i < 21; i++) {
      many.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/users\"}");
    }
    many.append("]}");
    assertThat(graph.post("$batch", many.toString()).status()).isEqualTo(400);
    assertThat(graph.post("$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"},{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}]}").status()).isEqualTo(400);
    assertThat(graph.post("$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"9\"]}]}").status()).isEqualTo(400);
    assertThat(graph.post("$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"POST\",\"url\":\"/users\",\"body\":{}}]}").status()).isEqualTo(400);
    assertThat(graph.post("$batch", "not json").status()).isEqualTo(400);
  }

  @Test
  void anItemWithABadlyEncodedQueryFailsAloneWith400() {
    String body = """
        {"requests":[
          {"id":"bad","method":"GET","url":"/users?$filter=%zz"},
          {"id":"good","method":"GET","url":"/users?$top=1"}]}
        """;
    Map<String, JsonNode> responses = byId(graph.post("$batch", body));
    assertThat(responses.get("bad").path("status").asInt()).isEqualTo(400);
    assertThat(responses.get("bad").path("body").path("error").path("message").asText()).contains("not correctly percent-encoded");
    assertThat(responses.get("good").path("status").asInt()).isEqualTo(200);
  }

  @Test
  void throttledBatchItemsGetTheirOwn429AndRetryAfter() {
    assertThat(emulator.admin().put("throttling", Map.of("appTenant", Map.of("requests", 3, "windowSeconds", 10))).status()).isEqualTo(200);
    StringBuilder body = new StringBuilder("{\"requests\":[");
    for (int i = 1; i <= 5; i++) {
      body.append(i == 1 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"dependsOn\":").append(i == 1 ? "[]" : "[\"" + (i - 1) + "\"]")
          .append(",\"method\":\"GET\",\"url\":\"/users/").append(userIds.get(i)).append("\"}");
    }
    body.append("]}");
    Map<String, JsonNode> responses = byId(graph.post("$batch", body.toString().replace("\"dependsOn\":[\"", "\"dependsOn\":[\"")));
    long ok = responses.values().stream().filter(r -> r.path("status").asInt() == 200).count();
    assertThat(ok).isEqualTo(3);
    JsonNode throttled = responses.get("4");
    assertThat(throttled.path("status").asInt()).isEqualTo(429);
    assertThat(throttled.path("headers").path("Retry-After").asInt()).isBetween(1, 10);
    assertThat(throttled.path("body").path("error").path("code").asText()).isEqualTo("TooManyRequests");
    assertThat(responses.get("5").path("status").asInt()).isEqualTo(424);
  }

  @Test
  void aClientThatHonoursRetryAfterNeverGetsASecond429ForTheSameWindow() {
    emulator.admin().put("throttling", Map.of("appTenant", Map.of("requests", 10, "windowSeconds", 10)));
    List<Integer> servedBetween429s = new ArrayList<>();
    int served = 0;
    for (int i = 0; i < 60; i++) {
      Http.Response reply = graph.get("users/" + userIds.get(i % userIds.size()) + "?$select=id");
      if (reply.status() == 429) {
        assertThat(reply.errorCode()).isEqualTo("TooManyRequests");
        assertThat(reply.json().path("error").path("innerError").path("status").asText()).isEqualTo("429");
        servedBetween429s.add(served);
        served = 0;
        clock.tick(Duration.ofSeconds(Long.parseLong(reply.header("Retry-After").orElseThrow())));
      } else {
        assertThat(reply.status()).isEqualTo(200);
        served++;
        clock.tick(Duration.ofMillis(300));
      }
    }
    // Waiting as told brings the whole budget back: each window serves all 10 requests before its one 429.
    assertThat(servedBetween429s).hasSize(5).containsOnly(10);
  }

  @Test
  void retryAfterTellsWhenTheWindowEnds() {
    emulator.admin().put("throttling", Map.of("appTenant", Map.of("requests", 2, "windowSeconds", 30)));
    graph.get("users?$top=1");
    clock.tick(Duration.ofSeconds(12));
    graph.get("users?$top=1");
    Http.Response third = graph.get("users?$top=1");
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.header("Retry-After")).contains("18");
    assertThat(third.header("x-ms-throttle-scope").orElseThrow()).contains(tenant.id());
    clock.tick(Duration.ofSeconds(17));
    assertThat(graph.get("users?$top=1").status()).isEqualTo(429);
    clock.tick(Duration.ofSeconds(2));
    assertThat(graph.get("users?$top=1").status()).isEqualTo(200);
  }

  @Test
  void outlookLimitsEachMailboxSeparately() {
    emulator.admin().put("tenants/" + tenant.id() + "/throttling", Map.of("mailbox", Map.of("requests", 2, "windowSeconds", 600, "concurrent", 4)));
    String first = userIds.get(0);
    String second = userIds.get(1);
    assertThat(graph.get("users/" + first + "/messages").status()).isEqualTo(200);
    assertThat(graph.get("users/" + first + "/mailFolders").status()).isEqualTo(200);
    Http.Response throttled = graph.get("users/" + first + "/messages");
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.errorCode()).isEqualTo("ApplicationThrottled");
    assertThat(Long.parseLong(throttled.header("Retry-After").orElseThrow())).isBetween(590L, 600L);
    assertThat(graph.get("users/" + second + "/messages").status()).isEqualTo(200);
    assertThat(graph.get("users/" + first).status()).as("directory requests are not mailbox requests").isEqualTo(200);
    emulator.admin().delete("tenants/" + tenant.id() + "/throttling");
  }

  @Test
  void aMailboxThatDoesNotExistHasNoBudgetAndAnswersNotFound() {
    emulator.admin().put("tenants/" + tenant.id() + "/throttling", Map.of("mailbox", Map.of("requests", 1, "windowSeconds", 600, "concurrent", 1)));
    for (int i = 0; i < 3; i++) {
      Http.Response reply = graph.get("users/nobody" + i % 2 + "@batch.onmicrosoft.com/messages");
      assertThat(reply.status()).as(reply.body()).isEqualTo(404);
      assertThat(reply.errorCode()).isEqualTo("ErrorInvalidUser");
    }
    emulator.admin().delete("tenants/" + tenant.id() + "/throttling");
  }

  @Test
  void aFifthConcurrentRequestToOneMailboxIsThrottled() {
    Throttler throttler = new Throttler(clock, new ThrottleSettings(java.util.Optional.empty(),
        java.util.Optional.of(new ThrottleSettings.MailboxLimits(10_000, Duration.ofMinutes(10), 4))));
    List<Throttler.Permit> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(throttler.admit("t", "app", "mailbox", false));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> throttler.admit("t", "app", "mailbox", false))
        .hasMessageContaining("MailboxConcurrency");
    throttler.admit("t", "app", "another mailbox", false).close();
    running.removeFirst().close();
    throttler.admit("t", "app", "mailbox", false).close();
    running.forEach(Throttler.Permit::close);
    running.clear();
    for (int i = 0; i < 4; i++) {
      running.add(throttler.admit("t", "app", "mailbox", false));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> throttler.admit("t", "app", "mailbox", false))
        .as("slots freed by closed permits are counted once").hasMessageContaining("MailboxConcurrency");
  }
}

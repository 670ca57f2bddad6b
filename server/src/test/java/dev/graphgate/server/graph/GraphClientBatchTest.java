package dev.graphgate.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GraphClient#batch} against the emulator's {@code $batch} over real HTTP: requests go 20 to a batch, throttled
 * items are sent again alone until answered, {@code dependsOn} orders writes within and across batches, and a batch
 * holding a write is not sent again after a fault that may have reached Graph.
 */
class GraphClientBatchTest {
  private static final int USERS = 45;

  @TempDir static Path dataDir;
  static SyncRig rig;
  static TestDatabase db;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    rig = SyncRig.start(dataDir, db, """
        {"users": %d, "groups": 1, "membersPerGroup": 2}""".formatted(USERS), b -> b);
    // The writes of the dependsOn test need a role the rig does not grant; a forced token carries it.
    rig.emulator.grant(SyncRig.TENANT_ID, SyncRig.APP_ID, List.of("User.ReadWrite.All", "Group.Read.All", "Mail.Read", "Calendars.Read",
        "Files.Read.All", "Sites.Read.All"));
    rig.graphgate.tokens().token(contoso(), true);
  }

  @AfterAll
  static void stop() {
    try {
      rig.close();
    } finally {
      db.close();
    }
  }

  @BeforeEach
  void resetStats() {
    rig.emulator.resetStats();
  }

  @AfterEach
  void calm() {
    rig.emulator.throttling(null);
    rig.emulator.faults(null);
  }

  private static Connection contoso() {
    return rig.graphgate.connections().get(SyncRig.INTEGRATION, SyncRig.CONNECTION);
  }

  /** The emulator's users by id, with their display names. */
  private static Map<String, String> users() {
    Map<String, String> users = new LinkedHashMap<>();
    rig.groundTruth("/v1.0/users?$select=id,displayName,jobTitle").forEach(u -> users.put(u.path("id").asText(), u.path("displayName").asText()));
    return users;
  }

  private static List<BatchRequest> userLookups(Iterable<String> ids) {
    List<BatchRequest> requests = new ArrayList<>();
    for (String id : ids) {
      requests.add(BatchRequest.get(Integer.toString(requests.size() + 1), "/users/" + id + "?$select=id,displayName"));
    }
    return requests;
  }

  private static long batchAnswers(String family, int status) {
    return rig.emulator.stats().path("graphRequests").path("byFamily").path(family).path(Integer.toString(status)).asLong();
  }

  @Test
  void requestsGoTwentyToABatchAndEachAnswerComesBackInOrder() {
    Map<String, String> truth = users();
    assertThat(truth).hasSize(USERS);
    List<Integer> sizes = new ArrayList<>();
    Map<String, String> seen = new LinkedHashMap<>();
    List<BatchRequest> requests = userLookups(truth.keySet());

    BatchOutcome outcome = rig.graphgate.graph().batch(contoso(), requests, answers -> {
      sizes.add(answers.size());
      answers.forEach(a -> {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        seen.put(a.body().path("id").asText(), a.body().path("displayName").asText());
      });
      return true;
    });

    assertThat(outcome).isEqualTo(new BatchOutcome.Completed(3));
    assertThat(sizes).containsExactly(20, 20, 5);
    assertThat(seen).containsExactlyEntriesOf(truth);
    assertThat(batchAnswers("$batch", 200)).isEqualTo(3);
    assertThat(batchAnswers("users", 200)).isEqualTo(USERS);
  }

  @Test
  void throttledItemsAreSentAgainAloneAfterTheirRetryAfterUntilAnswered() {
    Map<String, String> truth = users();
    List<String> twenty = new ArrayList<>(truth.keySet()).subList(0, 20);
    rig.emulator.throttling("{\"appTenant\": {\"requests\": 6, \"windowSeconds\": 1}}");
    Map<String, String> seen = new LinkedHashMap<>();

    BatchOutcome outcome = rig.graphgate.graph().batch(contoso(), userLookups(twenty), answers -> {
      answers.forEach(a -> seen.put(a.body().path("id").asText(""), a.status() + " " + a.body().path("displayName").asText()));
      return true;
    });

    assertThat(outcome).isEqualTo(new BatchOutcome.Completed(1));
    Map<String, String> expected = new LinkedHashMap<>();
    twenty.forEach(id -> expected.put(id, "200 " + truth.get(id)));
    assertThat(seen).containsExactlyEntriesOf(expected);
    // Graph throttled items (each answered 429 with its own Retry-After), and only those were sent again: every item
    // succeeded exactly once, over more than one batch.
    assertThat(batchAnswers("users", 429)).isPositive();
    assertThat(batchAnswers("users", 200)).isEqualTo(20);
    assertThat(batchAnswers("$batch", 200)).isGreaterThan(1);
  }

  @Test
  void dependsOnOrdersWritesWithinAndAcrossBatchesAndAFailedPrerequisiteFailsItsDependants() {
    String user = users().keySet().iterator().next();
    List<BatchRequest> requests = new ArrayList<>();
    // 18 reads fill the first batch up to two writes; the third write, and a read after it, land in the second batch.
    userLookups(new ArrayList<>(users().keySet()).subList(1, 19)).forEach(r -> requests.add(new BatchRequest("read" + r.id(), r.method(), r.url(),
        r.body(), r.dependsOn())));
    requests.add(patch("step1", user, "step-1", List.of()));
    requests.add(patch("step2", user, "step-2", List.of("step1")));
    requests.add(patch("step3", user, "step-3", List.of("step2")));
    requests.add(new BatchRequest("check", "GET", "/users/" + user + "?$select=jobTitle", Optional.empty(), List.of("step3")));
    requests.add(BatchRequest.get("missing", "/users/00000000-0000-0000-0000-000000000000?$select=id"));
    requests.add(new BatchRequest("afterMissing", "GET", "/users/" + user + "?$select=id", Optional.empty(), List.of("missing")));
    requests.add(new BatchRequest("afterAfterMissing", "GET", "/users/" + user + "?$select=id", Optional.empty(), List.of("afterMissing")));
    Map<String, BatchAnswer> answers = new LinkedHashMap<>();

    BatchOutcome outcome = rig.graphgate.graph().batch(contoso(), requests, batch -> {
      batch.forEach(a -> answers.put(a.id(), a));
      return true;
    });

    assertThat(outcome).isEqualTo(new BatchOutcome.Completed(2));
    assertThat(answers.get("step1").status()).as(answers.get("step1").body().toString()).isEqualTo(204);
    assertThat(answers.get("step2").status()).isEqualTo(204);
    assertThat(answers.get("step3").status()).isEqualTo(204);
    assertThat(answers.get("check").body().path("jobTitle").asText()).isEqualTo("step-3");
    assertThat(answers.get("missing").status()).isEqualTo(404);
    assertThat(answers.get("afterMissing").status()).isEqualTo(424);
    assertThat(answers.get("afterAfterMissing").status()).isEqualTo(424);
    assertThat(rig.groundTruth("/v1.0/users?$select=id,jobTitle").stream().filter(u -> u.path("id").asText().equals(user)).findFirst()
        .orElseThrow().path("jobTitle").asText()).isEqualTo("step-3");
  }

  @Test
  void aReadBatchIsSentAgainAfterFaultsAndOneHoldingAWriteIsNot() {
    Map<String, String> truth = users();
    rig.emulator.faults("{\"rates\": {\"SERVICE_UNAVAILABLE\": 0.3, \"GATEWAY_TIMEOUT\": 0.1, \"CONNECTION_RESET\": 0.1}, \"seed\": 11}");
    Map<String, String> seen = new LinkedHashMap<>();
    BatchOutcome reads = rig.graphgate.graph().batch(contoso(), userLookups(truth.keySet()), answers -> {
      answers.forEach(a -> seen.put(a.body().path("id").asText(""), a.body().path("displayName").asText()));
      return true;
    });
    assertThat(reads).isEqualTo(new BatchOutcome.Completed(3));
    assertThat(seen).containsExactlyEntriesOf(truth);

    rig.emulator.faults("{\"rates\": {\"SERVICE_UNAVAILABLE\": 1.0}, \"seed\": 3}");
    rig.emulator.resetStats();
    String user = truth.keySet().iterator().next();
    BatchOutcome write = rig.graphgate.graph().batch(contoso(), List.of(patch("w", user, "never-twice", List.of())), answers -> true);
    assertThat(write).isInstanceOf(BatchOutcome.Failed.class);
    assertThat(((BatchOutcome.Failed) write).status()).isEqualTo(503);
    assertThat(batchAnswers("$batch", 503)).isEqualTo(1);
  }

  private static BatchRequest patch(String id, String user, String jobTitle, List<String> dependsOn) {
    JsonNode body = Json.object().put("jobTitle", jobTitle);
    return new BatchRequest(id, "PATCH", "/users/" + user, Optional.of(body), dependsOn);
  }
}

package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.TestUpstream.Reply;
import dev.graphgate.server.upstream.HttpRetryRules;
import java.net.http.HttpRequest;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Retry-On} names error statuses only: a success or a redirect is never a reason to send a request again. */
class RetryOnHeaderTest {
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream()
      .options(() -> Graphgate.Options.defaults().withSleeper(d -> { }));

  private static ApiClient.Response post(String retryOn) {
    return rig.send(rig.proxy("/v1.0/users/u1/sendMail").header("Content-Type", "application/json").header("Retry-On", retryOn)
        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"subject\":\"once\"}}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"200", "202", "204", "500,200", "301", "302", "304", "399", "100", "101"})
  void retryOnASuccessOrRedirectIsRefusedAndNothingIsSent(String retryOn) {
    rig.upstream().answer(r -> Reply.json(202, "{}"));
    ApiClient.Response r = post(retryOn);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_headers");
    assertThat(r.json().path("error").path("errors").get(0).path("path").get(0).asText()).isEqualTo("retry-on");
    assertThat(r.json().path("error").path("errors").get(0).path("message").asText()).contains("400 to 599");
    assertThat(rig.upstream().count()).as("nothing is sent").isZero();
  }

  @Test
  void aPostThatSucceedsIsSentOnceWithAnErrorRetryOn() {
    rig.upstream().answer(r -> Reply.json(202, "{}"));
    assertThat(post("500,502,504").status()).isEqualTo(202);
    assertThat(rig.upstream().count()).isEqualTo(1);
  }

  @Test
  void anErrorListedInRetryOnIsStillRetried() {
    AtomicInteger seen = new AtomicInteger();
    rig.upstream().answer(r -> seen.incrementAndGet() == 1 ? Reply.json(409, "{}") : Reply.json(202, "{}"));
    assertThat(post("409").status()).isEqualTo(202);
    assertThat(rig.upstream().count()).isEqualTo(2);
  }

  @Test
  void theRetryRulesNeverRetryASuccessOrRedirectWhateverTheyHold() {
    HttpRetryRules rules = new HttpRetryRules(Set.of(200, 204, 302, 500));
    for (int status : new int[] {100, 200, 204, 302, 399}) {
      assertThat(rules.retriesStatus(status, true)).as("HTTP " + status).isFalse();
      assertThat(rules.retriesStatus(status, false)).as("HTTP " + status).isFalse();
    }
    assertThat(rules.retriesStatus(500, false)).isTrue();
  }
}

package dev.graphgate.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestUpstream.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A throttled call, as the meters tell it: Graph answers 429 with a Retry-After once, the proxy waits it out and tries
 * again. Time is a settable clock: the wait is recorded, not slept, so the waited time is exact.
 */
class ProxyMetersTest {
  static final SettableClock clock = SettableClock.atSystemTime();
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream()
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(clock::advance));

  @BeforeEach
  void reset() {
    awaitCounted();
    clock.advance(Duration.ofMinutes(10));
  }

  /** Proxied calls this class has sent: each is recorded once its answer's body has been written. */
  static int sent;

  /** Sends a proxied call and waits until it is counted (which happens once its body went out, maybe just after the client returned). */
  static ApiClient.Response send(java.net.http.HttpRequest.Builder request) {
    sent++;
    ApiClient.Response r = rig.send(request);
    awaitCounted();
    return r;
  }

  static void awaitCounted() {
    await().atMost(Duration.ofSeconds(10)).until(() -> meters().get(MeterNames.PROXY_ATTEMPTS).summary().count() == sent);
  }

  static MeterRegistry meters() {
    return rig.graphgate().meters();
  }

  static double count(String name, String... tags) {
    return meters().get(name).tags(tags).counter().count();
  }

  /** Answers a 429 with {@code body} and Retry-After: 2 to the first request, then 200. */
  static void throttleFirst(String body) {
    AtomicInteger seen = new AtomicInteger();
    rig.upstream().answer(r -> seen.incrementAndGet() == 1 ? Reply.json(429, body, "Retry-After", "2") : Reply.json(200, "{\"value\":[]}"));
  }

  @Test
  void aCallThrottledOnceCountsOneRetryOneTenantGateClosureTwoAttemptsAndTheWait() {
    throttleFirst("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Please retry again later.\"}}");
    double retries = count(MeterNames.UPSTREAM_RETRIES);
    double throttled = count(MeterNames.UPSTREAM_THROTTLED);
    double tenantClosures = count(MeterNames.GATE_CLOSURES, "gate", "tenant");
    double mailboxClosures = count(MeterNames.GATE_CLOSURES, "gate", "mailbox");
    long calls = meters().get(MeterNames.PROXY_ATTEMPTS).summary().count();
    double attempts = meters().get(MeterNames.PROXY_ATTEMPTS).summary().totalAmount();
    double waitedMillis = meters().get(MeterNames.PROXY_WAITED).timer().totalTime(TimeUnit.MILLISECONDS);

    assertThat(send(rig.proxy("/v1.0/users").GET()).status()).isEqualTo(200);

    assertThat(count(MeterNames.UPSTREAM_RETRIES) - retries).isEqualTo(1);
    assertThat(count(MeterNames.UPSTREAM_THROTTLED) - throttled).isEqualTo(1);
    assertThat(count(MeterNames.GATE_CLOSURES, "gate", "tenant") - tenantClosures).isEqualTo(1);
    assertThat(count(MeterNames.GATE_CLOSURES, "gate", "mailbox") - mailboxClosures).isZero();
    assertThat(meters().get(MeterNames.PROXY_ATTEMPTS).summary().count() - calls).isEqualTo(1);
    assertThat(meters().get(MeterNames.PROXY_ATTEMPTS).summary().totalAmount() - attempts).isEqualTo(2);
    assertThat(meters().get(MeterNames.PROXY_WAITED).timer().totalTime(TimeUnit.MILLISECONDS) - waitedMillis).isEqualTo(2000);
    assertThat(meters().get(MeterNames.PROXY_REQUESTS).tags("method", "GET", "outcome", "2xx").timer().count()).isPositive();
  }

  @Test
  void anOutlookMailboxLimitClosesTheMailboxGate() {
    throttleFirst("{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"Application is over its MailboxConcurrency limit.\"}}");
    double tenantClosures = count(MeterNames.GATE_CLOSURES, "gate", "tenant");
    double mailboxClosures = count(MeterNames.GATE_CLOSURES, "gate", "mailbox");

    assertThat(send(rig.proxy("/v1.0/users/adele@contoso.com/messages").GET()).status()).isEqualTo(200);

    assertThat(count(MeterNames.GATE_CLOSURES, "gate", "mailbox") - mailboxClosures).isEqualTo(1);
    assertThat(count(MeterNames.GATE_CLOSURES, "gate", "tenant") - tenantClosures).isZero();
  }

  @Test
  void aCallerTheGateWillNotLetThroughInTimeIsCountedAsRefusedAndAsATooManyRequestsOutcome() {
    // A Retry-After beyond the call's time budget (30 s by default): the proxy does not wait, and passes the 429 on;
    // the next call meets the closed gate and is refused there.
    rig.upstream().answer(r -> Reply.json(429, "{\"error\":{\"code\":\"TooManyRequests\"}}", "Retry-After", "120"));
    double refused = count(MeterNames.GATE_REFUSED, "gate", "tenant");
    assertThat(send(rig.proxy("/v1.0/groups").GET()).status()).isEqualTo(429);
    long before = meters().find(MeterNames.PROXY_REQUESTS).tags("method", "GET", "outcome", "too_many_requests").timers().stream()
        .mapToLong(t -> t.count()).sum();

    assertThat(send(rig.proxy("/v1.0/groups").GET()).status()).isEqualTo(429);

    assertThat(count(MeterNames.GATE_REFUSED, "gate", "tenant") - refused).isEqualTo(1);
    assertThat(meters().get(MeterNames.PROXY_REQUESTS).tags("method", "GET", "outcome", "too_many_requests").timer().count() - before).isEqualTo(1);
  }
}

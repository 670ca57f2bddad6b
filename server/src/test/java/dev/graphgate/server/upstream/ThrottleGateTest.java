package dev.graphgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.config.ProxyConfig.GateLimits;
import dev.graphgate.server.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One gate's rules, in virtual time: concurrency, rate with burst, and closing for a Retry-After. */
class ThrottleGateTest {
  final SettableClock clock = new SettableClock(Instant.parse("2026-01-05T10:00:00Z"));
  final Instant farAway = clock.instant().plus(Duration.ofDays(1));
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  ThrottleGate gate(GateLimits limits) {
    return new ThrottleGate("test gate", limits, new GateMeters(meters, "tenant"), clock, clock::advance);
  }

  @Test
  void atMostConcurrencyRequestsAreInFlight() {
    ThrottleGate g = gate(new GateLimits(4, 0));
    List<ThrottleGate.Pass> passes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      passes.add(((ThrottleGate.Admission.Admitted) g.admit(farAway)).pass());
    }
    assertThat(g.inFlight()).isEqualTo(4);
    assertThat(g.admit(clock.instant())).isInstanceOf(ThrottleGate.Admission.Refused.class);
    passes.get(0).release();
    passes.get(0).release();
    assertThat(g.inFlight()).isEqualTo(3);
    assertThat(g.admit(clock.instant())).isInstanceOf(ThrottleGate.Admission.Admitted.class);
  }

  @Test
  void theOutlookDefaultStaysUnderTenThousandRequestsInAnyTenMinutes() {
    ThrottleGate g = gate(new GateLimits(0, ProxyConfig.DEFAULT_MAILBOX.ratePerSecond()));
    Deque<Instant> window = new ArrayDeque<>();
    int most = 0;
    for (int i = 0; i < 25_000; i++) {
      ((ThrottleGate.Admission.Admitted) g.admit(farAway)).pass().release();
      Instant now = clock.instant();
      window.addLast(now);
      while (!window.peekFirst().isAfter(now.minus(Duration.ofMinutes(10)))) {
        window.removeFirst();
      }
      most = Math.max(most, window.size());
    }
    assertThat(most).isLessThan(10_000).isGreaterThan(9_000);
  }

  @Test
  void aBurstGoesAtOnceThenRequestsArePacedAtTheRate() {
    ThrottleGate g = gate(new GateLimits(0, 10));
    Instant start = clock.instant();
    int burst = new GateLimits(0, 10).burst();
    for (int i = 0; i < burst; i++) {
      g.admit(farAway);
    }
    assertThat(clock.instant()).isEqualTo(start);
    for (int i = 0; i < 20; i++) {
      g.admit(farAway);
    }
    assertThat(Duration.between(start, clock.instant())).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2100));
  }

  @Test
  void aClosedGateHoldsCallersUntilRetryAfterHasPassed() {
    ThrottleGate g = gate(new GateLimits(0, 0));
    g.closeFor(Duration.ofMillis(2500));
    Instant start = clock.instant();
    ThrottleGate.Admission a = g.admit(farAway);
    assertThat(a).isInstanceOf(ThrottleGate.Admission.Admitted.class);
    assertThat(((ThrottleGate.Admission.Admitted) a).waited()).isEqualTo(Duration.ofMillis(2500));
    assertThat(clock.instant()).isEqualTo(start.plusMillis(2500));
  }

  @Test
  void aCallerWhoseDeadlineComesFirstIsRefusedAtOnceWithTheTimeLeft() {
    ThrottleGate g = gate(new GateLimits(0, 0));
    g.closeFor(Duration.ofSeconds(30));
    Instant start = clock.instant();
    ThrottleGate.Admission a = g.admit(start.plusSeconds(10));
    assertThat(a).isInstanceOf(ThrottleGate.Admission.Refused.class);
    assertThat(((ThrottleGate.Admission.Refused) a).retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(clock.instant()).as("no time spent waiting in vain").isEqualTo(start);
  }

  @Test
  void closingAgainForLessDoesNotShortenTheWait() {
    ThrottleGate g = gate(new GateLimits(0, 0));
    g.closeFor(Duration.ofSeconds(10));
    g.closeFor(Duration.ofSeconds(2));
    assertThat(g.closedUntil()).isEqualTo(clock.instant().plusSeconds(10));
  }

  @Test
  void theGatesMetersCountClosuresCallersHeldWithTheirWaitAndCallersRefused() {
    ThrottleGate g = gate(new GateLimits(0, 0));
    ((ThrottleGate.Admission.Admitted) g.admit(farAway)).pass().release();
    assertThat(meters.get("graphgate.gate.held").tag("gate", "tenant").timer().count()).as("an open gate holds nobody back").isZero();
    g.closeFor(Duration.ofMillis(2500));
    g.closeFor(Duration.ofSeconds(1));
    assertThat(meters.get("graphgate.gate.closures").tag("gate", "tenant").counter().count()).isEqualTo(2);
    ((ThrottleGate.Admission.Admitted) g.admit(farAway)).pass().release();
    io.micrometer.core.instrument.Timer held = meters.get("graphgate.gate.held").tag("gate", "tenant").timer();
    assertThat(held.count()).isEqualTo(1);
    assertThat(held.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(2500);
    g.closeFor(Duration.ofSeconds(30));
    assertThat(g.admit(clock.instant().plusSeconds(10))).isInstanceOf(ThrottleGate.Admission.Refused.class);
    assertThat(meters.get("graphgate.gate.refused").tag("gate", "tenant").counter().count()).isEqualTo(1);
    assertThat(held.count()).isEqualTo(1);
  }

  @Test
  void aCallerPacedByTheRateIsCountedAsHeldAndOneInTheBurstIsNot() {
    GateLimits limits = new GateLimits(0, 10);
    ThrottleGate g = gate(limits);
    for (int i = 0; i < limits.burst(); i++) {
      g.admit(farAway);
    }
    io.micrometer.core.instrument.Timer held = meters.get("graphgate.gate.held").tag("gate", "tenant").timer();
    assertThat(held.count()).isZero();
    g.admit(farAway);
    assertThat(held.count()).isEqualTo(1);
    assertThat(held.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(100);
  }

  @Test
  void outlookPathsAreRecognisedInEitherSpelling() {
    assertThat(MailboxPaths.mailbox("/v1.0/users/Ann@contoso.com/messages")).contains("ann@contoso.com");
    assertThat(MailboxPaths.mailbox("/v1.0/users/u1/mailFolders('inbox')/messages/delta")).contains("u1");
    assertThat(MailboxPaths.mailbox("/beta/users('u2')/calendarView")).contains("u2");
    assertThat(MailboxPaths.mailbox("/v1.0/users/u3/events/e1")).contains("u3");
    assertThat(MailboxPaths.mailbox("/v1.0/users/u4/calendar/events")).contains("u4");
    assertThat(MailboxPaths.mailbox("/v1.0/users/u5%40contoso.com/sendMail")).contains("u5@contoso.com");
    assertThat(MailboxPaths.mailbox("/v1.0/users/u1")).isEmpty();
    assertThat(MailboxPaths.mailbox("/v1.0/users/u1/drive/root/children")).isEmpty();
    assertThat(MailboxPaths.mailbox("/v1.0/users/u1/messagesX")).isEmpty();
    assertThat(MailboxPaths.mailbox("/v1.0/groups/g1/events")).isEmpty();
  }
}

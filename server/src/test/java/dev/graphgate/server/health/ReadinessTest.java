package dev.graphgate.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.Gate;
import dev.graphgate.server.testing.SettableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Readiness is bounded in time, cached briefly and checked once however many probes ask. */
class ReadinessTest {
  final SettableClock clock = SettableClock.atSystemTime();

  @Test
  void probesWithinTheCachePeriodThenOneRoundOfChecksAndAnotherAfterIt() {
    AtomicInteger runs = new AtomicInteger();
    try (Readiness readiness = new Readiness(List.of(ReadinessCheck.of("database", runs::incrementAndGet)),
        Duration.ofSeconds(2), Duration.ofSeconds(5), clock)) {
      assertThat(readiness.report().ready()).isTrue();
      clock.advance(Duration.ofMillis(4999));
      assertThat(readiness.report().ready()).isTrue();
      assertThat(runs).as("reused within the cache period").hasValue(1);
      clock.advance(Duration.ofMillis(1));
      readiness.report();
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void failingCheckThenNotReadyNamingItAndItsReasonWhileTheOthersPass() {
    try (Readiness readiness = new Readiness(List.of(ReadinessCheck.of("database", () -> { }),
        ReadinessCheck.of("token_endpoint", () -> {
          throw new IOException("GET https://login.example/organizations/v2.0/.well-known/openid-configuration answered 502");
        })), Duration.ofSeconds(2), Duration.ofSeconds(5), clock)) {
      Readiness.Report report = readiness.report();
      assertThat(report.ready()).isFalse();
      assertThat(report.results()).extracting(Readiness.Result::name, Readiness.Result::passed)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("database", true), org.assertj.core.groups.Tuple.tuple("token_endpoint", false));
      assertThat(report.results().get(1).problem()).contains("GET https://login.example/organizations/v2.0/.well-known/openid-configuration answered 502");
    }
  }

  @Test
  void checkThatDoesNotAnswerThenReportedFailedWhenItsTimeIsUp() {
    CountDownLatch never = new CountDownLatch(1);
    try (Readiness readiness = new Readiness(List.of(ReadinessCheck.of("database", never::await)),
        Duration.ofMillis(100), Duration.ofSeconds(5), clock)) {
      Readiness.Report report = readiness.report();
      assertThat(report.ready()).isFalse();
      assertThat(report.results().get(0).problem()).contains("no answer within 100 ms");
    } finally {
      never.countDown();
    }
  }

  @Test
  void manyProbesAtOnceThenTheChecksRunOnce() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Gate check = new Gate();
    try (Readiness readiness = new Readiness(List.of(ReadinessCheck.of("database", () -> {
      runs.incrementAndGet();
      check.pass();
    })), Duration.ofSeconds(30), Duration.ofSeconds(5), clock)) {
      try {
        List<Future<Readiness.Report>> reports = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          reports.add(Concurrently.inBackground(readiness::report));
        }
        org.awaitility.Awaitility.await().until(() -> runs.get() == 1);
        check.open();
        for (Future<Readiness.Report> r : reports) {
          assertThat(r.get().ready()).isTrue();
        }
        assertThat(runs).as("one round for all eight probes").hasValue(1);
      } finally {
        check.open();
      }
    }
  }
}

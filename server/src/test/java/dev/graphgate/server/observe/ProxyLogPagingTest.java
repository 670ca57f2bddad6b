package dev.graphgate.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.storage.Database;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request log's pages over more rows than its first window of ids ({@link ProxyLogRepository#FIRST_WINDOW}): a
 * filter whose rows are all old, or spread thinly, still fills its page in id order across windows, the cursor
 * continues exactly where a page ended, and a path filter is a prefix. On each database.
 */
class ProxyLogPagingTest {
  static final int ROWS = 12_000;
  @TempDir Path dataDir;

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("H2", (Supplier<TestDatabase>) TestDatabase::h2),
        Arguments.of("PostgreSQL", (Supplier<TestDatabase>) TestDatabase::postgres));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void pagesCrossIdWindowsInOrderAndTheCursorContinuesThem(String name, Supplier<TestDatabase> database) {
    try (TestDatabase db = database.get(); Database store = Database.open(TestServers.config(db, dataDir).build())) {
      ProxyLogRepository log = new ProxyLogRepository(store.jdbi(), store.dialect());
      List<ProxyLogEntry> batch = new ArrayList<>();
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      for (int n = 0; n < ROWS; n++) {
        // Status 503 only among the first 30 rows (the oldest, beyond the first windows); 429 on every 100th.
        int status = n < 30 ? 503 : n % 100 == 0 ? 429 : 200;
        String path = n % 3 == 0 ? "/v1.0/groups/g" + n + "/members" : "/v1.0/users/u" + n;
        batch.add(new ProxyLogEntry(0, t.plusSeconds(n), Optional.of("microsoft"), Optional.of("c" + (n % 7)), "GET", path,
            Optional.empty(), status, 1, 0, 5, 0, 10, Optional.empty(), Optional.empty(), Optional.empty()));
        if (batch.size() == 2000) {
          log.insert(batch);
          batch.clear();
        }
      }
      List<ProxyLogEntry> all = log.find(query(Optional.empty(), Optional.empty(), Optional.empty(), 1000));
      long newest = all.get(0).id();

      List<ProxyLogEntry> old = log.find(query(Optional.of(503), Optional.empty(), Optional.empty(), 20));
      assertThat(old).hasSize(20).allMatch(e -> e.status() == 503);
      assertThat(old).extracting(ProxyLogEntry::id).isSortedAccordingTo(java.util.Comparator.reverseOrder());
      List<ProxyLogEntry> rest = log.find(query(Optional.of(503), Optional.of(old.get(19).id()), Optional.empty(), 20));
      assertThat(rest).hasSize(10).allMatch(e -> e.status() == 503 && e.id() < old.get(19).id());

      // 119 rows of 429 (row 0 is a 503), 50 to a page: three pages, every one of them once, newest first.
      List<Long> seen = new ArrayList<>();
      Optional<Long> cursor = Optional.empty();
      for (int p = 0; p < 4; p++) {
        List<ProxyLogEntry> page = log.find(query(Optional.of(429), cursor, Optional.empty(), 50));
        page.forEach(e -> seen.add(e.id()));
        if (page.size() < 50) {
          break;
        }
        cursor = Optional.of(page.get(49).id());
      }
      assertThat(seen).hasSize(119).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());
      assertThat(seen.get(0)).isLessThanOrEqualTo(newest);

      List<ProxyLogEntry> groups = log.find(query(Optional.empty(), Optional.empty(), Optional.of("/v1.0/groups/"), 100));
      assertThat(groups).hasSize(100).allMatch(e -> e.path().startsWith("/v1.0/groups/"));
      assertThat(log.find(query(Optional.empty(), Optional.empty(), Optional.of("groups"), 100))).isEmpty();
      assertThat(log.find(query(Optional.empty(), Optional.empty(), Optional.of("/v1.0/users/u1_"), 100))).as("_ is no wildcard").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void timeRangesNarrowOrBroadGiveTheirNewestRowsFirstAndTheCursorContinuesThem(String name, Supplier<TestDatabase> database) {
    try (TestDatabase db = database.get(); Database store = Database.open(TestServers.config(db, dataDir).build())) {
      ProxyLogRepository log = new ProxyLogRepository(store.jdbi(), store.dialect());
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      List<ProxyLogEntry> batch = new ArrayList<>();
      for (int n = 0; n < ROWS; n++) {
        batch.add(new ProxyLogEntry(0, t.plusSeconds(n), Optional.of("microsoft"), Optional.of("c" + (n % 7)), "GET", "/v1.0/users/u" + n,
            Optional.empty(), n % 100 == 0 ? 429 : 200, 1, 0, 5, 0, 10, Optional.empty(), Optional.empty(), Optional.empty()));
      }
      log.insert(batch);

      // Rows 1,000 to 4,599 (fewer than NARROW_TIME_RANGE, far below the newest): read through the time index.
      Optional<Instant> since = Optional.of(t.plusSeconds(1000));
      Optional<Instant> until = Optional.of(t.plusSeconds(4600));
      assertThat(seconds(log.find(timed(since, until, Optional.empty(), Optional.empty(), 3)), t)).containsExactly(4599L, 4598L, 4597L);
      List<ProxyLogEntry> first = log.find(timed(since, until, Optional.of(429), Optional.empty(), 20));
      assertThat(seconds(first, t)).hasSize(20).startsWith(4500L, 4400L).endsWith(2600L);
      List<ProxyLogEntry> next = log.find(timed(since, until, Optional.of(429), Optional.of(first.get(19).id()), 20));
      assertThat(seconds(next, t)).hasSize(16).startsWith(2500L).endsWith(1000L);
      assertThat(seconds(log.find(timed(Optional.empty(), Optional.of(t.plusSeconds(2000)), Optional.empty(), Optional.empty(), 2)), t))
          .containsExactly(1999L, 1998L);
      // More rows than NARROW_TIME_RANGE: the windows of ids, with the same answers.
      assertThat(seconds(log.find(timed(Optional.of(t.plusSeconds(500)), Optional.empty(), Optional.empty(), Optional.empty(), 2)), t))
          .containsExactly(11_999L, 11_998L);
      assertThat(seconds(log.find(timed(Optional.of(t), Optional.of(t.plusSeconds(11_000)), Optional.of(429), Optional.empty(), 2)), t))
          .containsExactly(10_900L, 10_800L);
      assertThat(log.find(timed(Optional.of(t.minusSeconds(60)), Optional.of(t), Optional.empty(), Optional.empty(), 10))).isEmpty();
    }
  }

  private static ProxyLogQuery timed(Optional<Instant> since, Optional<Instant> until, Optional<Integer> status, Optional<Long> before,
      int limit) {
    return new ProxyLogQuery(Optional.empty(), Optional.empty(), Optional.empty(), status, status, since, until, before, limit);
  }

  /** Each entry's row number: the seconds from {@code t} to its time. */
  private static List<Long> seconds(List<ProxyLogEntry> entries, Instant t) {
    return entries.stream().map(e -> e.createdAt().getEpochSecond() - t.getEpochSecond()).toList();
  }

  private static ProxyLogQuery query(Optional<Integer> status, Optional<Long> before, Optional<String> path, int limit) {
    return new ProxyLogQuery(Optional.empty(), Optional.empty(), Optional.empty(), status, status, Optional.empty(), Optional.empty(), before,
        limit, path);
  }
}

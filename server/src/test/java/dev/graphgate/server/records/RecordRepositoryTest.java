package dev.graphgate.server.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.Json;
import dev.graphgate.server.storage.Database;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pages of changes applied to the records store on H2 and PostgreSQL, larger than a sync page (1,200 entities, where
 * the stored rows used to be read in {@code IN} lists of 500): every stored entity is found (its change is ADDED,
 * UPDATED or unchanged exactly as its content says), a full round deletes what it did not see, and the cursor follows
 * the order of the changes.
 */
class RecordRepositoryTest {
  static final int N = 1200;
  static final String MODEL = "User";

  @TempDir Path dataDir;

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("H2", (Supplier<TestDatabase>) TestDatabase::h2),
        Arguments.of("PostgreSQL", (Supplier<TestDatabase>) TestDatabase::postgres));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void pagesFindEveryStoredEntityAndCountExactlyWhatChanged(String name, Supplier<TestDatabase> database) {
    onStore(database, (store, records, connection) -> {
      Instant now = Instant.parse("2026-12-02T12:00:00Z");

      // Round 1, full: N new entities in one page.
      List<RecordChange> first = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        first.add(upsert(i, "v1"));
      }
      assertThat(apply(store, records, connection, 1, true, first, now)).isEqualTo(new PageCounts(N, 0, 0, 0));
      assertLiveCount(store, records, connection, N);
      long firstMax = positions(records, connection).values().stream().mapToLong(Long::longValue).max().orElseThrow();

      // Round 2, incremental, one page: a quarter each unchanged, changed and deleted, and a quarter new ones (the
      // last quarter of the first entities is not in the page); one entity twice (its last state wins, counted once).
      List<RecordChange> second = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        switch (i % 4) {
          case 0 -> second.add(upsert(i, "v1"));
          case 1 -> second.add(upsert(i, "v2"));
          case 2 -> second.add(new RecordChange.Delete(id(i)));
          default -> second.add(upsert(N + i, "v1"));
        }
      }
      second.add(upsert(1, "v3"));
      assertThat(apply(store, records, connection, 2, false, second, now.plusSeconds(60))).isEqualTo(new PageCounts(N / 4, N / 4, N / 4, N / 4));

      assertLiveCount(store, records, connection, N);
      Map<String, StoredRecord> all = all(records, connection);
      assertThat(all).hasSize(N + N / 4);
      for (int i = 0; i < N; i++) {
        StoredRecord r = all.get(id(i));
        RecordAction expected = switch (i % 4) {
          case 0 -> RecordAction.ADDED;
          case 1 -> RecordAction.UPDATED;
          case 2 -> RecordAction.DELETED;
          default -> RecordAction.ADDED;
        };
        assertThat(r.lastAction()).as(id(i)).isEqualTo(expected);
        if (i % 4 == 0 || i % 4 == 3) {
          assertThat(r.cursorPosition()).as("unchanged or not in the page: keeps its place").isLessThanOrEqualTo(firstMax);
        } else {
          assertThat(r.cursorPosition()).as("a change moves to the end").isGreaterThan(firstMax);
        }
        if (i % 4 == 3) {
          assertThat(all.get(id(N + i)).lastAction()).isEqualTo(RecordAction.ADDED);
          assertThat(all.get(id(N + i)).cursorPosition()).isGreaterThan(firstMax);
        }
      }
      assertThat(all.get(id(1)).data().path("state").asText()).isEqualTo("v3");
      assertThat(all.get(id(5)).data().path("state").asText()).isEqualTo("v2");

      // Round 3, full, sees only the entities 0..N/2 (as they are): the others not deleted yet become DELETED.
      List<RecordChange> third = new ArrayList<>();
      for (int i = 0; i < N / 2; i++) {
        if (i % 4 != 2) {
          third.add(upsert(i, i == 1 ? "v3" : i % 4 == 1 ? "v2" : "v1"));
        }
      }
      long seenDeletedBefore = N / 2 / 4;
      PageCounts counts = apply(store, records, connection, 3, true, third, now.plusSeconds(120));
      assertThat(counts).isEqualTo(new PageCounts(0, 0, 0, N / 2 - seenDeletedBefore));
      long unseen = store.jdbi().inTransaction(h -> records.deleteUnseen(h, connection, MODEL, 3, now.plusSeconds(120)));
      long aliveBefore = N + N / 4 - N / 4;
      assertThat(unseen).isEqualTo(aliveBefore - (N / 2 - seenDeletedBefore));
      assertLiveCount(store, records, connection, N / 2 - seenDeletedBefore);

      // A deleted entity seen again comes back, and counts again.
      assertThat(apply(store, records, connection, 4, false, List.of(upsert(2, "v4"), new RecordChange.Delete(id(0))), now.plusSeconds(180)))
          .isEqualTo(new PageCounts(1, 0, 1, 0));
      assertLiveCount(store, records, connection, N / 2 - seenDeletedBefore);
    });
  }

  /**
   * Two keys with one {@link RecordKeyHash}: a row of another entity whose hash equals a page entity's (forged here, as
   * SHA-256 gives no such pair) is neither taken for that entity when a page is stored nor returned for its id.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aRowOfAnotherKeyWithTheSameHashIsNeverTakenForTheEntity(String name, Supplier<TestDatabase> database) {
    onStore(database, (store, records, connection) -> {
      Instant now = Instant.parse("2026-12-04T12:00:00Z");
      assertThat(apply(store, records, connection, 1, false, List.of(upsert(1, "v1")), now)).isEqualTo(new PageCounts(1, 0, 0, 0));
      // The impostor: id(2)'s row, carrying id(1)'s hash.
      assertThat(apply(store, records, connection, 1, false, List.of(upsert(2, "v1")), now)).isEqualTo(new PageCounts(1, 0, 0, 0));
      store.jdbi().useHandle(h -> h.createUpdate("UPDATE records SET key_hash = :k WHERE external_id = :id")
          .bind("k", RecordKeyHash.of(connection, MODEL, id(1))).bind("id", id(2)).execute());

      assertThat(apply(store, records, connection, 2, false, List.of(upsert(1, "v2")), now.plusSeconds(60))).isEqualTo(new PageCounts(0, 1, 0, 0));
      assertThat(apply(store, records, connection, 2, false, List.of(upsert(3, "v1")), now.plusSeconds(60))).isEqualTo(new PageCounts(1, 0, 0, 0));
      Map<String, StoredRecord> all = all(records, connection);
      assertThat(all.get(id(1)).data().path("state").asText()).isEqualTo("v2");
      assertThat(all.get(id(2)).data().path("state").asText()).as("the impostor is untouched").isEqualTo("v1");
      assertThat(all.get(id(2)).lastAction()).isEqualTo(RecordAction.ADDED);

      RecordPage found = records.find(new RecordQuery(connection, MODEL, Optional.empty(), Optional.empty(), EnumSet.allOf(RecordAction.class),
          List.of(id(1)), 10));
      assertThat(found.records()).extracting(StoredRecord::externalId).containsExactly(id(1));
      assertLiveCount(store, records, connection, 3);
    });
  }

  /** What a test does with the records store of a fresh database, over a connection seeded through the API. */
  @FunctionalInterface
  interface StoreTest {
    void run(Database store, RecordRepository records, long connection);
  }

  private void onStore(Supplier<TestDatabase> database, StoreTest test) {
    try (TestDatabase db = database.get(); Graphgate g = Graphgate.start(TestServers.config(db, dataDir).build());
        Database store = Database.open(TestServers.config(db, dataDir).build())) {
      test.run(store, new RecordRepository(store.jdbi(), store.dialect()), seedConnection(g));
    }
  }

  /** The kept count ({@code record_counts}) equals a count of the records themselves. */
  private static void assertLiveCount(Database store, RecordRepository records, long connection, long expected) {
    long counted = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM records WHERE connection_id = :c AND model = :m AND deleted_at IS NULL")
        .bind("c", connection).bind("m", MODEL).mapTo(Long.class).one());
    assertThat(counted).isEqualTo(expected);
    assertThat(records.count(connection, MODEL)).as("record_counts").isEqualTo(expected);
  }

  private static PageCounts apply(Database store, RecordRepository records, long connection, long round, boolean full, List<RecordChange> changes,
      Instant now) {
    return store.jdbi().inTransaction(h -> records.apply(h, connection, MODEL, round, full, changes, now));
  }

  private static RecordChange upsert(int i, String state) {
    return new RecordChange.Upsert(id(i), known -> {
      ObjectNode n = Json.object();
      n.put("id", id(i)).put("state", state);
      return n;
    });
  }

  private static String id(int i) {
    return String.format("%08x-user-%d", i * 2654435761L & 0xffffffffL, i);
  }

  private static Map<String, StoredRecord> all(RecordRepository records, long connection) {
    Map<String, StoredRecord> all = new HashMap<>();
    Optional<Long> after = Optional.empty();
    while (true) {
      RecordPage page = records.find(new RecordQuery(connection, MODEL, after, Optional.empty(), EnumSet.allOf(RecordAction.class), List.of(), 1000));
      long last = -1;
      for (StoredRecord r : page.records()) {
        assertThat(r.cursorPosition()).as("cursor order").isGreaterThan(last);
        last = r.cursorPosition();
        assertThat(all.put(r.externalId(), r)).as("each record once").isNull();
      }
      if (page.nextCursor().isEmpty()) {
        return all;
      }
      after = page.nextCursor().flatMap(RecordCursor::decode);
    }
  }

  private static Map<String, Long> positions(RecordRepository records, long connection) {
    Map<String, Long> p = new HashMap<>();
    all(records, connection).forEach((k, v) -> p.put(k, v.cursorPosition()));
    return p;
  }

  private static long seedConnection(Graphgate g) {
    ApiClient api = TestServers.client(g);
    assertThat(api.post("/integrations", "{\"unique_key\":\"microsoft\",\"provider\":\"microsoft-oauth2-cc\"}").status()).isEqualTo(200);
    ApiClient.Response r = api.post("/connections", """
        {"provider_config_key":"microsoft","connection_id":"c1","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"s","token":"eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.x","expires_at":"2100-01-01T00:00:00Z"},
         "connection_config":{"tenantId":"contoso.onmicrosoft.com"}}""");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return g.connections().get("microsoft", "c1").id();
  }
}

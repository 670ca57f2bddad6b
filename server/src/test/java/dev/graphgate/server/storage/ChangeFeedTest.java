package dev.graphgate.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each instance hears of every other instance's change exactly once, even when acting on it fails at first. */
class ChangeFeedTest {
  @TempDir Path dataDir;
  TestDatabase db;
  Database database;
  ChangeFeed writer;
  ChangeFeed reader;
  final List<Long> delivered = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    db = TestDatabase.h2();
    database = Database.open(TestServers.config(db, dataDir).build());
    writer = new ChangeFeed(database.jdbi());
    reader = new ChangeFeed(database.jdbi());
    // Polled by the test, not by the schedule.
    reader.start(Duration.ofHours(1));
  }

  @AfterEach
  void close() {
    reader.close();
    writer.close();
    database.close();
    db.close();
  }

  private void change(long id) {
    database.jdbi().useHandle(h -> writer.record(h, ChangeFeed.Entity.CONNECTION, id));
  }

  @Test
  void anEventIsDeliveredOnceAndAnInstanceDoesNotHearItsOwn() {
    reader.subscribe(ChangeFeed.Entity.CONNECTION, delivered::add);
    change(7);
    database.jdbi().useHandle(h -> reader.record(h, ChangeFeed.Entity.CONNECTION, 8));
    reader.poll();
    reader.poll();
    assertThat(delivered).containsExactly(7L);
  }

  @Test
  void anEventWhoseHandlingFailedIsDeliveredAgainOnTheNextPoll() {
    AtomicBoolean failOnce = new AtomicBoolean(true);
    reader.subscribe(ChangeFeed.Entity.CONNECTION, id -> {
      if (id == 7 && failOnce.getAndSet(false)) {
        throw new IllegalStateException("the database is briefly unreachable");
      }
      delivered.add(id);
    });
    change(6);
    change(7);
    change(8);
    assertThatThrownBy(reader::poll).isInstanceOf(IllegalStateException.class);
    reader.poll();
    reader.poll();
    assertThat(delivered).containsExactly(6L, 7L, 8L);
  }

  @Test
  void anInstanceThatHearsNoOtherStillMovesItsWindowAndPrunesItsOwnEvents() throws Exception {
    for (int i = 0; i < 5; i++) {
      database.jdbi().useHandle(h -> reader.record(h, ChangeFeed.Entity.CONNECTION, 9));
    }
    database.jdbi().useHandle(h -> reader.record(h, ChangeFeed.Entity.CONNECTION, 10));
    // Poll only once the database's clock is past the events, so a window that followed only the events would lag it.
    java.time.Instant recorded = databaseNow();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> databaseNow().isAfter(recorded));
    java.time.Instant before = databaseNow();
    // Five of its own events are older than the retention; the sixth is not.
    long stale = database.jdbi().withHandle(h -> h.createUpdate("UPDATE cache_events SET created_at = :old WHERE entity_id = 9")
        .bind("old", java.time.OffsetDateTime.ofInstant(recorded.minus(Duration.ofHours(2)), java.time.ZoneOffset.UTC)).execute());
    assertThat(stale).isEqualTo(5);
    reader.poll();
    assertThat(reader.newest()).as("the window follows the database's clock, not only other instances' events").isAfterOrEqualTo(before);
    List<Long> left = database.jdbi().withHandle(h -> h.createQuery("SELECT entity_id FROM cache_events").mapTo(Long.class).list());
    assertThat(left).as("events past the retention are pruned, the recent one kept").containsExactly(10L);
  }

  private java.time.Instant databaseNow() {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT CURRENT_TIMESTAMP").mapTo(java.time.OffsetDateTime.class).one()).toInstant();
  }
}

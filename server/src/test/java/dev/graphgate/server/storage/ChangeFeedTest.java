package dev.graphgate.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    Thread.sleep(5); // the database clock moves on (no timing is asserted)
    java.time.Instant before = database.jdbi().withHandle(h -> h.createQuery("SELECT CURRENT_TIMESTAMP")
        .mapTo(java.time.OffsetDateTime.class).one()).toInstant();
    reader.poll();
    assertThat(reader.newest()).as("the window follows the database's clock, not only other instances' events").isAfterOrEqualTo(before);
  }
}

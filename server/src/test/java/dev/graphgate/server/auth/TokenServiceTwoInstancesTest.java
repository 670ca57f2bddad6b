package dev.graphgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestConnections;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestIntegrations;
import dev.graphgate.server.testing.TestServers;
import dev.graphgate.server.upstream.Sleeper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one PostgreSQL database, sharing a scripted token endpoint and a settable clock: a caller holding a
 * valid token is answered from memory whatever happens to the database or to the instance holding the refresh lease,
 * and forced refreshes on both instances share one token request.
 */
class TokenServiceTwoInstancesTest {
  static final String TENANT = "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f";

  Graphgate a;
  Graphgate b;
  ApiClient apiA;
  ApiClient apiB;
  final SettableClock clock = SettableClock.atSystemTime();
  final ScriptedTokenEndpoint entra = new ScriptedTokenEndpoint();

  @RegisterExtension final GraphgateExtension graphgate = GraphgateExtension.postgres().instances(2)
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(Sleeper.SYSTEM).withTokenEndpoint(entra));

  @BeforeEach
  void start() {
    a = graphgate.server(0);
    b = graphgate.server(1);
    apiA = TestServers.client(a);
    apiB = TestServers.client(b);
    TestIntegrations.secret().uniqueKey("ms").create(apiA);
    TestConnections.secret("ms").connectionId("c").tenant(TENANT).post(apiA);
  }

  /** Runs before the instances are closed, so that they close on a database that answers. */
  @AfterEach
  void stop() throws Exception {
    allowConnections(true);
  }

  static String token(ApiClient.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("credentials").path("token").asText();
  }

  static ApiClient.Response read(ApiClient api) {
    return api.get("/connections/c?provider_config_key=ms");
  }

  @Test
  void callersWithAValidTokenAreAnsweredFromMemoryWhileTheDatabaseIsGoneAcrossARefresh() throws Exception {
    String token = token(read(apiA));
    assertThat(token(read(apiB))).isEqualTo(token);
    clock.advance(Duration.ofMinutes(50)); // due for refresh, valid for about 10 more minutes
    allowConnections(false);
    long statementsA = a.databaseStatements();
    long statementsB = b.databaseStatements();
    for (int i = 0; i < 200; i++) {
      // The valid token, or the one the background refresh fetched meanwhile (kept in memory, since it cannot be stored).
      assertThat(token(read(i % 2 == 0 ? apiA : apiB))).isNotEmpty();
    }
    assertThat(a.databaseStatements()).as("no caller of A waited on the database").isEqualTo(statementsA);
    assertThat(b.databaseStatements()).as("no caller of B waited on the database").isEqualTo(statementsB);
    // The refresh that was due went ahead all the same, on each instance.
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(token(read(apiA))).isNotEqualTo(token);
      assertThat(token(read(apiB))).isNotEqualTo(token);
    });
    assertThat(a.databaseStatements()).isEqualTo(statementsA);
    assertThat(b.databaseStatements()).isEqualTo(statementsB);
    allowConnections(true);
  }

  @Test
  void callersWithAValidTokenAreNotHeldBackByALeaseWhoseHolderWasKilled() throws Exception {
    String token = token(read(apiA));
    token(read(apiB));
    // What kill -9 of an instance in the middle of a refresh leaves behind: its lease on the row, not yet expired.
    try (Connection c = graphgate.db().open();
        PreparedStatement s = c.prepareStatement("UPDATE connections SET refresh_lease_owner = 'killed-instance', refresh_lease_expires_at = ?")) {
      s.setTimestamp(1, Timestamp.from(clock.instant().plus(Duration.ofMinutes(55))));
      s.executeUpdate();
    }
    clock.advance(Duration.ofMinutes(50));
    long statementsA = a.databaseStatements();
    long statementsB = b.databaseStatements();
    for (int i = 0; i < 200; i++) {
      assertThat(token(read(i % 2 == 0 ? apiA : apiB))).isEqualTo(token);
    }
    assertThat(a.databaseStatements()).isEqualTo(statementsA);
    assertThat(b.databaseStatements()).isEqualTo(statementsB);
    assertThat(entra.requests()).as("nobody could refresh while the dead instance's lease held").isEqualTo(1);

    clock.advance(Duration.ofMinutes(6)); // the lease has expired; the token is still valid
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(token(read(apiA))).isNotEqualTo(token));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(token(read(apiB))).isNotEqualTo(token));
  }

  @Test
  void forcedRefreshesOnTwoInstancesShareOneTokenRequest() throws Exception {
    String token = token(read(apiA));
    entra.delay(100);
    Set<String> tokens = new HashSet<>();
    for (ApiClient.Response r : Concurrently.times(200, i -> (i % 2 == 0 ? apiA : apiB).get("/connections/c?provider_config_key=ms&force_refresh=true"))) {
      tokens.add(token(r));
    }
    assertThat(entra.requests()).as("one for the first token, one for every forced refresh on both instances").isEqualTo(2);
    assertThat(tokens).hasSize(1).doesNotContain(token);
  }

  /** Opens or closes this test's own database to new sessions, ending the ones it has when closing it. */
  private void allowConnections(boolean allow) throws Exception {
    String name = graphgate.db().url().substring(graphgate.db().url().lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(TestDatabase.PG_ADMIN_URL, TestDatabase.PG_USER, ""); Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allow);
      if (!allow) {
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "' AND pid <> pg_backend_pid()");
      }
    }
  }
}

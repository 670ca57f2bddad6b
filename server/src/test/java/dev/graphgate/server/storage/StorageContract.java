package dev.graphgate.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.KeyRotation;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.InvalidConfigException;
import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.connection.StatusChanges;
import dev.graphgate.server.secret.EncryptionKey;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestCertificates;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What storage must do on every database Graphgate supports; one subclass per database supplies it. */
abstract class StorageContract {
  static final String SECRET = "client-secret-value-7f3a";
  static final String SHARED_SECRET = "shared-app-secret-91bc";
  static final String WEBHOOK_SECRET = "webhook-client-state-55de";
  static final String TOKEN = "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.token-body-c0ffee";

  @TempDir Path dataDir;
  TestDatabase db;
  final List<Graphgate> servers = new ArrayList<>();

  abstract TestDatabase newDatabase(Path dataDir);

  @BeforeEach
  void createDatabase() {
    db = newDatabase(dataDir);
  }

  @AfterEach
  void dropDatabase() {
    servers.forEach(Graphgate::close);
    db.close();
  }

  Graphgate start(GraphgateConfig.Builder config) {
    Graphgate g = Graphgate.start(config.build());
    servers.add(g);
    return g;
  }

  GraphgateConfig.Builder config() {
    return TestServers.config(db, dataDir);
  }

  void seed(ApiClient api, String key) {
    TestCertificates cert = TestCertificates.generate("at-rest");
    api.post("/integrations", """
        {"unique_key":"%s","provider":"microsoft-oauth2-cc","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"%s"},"custom":{"webhookSecret":"%s"}}""".formatted(key, SHARED_SECRET, WEBHOOK_SECRET));
    ApiClient.Response r = api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"c1","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"%s","token":"%s","expires_at":"2100-01-01T00:00:00Z"},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}"""
        .formatted(key, SECRET, TOKEN));
    assertThat(r.status()).isEqualTo(201);
    api.post("/integrations", "{\"unique_key\":\"%s-cert\",\"provider\":\"microsoft-oauth2-cc-cert\"}".formatted(key));
    ApiClient.Response c = api.post("/connections", """
        {"provider_config_key":"%s-cert","connection_id":"c2","credentials":{"type":"TWO_STEP","clientId":"11112222-bbbb-3333-cccc-4444dddd5555",
         "privateKey":%s,"certificate":%s},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}"""
        .formatted(key, dev.graphgate.server.Json.write(cert.privateKeyPem()), dev.graphgate.server.Json.write(cert.certificatePem())));
    assertThat(c.status()).isEqualTo(201);
    privateKeyBody = cert.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
  }

  String privateKeyBody;

  /** Every text value in every Graphgate table, as the database hands it out. */
  List<String> everyStoredValue() throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection c = db.open(); Statement s = c.createStatement()) {
      for (String table : List.of("settings", "integrations", "connections", "cache_events")) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              String v = rs.getString(i);
              if (v != null) {
                values.add(v);
              }
            }
          }
        }
      }
    }
    return values;
  }

  @Test
  void secretsAreSealedAtRest() throws Exception {
    Graphgate g = start(config());
    seed(TestServers.client(g), "rest");
    List<String> values = everyStoredValue();
    assertThat(values).isNotEmpty();
    for (String secret : List.of(SECRET, SHARED_SECRET, WEBHOOK_SECRET, TOKEN, "token-body-c0ffee", privateKeyBody)) {
      assertThat(values).noneMatch(v -> v.contains(secret));
    }
    assertThat(values).anyMatch(v -> v.startsWith("gg1."));
  }

  @Test
  void refreshLeaseGoesToOneOwnerAtATime() {
    Graphgate g = start(config());
    seed(TestServers.client(g), "lease");
    Jdbi jdbi = Jdbi.create(() -> db.open());
    long id = jdbi.withHandle(h -> h.createQuery("SELECT id FROM connections WHERE connection_id = 'c1'").mapTo(Long.class).one());
    ConnectionRepository leases = new ConnectionRepository(jdbi, null, SqlDialect.forJdbcUrl(db.url()), new ChangeFeed(jdbi),
        new StatusChanges(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    jdbi.registerArgument(new org.jdbi.v3.core.argument.AbstractArgumentFactory<Instant>(java.sql.Types.TIMESTAMP_WITH_TIMEZONE) {
      @Override
      protected org.jdbi.v3.core.argument.Argument build(Instant value, org.jdbi.v3.core.config.ConfigRegistry config) {
        return (p, st, ctx) -> st.setObject(p, java.time.OffsetDateTime.ofInstant(value, java.time.ZoneOffset.UTC));
      }
    });
    Instant now = Instant.now();
    assertThat(leases.tryAcquireLease(id, "a", now, now.plusSeconds(30))).isTrue();
    assertThat(leases.tryAcquireLease(id, "b", now, now.plusSeconds(30))).isFalse();
    leases.releaseLease(id, "b");
    assertThat(leases.tryAcquireLease(id, "b", now, now.plusSeconds(30))).as("only the owner releases").isFalse();
    leases.releaseLease(id, "a");
    assertThat(leases.tryAcquireLease(id, "b", now, now.plusSeconds(30))).isTrue();
    assertThat(leases.tryAcquireLease(id, "c", now.plusSeconds(31), now.plusSeconds(61))).as("an expired lease can be taken over").isTrue();
  }

  @Test
  void anotherInstancesChangesReachThisInstancesCache() {
    Graphgate a = start(config());
    Graphgate b = start(config());
    ApiClient apiA = TestServers.client(a);
    ApiClient apiB = TestServers.client(b);
    seed(apiA, "feed");
    assertThat(apiB.get("/connections/c1?provider_config_key=feed").json().path("credentials").path("token").asText()).isEqualTo(TOKEN);
    apiA.post("/connections", """
        {"provider_config_key":"feed","connection_id":"c1","credentials":{"type":"OAUTH2_CC","client_id":"11112222-bbbb-3333-cccc-4444dddd5555",
         "client_secret":"%s","token":"second-token","expires_at":"2100-01-01T00:00:00Z"},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}"""
        .formatted(SECRET));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(apiB.get("/connections/c1?provider_config_key=feed").json().path("credentials").path("token").asText()).isEqualTo("second-token"));
    apiA.delete("/connections/c1?provider_config_key=feed");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(apiB.get("/connections/c1?provider_config_key=feed").status()).isEqualTo(404));
    apiA.patch("/integrations/feed", "{\"display_name\":\"Changed\"}");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(apiB.get("/integrations/feed").json().path("data").path("display_name").asText()).isEqualTo("Changed"));
  }

  @Test
  void anotherInstancesIntegrationChangesDoNotSendThisInstancesConnectionReadsToTheDatabase() {
    Graphgate a = start(config());
    Graphgate b = start(config());
    ApiClient apiA = TestServers.client(a);
    ApiClient apiB = TestServers.client(b);
    seed(apiA, "coherent");
    assertThat(apiB.get("/connections/c1?provider_config_key=coherent").status()).isEqualTo(200);

    apiA.post("/integrations", "{\"unique_key\":\"unrelated\",\"provider\":\"microsoft-oauth2-cc\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> apiB.get("/integrations/unrelated").status() == 200);
    long statements = b.databaseStatements();
    assertThat(apiB.get("/connections/c1?provider_config_key=coherent").json().path("credentials").path("token").asText()).isEqualTo(TOKEN);
    assertThat(b.databaseStatements()).as("another integration's creation left this connection cached").isEqualTo(statements);

    apiA.patch("/integrations/coherent", "{\"display_name\":\"Coherent\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> apiB.get("/integrations/coherent").json().path("data").path("display_name").asText()
        .equals("Coherent"));
    statements = b.databaseStatements();
    assertThat(apiB.get("/connections/c1?provider_config_key=coherent").status()).isEqualTo(200);
    assertThat(b.databaseStatements()).as("its own integration's change: read again in the background").isEqualTo(statements);
  }

  @Test
  void rotateKeyResealsEverythingSoTheOldKeyCanGo() {
    Graphgate g = start(config());
    seed(TestServers.client(g), "rotate");
    g.close();
    servers.remove(g);
    String newKey = Base64.getEncoder().encodeToString("a-completely-different-key-32by!".getBytes());
    SecretBox box = new SecretBox(EncryptionKey.fromBase64(newKey), List.of(EncryptionKey.fromBase64(TestServers.ENCRYPTION_KEY)), new SecureRandom());
    try (Database database = Database.open(config().encryptionKey(newKey).build())) {
      assertThat(KeyRotation.resealAll(database.jdbi(), box)).isGreaterThanOrEqualTo(6);
      assertThat(KeyRotation.resealAll(database.jdbi(), box)).as("nothing left to re-seal").isZero();
    }
    Graphgate rotated = start(config().encryptionKey(newKey).previousEncryptionKeys(List.of()));
    ApiClient.Response r = TestServers.client(rotated).get("/connections/c1?provider_config_key=rotate");
    assertThat(r.json().path("credentials").path("client_secret").asText()).isEqualTo(SECRET);
    assertThat(TestServers.client(rotated).get("/integrations/rotate?include=credentials").json().path("data").path("credentials")
        .path("client_secret").asText()).isEqualTo(SHARED_SECRET);
    rotated.close();
    servers.remove(rotated);
    assertThatThrownBy(() -> start(config()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("sealed with another encryption key");
  }

  static Map<String, String> none() {
    return Map.of();
  }
}

package dev.graphgate.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.KeyRotation;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.config.InvalidConfigException;
import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.storage.Database;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database while keys are rotated one instance at a time, as docs/running.md
 * ("Rotating the encryption key", "Rotating the API secret key") says, with both instances serving between the steps.
 */
class RollingKeyRotationTest {
  static final String OLD = key("rolling-rotation-old-key-32bytes");
  static final String NEW = key("rolling-rotation-new-key-32bytes");
  static final String OLD_ID = EncryptionKey.fromBase64(OLD).id();
  static final String NEW_ID = EncryptionKey.fromBase64(NEW).id();
  static final String CLIENT_ID = "11112222-bbbb-3333-cccc-4444dddd5555";
  static final String OLD_API_KEY = TestServers.SECRET_KEY;
  static final String NEW_API_KEY = "9d3c1a7e-5b2f-4e8d-a1c6-0f7e2d4b8a93";

  @TempDir Path dataDir;
  TestDatabase db;
  Graphgate a;
  Graphgate b;
  final List<Graphgate> others = new ArrayList<>();
  /** Connections written so far, with the client secret each must read back. */
  final List<String[]> written = new ArrayList<>();
  String sharedSecret;

  @BeforeEach
  void createDatabase() {
    db = TestDatabase.postgres();
  }

  @AfterEach
  void stop() {
    others.add(a);
    others.add(b);
    others.stream().filter(g -> g != null).forEach(Graphgate::close);
    db.close();
  }

  @Test
  void encryptionKeyRotatedAsDocumentedNeverFailsARequestAndEndsWithoutTheOldKey() {
    a = Graphgate.start(config(OLD).build());
    b = Graphgate.start(config(OLD).build());
    ok(TestServers.client(a).post("/integrations", """
        {"unique_key":"ms","provider":"microsoft-oauth2-cc","credentials":{"type":"OAUTH2_CC","client_id":"%s",
         "client_secret":"shared-0","webhook_secret":"webhook-0"}}""".formatted(CLIENT_ID)));
    sharedSecret = "shared-0";
    bothServe("before");

    // Step 1: every instance accepts the new key; all still seal with the old one.
    a = restart(a, config(OLD, NEW));
    bothServe("1a");
    b = restart(b, config(OLD, NEW));
    bothServe("1b");

    // Step 2: the new key seals; the old one still opens.
    a = restart(a, config(NEW, OLD));
    bothServe("2a");
    b = restart(b, config(NEW, OLD));
    bothServe("2b");

    // Step 3: rotate-key with the same settings, while both instances keep serving.
    assertThat(rotateKey(config(NEW, OLD))).as("values re-sealed").isPositive();
    assertThat(keyIdsInUse()).containsExactly(NEW_ID);
    bothServe("3");
    // An instance restarted now with step 1's settings (a crash, a rollback) still opens everything.
    Graphgate late = Graphgate.start(config(OLD, NEW).build());
    others.add(late);
    ok(TestServers.client(late).get("/connections/before-a?provider_config_key=ms"));
    ok(TestServers.client(late).get("/integrations/ms?include=credentials"));
    late.close();

    // Step 4: the old key is retired.
    a = restart(a, config(NEW));
    bothServe("4a");
    b = restart(b, config(NEW));
    bothServe("4b");
    assertThat(keyIdsInUse()).as("nothing needs the old key").containsExactly(NEW_ID);
    assertThatThrownBy(() -> others.add(Graphgate.start(config(OLD).build())))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("'" + NEW_ID + "'");
  }

  @Test
  void instanceWithoutTheSealingKeyAnswersACodedErrorNamingTheKeyNot500() {
    // The order the procedure forbids: one instance seals with a key the other does not have.
    a = Graphgate.start(config(OLD).build());
    b = Graphgate.start(config(NEW, OLD).build());
    ApiClient viaB = TestServers.client(b);
    ok(viaB.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}"));
    ok(viaB.post("/connections", connection("sealed-by-new", "secret-new")));

    ApiClient.Response r = TestServers.client(a).get("/connections/sealed-by-new?provider_config_key=ms");

    assertThat(r.status()).as(r.body()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("encryption_key_unavailable");
    assertThat(r.json().path("error").path("message").asText())
        .contains("'" + NEW_ID + "'").contains("GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS").doesNotContain("secret-new");
  }

  @Test
  void retiringTheOldKeyWhileValuesStillNeedItIsRefusedAtStartNamingTheKey() {
    // rotate-key run too early: an instance still sealing with the old key writes after it.
    a = Graphgate.start(config(NEW, OLD).build());
    b = Graphgate.start(config(OLD, NEW).build());
    ok(TestServers.client(a).post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}"));
    rotateKey(config(NEW, OLD));
    ok(TestServers.client(b).post("/connections", connection("late", "secret-late")));

    assertThatThrownBy(() -> others.add(Graphgate.start(config(NEW).build())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'" + OLD_ID + "'").hasMessageContaining("GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS").hasMessageContaining("rotate-key");
  }

  @Test
  void rotateKeyKeepsAWriteAnInstanceCommitsWhileItRuns() throws Exception {
    a = Graphgate.start(config(NEW, OLD).build());
    ApiClient api = TestServers.client(a);
    ok(api.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}"));
    b = Graphgate.start(config(OLD, NEW).build());
    ok(TestServers.client(b).post("/connections", connection("c1", "secret-1")));
    ok(TestServers.client(b).post("/connections", connection("c2", "secret-2")));
    SecretBox both = new SecretBox(EncryptionKey.fromBase64(NEW), List.of(EncryptionKey.fromBase64(OLD)), new SecureRandom());
    // What an instance writes when c1's credentials change: c2's credentials, sealed with the new key.
    String concurrentWrite = both.seal(both.unseal(credentialsOf("c2"), ConnectionRepository.CREDENTIALS_PURPOSE),
        ConnectionRepository.CREDENTIALS_PURPOSE);

    CompletableFuture<Integer> rotation;
    try (Connection writer = db.open()) {
      writer.setAutoCommit(false);
      try (PreparedStatement s = writer.prepareStatement("UPDATE connections SET credentials_sealed = ? WHERE connection_id = 'c1'")) {
        s.setString(1, concurrentWrite);
        assertThat(s.executeUpdate()).isEqualTo(1);
      }
      rotation = CompletableFuture.supplyAsync(() -> rotateKey(config(NEW, OLD)));
      await().atMost(Duration.ofSeconds(20)).until(() -> rotation.isDone() || blockedOnARowLock());
      writer.commit();
    }
    rotation.get(20, TimeUnit.SECONDS);

    assertThat(credentialsOf("c1")).as("the write committed during the rotation is kept").isEqualTo(concurrentWrite);
    assertThat(keyIdsInUse()).containsExactly(NEW_ID);
    a.close();
    a = Graphgate.start(config(NEW).build());
    assertThat(TestServers.client(a).get("/connections/c1?provider_config_key=ms").json().path("credentials").path("client_secret").asText())
        .isEqualTo("secret-2");
  }

  @Test
  void apiKeyRotatedAsDocumentedNeverAnswers401() {
    a = Graphgate.start(config(OLD).build());
    b = Graphgate.start(config(OLD).build());
    ok(TestServers.client(a).post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}"));
    List<String> clientKeys = List.of(OLD_API_KEY);
    bothAccept(clientKeys);

    // Step 1: the new key becomes current, the old one previous, one instance at a time; clients still send the old.
    a = restart(a, config(OLD).secretKey(NEW_API_KEY).previousSecretKeys(List.of(OLD_API_KEY)));
    bothAccept(clientKeys);
    b = restart(b, config(OLD).secretKey(NEW_API_KEY).previousSecretKeys(List.of(OLD_API_KEY)));
    bothAccept(clientKeys);

    // Step 2: clients move to the new key, some sooner than others.
    bothAccept(List.of(OLD_API_KEY, NEW_API_KEY));

    // Step 3: the old key is retired, one instance at a time; no client sends it any more.
    a = restart(a, config(OLD).secretKey(NEW_API_KEY));
    bothAccept(List.of(NEW_API_KEY));
    b = restart(b, config(OLD).secretKey(NEW_API_KEY));
    bothAccept(List.of(NEW_API_KEY));
    for (Graphgate g : List.of(a, b)) {
      assertThat(new ApiClient(g.baseUrl(), OLD_API_KEY).get("/integrations").code()).isEqualTo("unknown_account");
    }
  }

  /** Each instance writes sealed values, then each reads every sealed value written so far, its own and the other's. */
  void bothServe(String step) {
    ApiClient viaA = TestServers.client(a);
    ApiClient viaB = TestServers.client(b);
    ok(viaA.post("/connections", connection(step + "-a", "secret-" + step + "-a")));
    written.add(new String[] {step + "-a", "secret-" + step + "-a"});
    ok(viaB.post("/connections", connection(step + "-b", "secret-" + step + "-b")));
    written.add(new String[] {step + "-b", "secret-" + step + "-b"});
    sharedSecret = "shared-" + step;
    ok(viaB.patch("/integrations/ms", """
        {"credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s","webhook_secret":"webhook-%s"}}"""
        .formatted(CLIENT_ID, sharedSecret, step)));
    for (ApiClient api : List.of(viaA, viaB)) {
      for (String[] c : written) {
        ApiClient.Response r = ok(api.get("/connections/" + c[0] + "?provider_config_key=ms"));
        assertThat(r.json().path("credentials").path("client_secret").asText()).as(step + " " + c[0]).isEqualTo(c[1]);
      }
      // The other instance's cache picks up the change within GRAPHGATE_CACHE_SYNC_INTERVAL.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        ApiClient.Response r = ok(api.get("/integrations/ms?include=credentials"));
        assertThat(r.json().path("data").path("credentials").path("client_secret").asText()).isEqualTo(sharedSecret);
        assertThat(r.json().path("data").path("credentials").path("webhook_secret").asText()).isEqualTo("webhook-" + step);
      });
    }
  }

  void bothAccept(List<String> apiKeys) {
    for (Graphgate g : List.of(a, b)) {
      for (String key : apiKeys) {
        ok(new ApiClient(g.baseUrl(), key).get("/integrations"));
      }
    }
  }

  /** A 2xx answer; anything else (a 401 or a 5xx above all) fails the test at once, even inside an await. */
  static ApiClient.Response ok(ApiClient.Response r) {
    if (r.status() < 200 || r.status() > 299) {
      throw new IllegalStateException("unexpected " + r.status() + ": " + r.body());
    }
    return r;
  }

  Graphgate restart(Graphgate g, GraphgateConfig.Builder config) {
    g.close();
    return Graphgate.start(config.build());
  }

  /** What {@code ./graphgate rotate-key} does with these settings. */
  int rotateKey(GraphgateConfig.Builder config) {
    GraphgateConfig c = config.build();
    try (Database database = Database.open(c)) {
      return KeyRotation.resealAll(database.jdbi(), KeyRing.resolve(c, new SecureRandom()).box(new SecureRandom()));
    }
  }

  List<String> keyIdsInUse() {
    try (Database database = Database.open(config(NEW).build())) {
      return List.copyOf(KeyRotation.keyIdsInUse(database.jdbi()));
    }
  }

  String credentialsOf(String connectionId) throws Exception {
    try (Connection c = db.open(); PreparedStatement s = c.prepareStatement("SELECT credentials_sealed FROM connections WHERE connection_id = ?")) {
      s.setString(1, connectionId);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  boolean blockedOnARowLock() throws Exception {
    try (Connection c = db.open(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }

  GraphgateConfig.Builder config(String current, String... previous) {
    return TestServers.config(db, dataDir).encryptionKey(current).previousEncryptionKeys(List.of(previous));
  }

  static String connection(String id, String clientSecret) {
    return """
        {"provider_config_key":"ms","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s",
         "token":"token-of-%s","expires_at":"2100-01-01T00:00:00Z"},"connection_config":{"tenantId":"contoso.onmicrosoft.com"}}"""
        .formatted(id, CLIENT_ID, clientSecret, id);
  }

  static String key(String thirtyTwoBytes) {
    return Base64.getEncoder().encodeToString(thirtyTwoBytes.getBytes(StandardCharsets.US_ASCII));
  }
}

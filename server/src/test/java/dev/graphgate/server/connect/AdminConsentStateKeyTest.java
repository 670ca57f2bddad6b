package dev.graphgate.server.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.KeyRotation;
import dev.graphgate.server.config.GraphgateConfig;
import dev.graphgate.server.secret.EncryptionKey;
import dev.graphgate.server.secret.KeyRing;
import dev.graphgate.server.storage.Database;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key that signs admin consent states lives in the database, sealed, so it survives restarts and
 * {@code ./graphgate rotate-key}: a link handed out before the encryption key was rotated and the old key retired still
 * works, and the key is never stored in clear.
 */
class AdminConsentStateKeyTest {
  static final String TENANT = "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d";
  static final String OLD = Base64.getEncoder().encodeToString("consent-state-test-old-key-32byt".getBytes(StandardCharsets.UTF_8));
  static final String NEW = Base64.getEncoder().encodeToString("consent-state-test-new-key-32byt".getBytes(StandardCharsets.UTF_8));

  @TempDir Path dataDir;
  EmulatorFixture emulator;
  TestDatabase db;

  @BeforeEach
  void start() {
    emulator = new EmulatorFixture();
    emulator.tenant(TENANT, "adatum.onmicrosoft.com");
    db = TestDatabase.h2();
  }

  @AfterEach
  void stop() {
    db.close();
    emulator.close();
  }

  GraphgateConfig.Builder config(String key, List<String> previous) {
    return TestServers.config(db, dataDir).cloud(emulator.cloud()).encryptionKey(key).previousEncryptionKeys(previous);
  }

  @Test
  void aLinkHandedOutBeforeRotateKeyWorksAfterTheOldKeyIsRetired() throws Exception {
    URI redirect;
    try (Graphgate before = Graphgate.start(config(OLD, List.of()).build())) {
      ApiClient api = TestServers.client(before);
      api.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}");
      String app = UUID.randomUUID().toString();
      emulator.consentApp(app, "s3cret", List.of("User.Read.All"), List.of(before.config().publicUrlFor(before.port()) + "/admin-consent/callback"));
      api.post("/connections", """
          {"provider_config_key":"ms","connection_id":"adatum","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s3cret"},
           "connection_config":{"tenantId":"%s"}}""".formatted(app, TENANT));
      redirect = ConsentFlow.press(ConsentFlow.link(api.get("/connections/adatum?provider_config_key=ms")), "accept");
    }
    String sealedBefore = storedKey();
    assertThat(sealedBefore).as("sealed, never in clear").startsWith("gg1." + EncryptionKey.fromBase64(OLD).id() + ".");

    GraphgateConfig rotating = config(NEW, List.of(OLD)).build();
    try (Database database = Database.open(rotating)) {
      KeyRotation.resealAll(database.jdbi(), KeyRing.resolve(rotating, new SecureRandom()).box(new SecureRandom()));
      assertThat(KeyRotation.keyIdsInUse(database.jdbi())).containsExactly(EncryptionKey.fromBase64(NEW).id());
    }
    assertThat(storedKey()).startsWith("gg1." + EncryptionKey.fromBase64(NEW).id() + ".");

    try (Graphgate after = Graphgate.start(config(NEW, List.of()).build())) {
      ApiClient.Response page = ConsentFlow.open(ConsentFlow.sameAnswerTo(redirect, after.baseUrl()));
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      assertThat(page.body()).contains("Permissions granted");
    }
  }

  private String storedKey() throws Exception {
    try (Connection c = db.open(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT setting_value FROM settings WHERE name = '" + ConsentStateKey.SETTING + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}

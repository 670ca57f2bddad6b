package dev.graphgate.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL database goes away under a running server (its connections ended, new ones refused): requests that
 * need it get {@code 503 database_unavailable} with {@code Retry-After} and change nothing, readiness names the
 * database, liveness and cached tokens keep answering, and everything works again once the database is back.
 */
class DatabaseOutageTest {
  static final String TENANT_ID = "8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41";
  static final String APP_ID = "4a6f1d0e-7b2c-4e8a-9f3d-2c5b8e1a6d70";
  static final String APP_SECRET = "outage-test-secret";

  @TempDir Path dir;

  @Test
  void databaseGoneAfterStartThenCoded503WithRetryAfterAndReadinessNamesItUntilItIsBack() {
    try (TestDatabase db = TestDatabase.postgres(); EmulatorFixture emulator = new EmulatorFixture()) {
      emulator.tenant(TENANT_ID, "contoso.onmicrosoft.com");
      emulator.app(APP_ID, APP_SECRET, null, List.of());
      emulator.grant(TENANT_ID, APP_ID, List.of("User.Read.All"));
      try (Graphgate g = Graphgate.start(TestServers.config(db, dir).cloud(emulator.cloud())
          .databaseConnectionTimeout(Duration.ofSeconds(1)).build())) {
        ApiClient api = TestServers.client(g);
        ApiClient anonymous = new ApiClient(g.baseUrl(), null);
        assertThat(api.post("/integrations", integration("before")).status()).isEqualTo(200);
        assertThat(api.post("/connections", connection("contoso")).status()).isEqualTo(201);
        assertThat(api.get("/connections/contoso?provider_config_key=before").status()).as("token fetched and cached").isEqualTo(200);
        ApiClient.Response ready = anonymous.get("/health/ready");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);

        db.refuseConnections();
        try {
          for (int i = 0; i < 5; i++) {
            ApiClient.Response r = api.post("/integrations", integration("during-" + i));
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.code()).isEqualTo("database_unavailable");
            assertThat(r.json().path("error").path("message").asText()).contains("database").doesNotContain("gg_").doesNotContain("Exception");
            assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
          }
          ApiClient.Response metadata = api.patch("/connection/metadata",
              "{\"provider_config_key\":\"before\",\"connection_id\":\"contoso\",\"metadata\":{\"n\":1}}");
          assertThat(metadata.status()).as(metadata.body()).isEqualTo(503);
          assertThat(metadata.code()).isEqualTo("database_unavailable");

          assertThat(anonymous.get("/health").status()).as("liveness does not depend on the database").isEqualTo(200);
          assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
          assertThat(api.get("/connections/contoso?provider_config_key=before").status())
              .as("a cached token is served without the database").isEqualTo(200);
          // The report before the outage is reused for a few seconds; then the probe sees it.
          ApiClient.Response notReady = await().atMost(Duration.ofSeconds(30)).until(() -> anonymous.get("/health/ready"), r -> r.status() == 503);
          JsonNode body = notReady.json();
          assertThat(body.path("error").path("code").asText()).isEqualTo("not_ready");
          assertThat(body.path("error").path("message").asText()).contains("database");
          assertThat(body.path("checks").path("database").path("status").asText()).isEqualTo("failed");
          assertThat(body.path("checks").path("token_endpoint").path("status").asText()).isEqualTo("ok");
        } finally {
          db.acceptConnections();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> api.post("/integrations", integration("after")).status() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> anonymous.get("/health/ready").status() == 200);
        for (int i = 0; i < 5; i++) {
          assertThat(api.get("/integrations/during-" + i).status()).as("an answered 503 changed nothing").isEqualTo(404);
        }
        assertThat(api.get("/connections?connectionId=contoso").json().path("connections").get(0).path("metadata").path("n").isMissingNode())
            .as("the refused metadata PATCH changed nothing").isTrue();
      }
    }
  }

  private static String integration(String key) {
    return "{\"unique_key\":\"" + key + "\",\"provider\":\"microsoft-oauth2-cc\"}";
  }

  private static String connection(String id) {
    return """
        {"provider_config_key":"before","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(id, APP_ID, APP_SECRET, TENANT_ID);
  }
}

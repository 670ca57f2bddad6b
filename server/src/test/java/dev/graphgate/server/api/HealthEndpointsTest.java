package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.EmulatorFixture;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness and readiness, as load balancers and Kubernetes probe them: no key; readiness checks the database and the
 * login host (its OpenID discovery document, never a token request) and names what failed.
 */
class HealthEndpointsTest {
  @TempDir Path dir;

  @Test
  void databaseAndLoginHostUpThenReadyAndNoTokenWasRequested() {
    try (TestDatabase db = TestDatabase.h2(); EmulatorFixture emulator = new EmulatorFixture();
        Graphgate g = Graphgate.start(TestServers.config(db, dir).cloud(emulator.cloud()).build())) {
      ApiClient anonymous = new ApiClient(g.baseUrl(), null);
      for (String path : new String[] {"/health", "/health/live"}) {
        ApiClient.Response live = anonymous.get(path);
        assertThat(live.status()).as(path).isEqualTo(200);
        assertThat(live.json().path("result").asText()).isEqualTo("ok");
      }
      ApiClient.Response ready = anonymous.get("/health/ready");
      assertThat(ready.status()).as(ready.body()).isEqualTo(200);
      JsonNode body = ready.json();
      assertThat(body.path("result").asText()).isEqualTo("ok");
      assertThat(body.has("error")).isFalse();
      assertThat(body.path("checks").path("database").path("status").asText()).isEqualTo("ok");
      assertThat(body.path("checks").path("token_endpoint").path("status").asText()).isEqualTo("ok");
      assertThat(body.path("checked_at").asText()).endsWith("Z");
      assertThat(ready.header("Cache-Control")).isEqualTo("no-store");
      assertThat(emulator.tokenRequests()).as("readiness never asks for a token").isZero();
    }
  }

  @Test
  void loginHostUnreachableThen503NamingTheTokenEndpointAndLivenessStillOk() {
    // TestServers' default cloud points at a loopback port where nothing listens.
    try (TestDatabase db = TestDatabase.h2(); Graphgate g = Graphgate.start(TestServers.config(db, dir).build())) {
      ApiClient anonymous = new ApiClient(g.baseUrl(), null);
      ApiClient.Response ready = anonymous.get("/health/ready");
      assertThat(ready.status()).as(ready.body()).isEqualTo(503);
      JsonNode body = ready.json();
      assertThat(body.path("error").path("code").asText()).isEqualTo("not_ready");
      assertThat(body.path("error").path("message").asText())
          .startsWith("Not ready: token_endpoint (GET http://127.0.0.1:9/organizations/v2.0/.well-known/openid-configuration failed: ConnectException)");
      assertThat(body.path("checks").path("database").path("status").asText()).isEqualTo("ok");
      assertThat(body.path("checks").path("token_endpoint").path("status").asText()).isEqualTo("failed");
      assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
      assertThat(anonymous.get("/health").status()).isEqualTo(200);
    }
  }
}

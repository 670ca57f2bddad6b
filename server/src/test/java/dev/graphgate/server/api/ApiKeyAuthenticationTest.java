package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.LogCapture;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which API keys an instance accepts, and how the Authorization header may be written. */
class ApiKeyAuthenticationTest {
  static final String PREVIOUS = "9d3c1a7e-5b2f-4e8d-a1c6-0f7e2d4b8a93";
  static final String UNKNOWN = "0b8a7f1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b";

  @TempDir static Path dataDir;
  static TestDatabase db;
  static Graphgate server;
  static List<String> startLog;

  @RegisterExtension static final LogCapture logs = LogCapture.root();

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    server = Graphgate.start(TestServers.config(db, dataDir).previousSecretKeys(List.of(PREVIOUS)).build());
    startLog = logs.messages();
  }

  @AfterAll
  static void stop() {
    server.close();
    db.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer", "bearer", "BEARER", "bEaReR"})
  void theBearerSchemeIsCaseInsensitive(String scheme) {
    ApiClient.Response r = send(server, scheme + " " + TestServers.SECRET_KEY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(send(server, scheme + " " + UNKNOWN).code()).isEqualTo("unknown_account");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic " + TestServers.SECRET_KEY, "Bearer" + TestServers.SECRET_KEY, "Bearer", "bearer   ", "Token x"})
  void anotherSchemeOrNoCredentialsIsMalformed(String header) {
    ApiClient.Response r = send(server, header);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("malformed_auth_header");
  }

  @Test
  void aPreviousKeyIsAcceptedBesideTheCurrentOneAndAnUnknownKeyIsNot() {
    assertThat(new ApiClient(server.baseUrl(), TestServers.SECRET_KEY).get("/integrations").status()).isEqualTo(200);
    assertThat(new ApiClient(server.baseUrl(), PREVIOUS).get("/integrations").status()).isEqualTo(200);
    assertThat(new ApiClient(server.baseUrl(), PREVIOUS.toUpperCase()).get("/integrations").status()).as("UUIDs ignore case").isEqualTo(200);
    ApiClient.Response unknown = new ApiClient(server.baseUrl(), UNKNOWN).get("/integrations");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.code()).isEqualTo("unknown_account");
  }

  @Test
  void theStartLogSaysHowManyKeysAreAcceptedAndNeverWhich() {
    assertThat(startLog).anyMatch(l -> l.startsWith("accepting 2 API keys (1 current, 1 previous)"));
    assertThat(startLog).noneMatch(l -> l.contains(TestServers.SECRET_KEY) || l.contains(PREVIOUS) || l.contains("4b0e6f0a"));
  }

  @Test
  void theGeneratedKeyIsShownOnceKeptAcrossStartsAndCanBeAPreviousKeyAfterASwitch(@TempDir Path dataDir) {
    try (TestDatabase db = TestDatabase.h2()) {
      String generated;
      try (Graphgate first = Graphgate.start(TestServers.config(db, dataDir).secretKey(null).build())) {
        Optional<String> shown = first.generatedSecretKey();
        assertThat(shown).isPresent();
        generated = shown.get();
        assertThat(new ApiClient(first.baseUrl(), generated).get("/integrations").status()).isEqualTo(200);
      }
      try (Graphgate second = Graphgate.start(TestServers.config(db, dataDir).secretKey(null).build())) {
        assertThat(second.generatedSecretKey()).as("shown once").isEmpty();
        assertThat(new ApiClient(second.baseUrl(), generated).get("/integrations").status()).isEqualTo(200);
        assertThat(new ApiClient(second.baseUrl(), TestServers.SECRET_KEY).get("/integrations").code()).isEqualTo("unknown_account");
      }
      // Moving from the generated key to a chosen one without a 401: the generated one stays accepted as previous.
      try (Graphgate third = Graphgate.start(TestServers.config(db, dataDir).previousSecretKeys(List.of(generated)).build())) {
        assertThat(new ApiClient(third.baseUrl(), generated).get("/integrations").status()).isEqualTo(200);
        assertThat(new ApiClient(third.baseUrl(), TestServers.SECRET_KEY).get("/integrations").status()).isEqualTo(200);
      }
    }
  }

  static ApiClient.Response send(Graphgate g, String authorization) {
    return new ApiClient(g.baseUrl(), null).send(HttpRequest.newBuilder(g.baseUrl().resolve("/integrations")).header("Authorization", authorization).GET());
  }
}

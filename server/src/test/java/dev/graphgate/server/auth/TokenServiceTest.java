package dev.graphgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.Concurrently;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.Gate;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.testing.TestConnections;
import dev.graphgate.server.testing.TestIntegrations;
import dev.graphgate.server.testing.TestServers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The token service's rules, with a scripted token endpoint and a settable clock (no waiting, no network). */
class TokenServiceTest {
  static final String TENANT = "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f";

  ApiClient api;
  SettableClock clock = SettableClock.atSystemTime();
  ScriptedTokenEndpoint entra = new ScriptedTokenEndpoint();
  String key = TestServers.randomKey();

  @RegisterExtension final GraphgateExtension graphgate = GraphgateExtension.h2()
      .options(() -> Graphgate.Options.defaults().withClock(clock).withSleeper(d -> clock.advance(d)).withTokenEndpoint(entra));

  @BeforeEach
  void start() {
    api = graphgate.api();
    TestIntegrations.secret().uniqueKey(key).create(api);
    TestConnections.secret(key).connectionId("c").tenant(TENANT).post(api);
  }

  ApiClient.Response read() {
    return api.get("/connections/c?provider_config_key=" + key);
  }

  @Test
  void firstReadFetchesTokenThenServesItFromMemoryUntilTheRefreshMargin() {
    ApiClient.Response first = read();
    assertThat(first.status()).isEqualTo(200);
    assertThat(entra.requests()).isEqualTo(1);
    assertThat(entra.seen().get(0).tokenUrl().toString()).isEqualTo("http://127.0.0.1:9/" + TENANT + "/oauth2/v2.0/token");
    assertThat(entra.seen().get(0).form()).containsEntry("grant_type", "client_credentials").containsEntry("client_secret", "s3cret")
        .containsEntry("scope", "https://graph.microsoft.com/.default");
    String token = first.json().path("credentials").path("token").asText();

    long statements = graphgate.server().databaseStatements();
    for (int i = 0; i < 50; i++) {
      assertThat(read().json().path("credentials").path("token").asText()).isEqualTo(token);
    }
    assertThat(graphgate.server().databaseStatements()).isEqualTo(statements);
    assertThat(entra.requests()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(44));
    assertThat(read().json().path("credentials").path("token").asText()).isEqualTo(token);
    clock.advance(Duration.ofMinutes(2)); // 46 min: inside the 15-minute margin of a 3599 s token
    assertThat(read().json().path("credentials").path("token").asText())
        .as("still valid: served at once, while one refresh runs in the background").isEqualTo(token);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(read().json().path("credentials").path("token").asText()).isNotEqualTo(token));
    assertThat(entra.requests()).isEqualTo(2);
  }

  @Test
  void fiveHundredConcurrentReadsOfAnExpiredTokenMakeOneRequest() throws Exception {
    String expired = read().json().path("credentials").path("token").asText();
    clock.advance(Duration.ofMinutes(61)); // past the 3599 s token's expiry
    // The slow answer makes the readers overlap; they would still share one token if they did not.
    entra.delay(300);
    Set<String> tokens = new HashSet<>();
    for (ApiClient.Response r : Concurrently.times(500, i -> read())) {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      tokens.add(r.json().path("credentials").path("token").asText());
    }
    assertThat(entra.requests()).as("one request for the first token, one for all 500 readers").isEqualTo(2);
    assertThat(tokens).hasSize(1).doesNotContain(expired);
  }

  @Test
  void forceRefreshRequestsANewTokenAndBypassesTheMargin() {
    String token = read().json().path("credentials").path("token").asText();
    ApiClient.Response forced = api.get("/connections/c?provider_config_key=" + key + "&force_refresh=true");
    assertThat(entra.requests()).as(forced.body()).isEqualTo(2);
    assertThat(forced.json().path("credentials").path("token").asText()).isNotEqualTo(token);
  }

  @Test
  void aTokenDueForRefreshIsServedAtOnceWhileOneRefreshRunsInTheBackground() throws Exception {
    String token = read().json().path("credentials").path("token").asText();
    Gate entraAnswers = new Gate();
    entra.answer(n -> {
      entraAnswers.pass();
      return ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3599);
    });
    clock.advance(Duration.ofMinutes(50)); // due for refresh, valid for about 10 more minutes
    long statements = graphgate.server().databaseStatements();
    assertThat(read().json().path("credentials").path("token").asText()).isEqualTo(token);
    entraAnswers.awaitArrival();
    // Entra has not answered the refresh: every caller is still served the valid token, from memory.
    for (int i = 0; i < 100; i++) {
      ApiClient.Response r = read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().path("credentials").path("token").asText()).isEqualTo(token);
    }
    assertThat(graphgate.server().databaseStatements()).as("no caller touched the database").isEqualTo(statements);
    assertThat(entra.requests()).as("one refresh for all of them").isEqualTo(2);
    entraAnswers.open();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(read().json().path("credentials").path("token").asText()).isNotEqualTo(token));
    assertThat(entra.requests()).isEqualTo(2);
  }

  @Test
  void fiveHundredConcurrentForcedRefreshesShareOneTokenRequest() throws Exception {
    String token = read().json().path("credentials").path("token").asText();
    entra.delay(50);
    Set<String> tokens = new HashSet<>();
    for (ApiClient.Response r : Concurrently.times(500, i -> api.get("/connections/c?provider_config_key=" + key + "&force_refresh=true"))) {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      tokens.add(r.json().path("credentials").path("token").asText());
    }
    assertThat(entra.requests()).as("one request for the first token, one for all 500 forced refreshes").isEqualTo(2);
    assertThat(tokens).hasSize(1).doesNotContain(token);
  }

  @Test
  void aForcedRefreshAfterTheSharingWindowAsksForItsOwnToken() {
    String first = api.get("/connections/c?provider_config_key=" + key + "&force_refresh=true").json().path("credentials").path("token").asText();
    clock.advance(TokenService.FORCED_REFRESH_SHARING.minusMillis(1));
    assertThat(api.get("/connections/c?provider_config_key=" + key + "&force_refresh=true").json().path("credentials").path("token").asText())
        .as("within the window: shared").isEqualTo(first);
    clock.advance(Duration.ofMillis(2));
    assertThat(api.get("/connections/c?provider_config_key=" + key + "&force_refresh=true").json().path("credentials").path("token").asText())
        .as("after it: a new token").isNotEqualTo(first);
    assertThat(entra.requests()).isEqualTo(2);
  }

  @Test
  void expiredSecretMarksTheConnectionThenBacksOffThenCountsDays() {
    entra.answer(n -> ScriptedTokenEndpoint.rejected(401, "invalid_client", 7000222, "The provided client secret keys for app are expired."));
    ApiClient.Response failed = read();
    assertThat(failed.status()).isEqualTo(400);
    assertThat(failed.code()).isEqualTo("invalid_credentials");
    assertThat(failed.json().path("error").path("message").asText()).contains("client secret has expired").contains("AADSTS7000222");
    JsonNode connection = failed.json().path("error").path("payload").path("connection");
    assertThat(connection.path("status").asText()).isEqualTo("secret_expired");
    assertThat(connection.path("errors").get(0).path("type").asText()).isEqualTo("auth");
    assertThat(connection.path("credentials").isEmpty()).as("no credentials in an error").isTrue();
    assertThat(failed.body()).doesNotContain("s3cret");

    ApiClient.Response backoff = read();
    assertThat(backoff.status()).isEqualTo(424);
    assertThat(backoff.code()).isEqualTo("connection_refresh_backoff");
    assertThat(entra.requests()).as("no request during the backoff").isEqualTo(1);

    for (int day = 1; day <= 3; day++) {
      clock.advance(Duration.ofDays(1));
      assertThat(read().status()).isEqualTo(400);
    }
    ApiClient.Response exhausted = read();
    assertThat(exhausted.status()).isEqualTo(424);
    assertThat(exhausted.code()).isEqualTo("connection_refresh_exhausted");
    assertThat(entra.requests()).isEqualTo(4);

    entra.answer(n -> ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3599));
    ApiClient.Response forced = api.get("/connections/c?provider_config_key=" + key + "&force_refresh=true");
    assertThat(forced.status()).isEqualTo(200);
    assertThat(forced.json().path("status").asText()).isEqualTo("ok");
    assertThat(forced.json().path("errors").size()).isZero();
  }

  @Test
  void aClientThatWaitsTheBackoffsRetryAfterIsNotRefusedAgain() {
    entra.answer(n -> ScriptedTokenEndpoint.rejected(401, "invalid_client", 7000215, "Invalid client secret provided."));
    assertThat(read().status()).isEqualTo(400);
    clock.advance(Duration.ofMillis(500));
    ApiClient.Response backoff = read();
    assertThat(backoff.code()).isEqualTo("connection_refresh_backoff");
    clock.advance(Duration.ofSeconds(Long.parseLong(backoff.header("Retry-After"))));
    ApiClient.Response after = read();
    assertThat(after.code()).as("waited " + backoff.header("Retry-After") + " s as told: " + after.body()).isEqualTo("invalid_credentials");
    assertThat(entra.requests()).isEqualTo(2);
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() {
    entra.answer(n -> n < 3 ? ScriptedTokenEndpoint.unavailable() : ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3599));
    ApiClient.Response r = read();
    assertThat(r.status()).isEqualTo(200);
    assertThat(entra.requests()).isEqualTo(3);
  }

  @Test
  void transientFailureKeepsAStillValidTokenAndAHealthyStatus() {
    String token = read().json().path("credentials").path("token").asText();
    entra.answer(n -> ScriptedTokenEndpoint.unavailable());
    clock.advance(Duration.ofMinutes(50)); // due for refresh, still valid for ~10 minutes
    ApiClient.Response r = read();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("credentials").path("token").asText()).isEqualTo(token);
    assertThat(r.json().path("status").asText()).isEqualTo("ok");
    clock.advance(Duration.ofMinutes(15)); // now expired
    ApiClient.Response expired = read();
    assertThat(expired.status()).isEqualTo(503);
    assertThat(expired.code()).isEqualTo("token_endpoint_unavailable");
  }

  @Test
  void tokenWithoutRolesIsConsentMissingUntilConsentIsGranted() {
    entra.answer(n -> ScriptedTokenEndpoint.issued(null, 3599));
    ApiClient.Response r = read();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("consent_missing");
    assertThat(r.json().path("admin_consent_url").asText()).startsWith("http://127.0.0.1:9/" + TENANT
        + "/v2.0/adminconsent?client_id=11112222-bbbb-3333-cccc-4444dddd5555&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
        + "&redirect_uri=" + java.net.URLEncoder.encode(graphgate.server().baseUrl().toString().replace("127.0.0.1", "localhost") + "/admin-consent/callback",
            java.nio.charset.StandardCharsets.UTF_8) + "&state=");
    assertThat(r.json().path("granted_permissions").size()).isZero();

    entra.answer(n -> ScriptedTokenEndpoint.issued(List.of("Mail.Read"), 3599));
    clock.advance(TokenLifetimes.CONSENT_RECHECK.plusSeconds(1));
    // The token without permissions is still valid: the read after the recheck is answered at once and starts it.
    assertThat(read().status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(read().json().path("status").asText()).isEqualTo("ok"));
    ApiClient.Response after = read();
    assertThat(after.json().path("granted_permissions").get(0).asText()).isEqualTo("Mail.Read");
    assertThat(after.json().has("admin_consent_url")).isFalse();
  }

  @Test
  void adminConsentCallbackWithTheLinksStateRefreshesTheTokenAtOnce() {
    entra.answer(n -> ScriptedTokenEndpoint.rejected(400, "unauthorized_client", 700016, "Application with identifier 'x' was not found in the directory."));
    ApiClient.Response refused = read();
    assertThat(refused.status()).isEqualTo(400);
    assertThat(read().code()).as("backing off").isEqualTo("connection_refresh_backoff");
    String state = ConsentFlow.queryParam(ConsentFlow.link(refused), "state");
    entra.answer(n -> ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3599));

    ApiClient.Response page = new ApiClient(graphgate.server().baseUrl(), null).get("/admin-consent/callback?admin_consent=True&tenant=" + TENANT
        + "&state=" + state);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("Permissions granted").contains("<code>User.Read.All</code>");
    assertThat(entra.requests()).as("the callback fetched the token, bypassing the backoff").isEqualTo(2);
    ApiClient.Response after = read();
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().path("status").asText()).isEqualTo("ok");
    assertThat(entra.requests()).isEqualTo(2);
  }

  @Test
  void appNotInTenantCarriesTheAdminConsentLink() {
    entra.answer(n -> ScriptedTokenEndpoint.rejected(400, "unauthorized_client", 700016, "Application with identifier 'x' was not found in the directory."));
    ApiClient.Response r = read();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("payload").path("status").asText()).isEqualTo("app_not_in_tenant");
    assertThat(r.json().path("error").path("message").asText()).contains("/v2.0/adminconsent?client_id=");
    ApiClient.Response backingOff = read();
    assertThat(backingOff.code()).isEqualTo("connection_refresh_backoff");
    assertThat(backingOff.json().path("error").path("message").asText()).as("the link during the backoff too").contains("/v2.0/adminconsent?client_id=");
  }

  @Test
  void aConnectionDeletedWhileItsTokenIsFetchedIsNotServedAfterwards() throws Exception {
    Gate entraAnswers = new Gate();
    entra.answer(n -> {
      entraAnswers.pass();
      return ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3599);
    });
    Future<ApiClient.Response> reading = Concurrently.inBackground(this::read);
    entraAnswers.awaitArrival();
    assertThat(api.delete("/connections/c?provider_config_key=" + key).status()).isEqualTo(200);
    entraAnswers.open();
    ApiClient.Response during = reading.get();
    assertThat(during.status()).as(during.body()).isEqualTo(404);

    ApiClient.Response after = read();
    assertThat(after.status()).as("the deleted connection must not come back from memory: " + after.body()).isEqualTo(404);
    assertThat(api.get("/connections").json().path("connections").size()).isZero();
  }

  @Test
  void aConnectionImportedAgainWhileItsTokenIsFetchedNeverGetsTheOldTenantsToken() throws Exception {
    String otherTenant = "fabrikam.onmicrosoft.com";
    Gate firstAnswer = new Gate();
    entra.answer(n -> {
      if (n == 1) {
        firstAnswer.pass();
      }
      return ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3599);
    });
    Future<ApiClient.Response> reading = Concurrently.inBackground(this::read);
    firstAnswer.awaitArrival();
    assertThat(TestConnections.secret(key).connectionId("c").tenant(otherTenant).post(api).status()).isEqualTo(201);
    firstAnswer.open();
    reading.get();

    ApiClient.Response after = read();
    assertThat(after.status()).as(after.body()).isEqualTo(200);
    assertThat(after.json().path("connection_config").path("tenantId").asText()).isEqualTo(otherTenant);
    assertThat(entra.requests()).as("the first tenant's token must not be stored on the imported connection").isEqualTo(2);
    assertThat(entra.seen().get(1).tokenUrl().toString()).contains("/" + otherTenant + "/");
  }
}

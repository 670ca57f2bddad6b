package dev.graphgate.server.connect;

import static dev.graphgate.server.testing.ConnectSessionsRig.asSession;
import static dev.graphgate.server.testing.ConnectSessionsRig.create;
import static dev.graphgate.server.testing.ConnectSessionsRig.session;
import static dev.graphgate.server.testing.ConnectSessionsRig.tenantParam;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one PostgreSQL database behind a load balancer: a session created on one works on the other (the
 * Connect UI's calls land on either), a session deleted on one stops working on both, and the admin consent link one
 * instance makes for a session is answered on the other.
 */
class ConnectSessionsTwoInstancesTest {
  static final String TENANT = "5e3f4a5b-6c7d-4e8f-8a9b-1c2d3e4f5a70";
  static final String SECRET = "two-instances-session-secret";

  @RegisterExtension final GraphgateExtension graphgate = GraphgateExtension.postgres().withEmulator().instances(2);
  Graphgate a;
  Graphgate b;

  @BeforeEach
  void start() {
    graphgate.emulator().tenant(TENANT, "two-instances.onmicrosoft.com");
    a = graphgate.server(0);
    b = graphgate.server(1);
  }

  @Test
  void aSessionCreatedOnOneInstanceWorksOnTheOtherUntilItIsDeletedOnEither() {
    ApiClient apiA = TestServers.client(a);
    String app = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(app, SECRET, List.of("User.Read.All"), List.of());
    graphgate.emulator().grant(TENANT, app, List.of("User.Read.All"));
    assertThat(apiA.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}").status()).isEqualTo(200);
    String token = session(apiA, "{\"end_user\":{\"id\":\"u-ab\"},\"allowed_integrations\":[\"ms\"]}");

    ApiClient onB = asSession(b, token);
    ApiClient.Response read = onB.get("/connect/session");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().path("data").path("endUser").path("id").asText()).isEqualTo("u-ab");
    // B lists integrations from memory: it hears of A's new one through the change feed.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(onB.get("/integrations").json().path("data")).extracting(n -> n.path("unique_key").asText()).containsExactly("ms"));
    ApiClient.Response created = create(b, "/oauth2/auth/", "ms", token, tenantParam(TENANT),
        "{\"client_id\":\"%s\",\"client_secret\":\"%s\"}".formatted(app, SECRET));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    ApiClient.Response onA = apiA.get("/connections/" + created.json().path("connectionId").asText() + "?provider_config_key=ms");
    assertThat(onA.status()).as(onA.body()).isEqualTo(200);
    assertThat(onA.json().path("tags").path("end_user_id").asText()).isEqualTo("u-ab");

    assertThat(onB.delete("/connect/session").status()).isEqualTo(204);
    assertThat(asSession(a, token).get("/connect/session").code()).isEqualTo("unknown_connect_session_token");
    assertThat(onB.get("/connect/session").code()).isEqualTo("unknown_connect_session_token");
  }

  @Test
  void theConsentLinkOfASessionMadeOnOneInstanceIsAnsweredOnTheOtherOnce() {
    ApiClient apiA = TestServers.client(a);
    String app = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(app, SECRET, List.of("User.Read.All"), List.of(a.config().publicUrlFor(a.port()) + "/admin-consent/callback"));
    assertThat(apiA.post("/integrations", """
        {"unique_key":"shared","provider":"microsoft-oauth2-cc","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"}}"""
        .formatted(app, SECRET)).status()).isEqualTo(200);
    String token = session(apiA, "{\"tags\":{\"via\":\"consent\"}}");
    String link = asSession(a, token).post("/connect/admin-consent", "{\"integration\":\"shared\"}").json().path("data").path("url").asText();
    URI redirect = ConsentFlow.press(link, "accept", Map.of("tenant", TENANT));

    ApiClient.Response onB = ConsentFlow.open(ConsentFlow.sameAnswerTo(redirect, b.baseUrl()));
    assertThat(onB.status()).as(onB.body()).isEqualTo(200);
    assertThat(onB.body()).contains("Connected");
    for (Graphgate instance : List.of(a, b)) {
      ApiClient.Response replay = ConsentFlow.open(ConsentFlow.sameAnswerTo(redirect, instance.baseUrl()));
      assertThat(replay.status()).as(replay.body()).isEqualTo(400);
      assertThat(replay.body()).contains("already used");
    }
    assertThat(apiA.get("/connections?integrationId=shared").json().path("connections").size()).isEqualTo(1);
  }
}

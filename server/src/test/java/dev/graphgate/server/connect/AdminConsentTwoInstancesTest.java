package dev.graphgate.server.connect;

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
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one PostgreSQL database: a link one instance hands out works when Entra sends the admin to the
 * other (the load balancer decides), and once it has worked neither instance accepts it again.
 */
class AdminConsentTwoInstancesTest {
  static final String TENANT = "9e3f4a5b-6c7d-4e8f-8a9b-1c2d3e4f5a6b";
  static final String SECRET = "two-instances-secret";

  @RegisterExtension final GraphgateExtension graphgate = GraphgateExtension.postgres().withEmulator().instances(2);
  Graphgate a;
  Graphgate b;

  @BeforeEach
  void start() {
    graphgate.emulator().tenant(TENANT, "northwind.onmicrosoft.com");
    a = graphgate.server(0);
    b = graphgate.server(1);
  }

  @Test
  void aLinkIssuedByOneInstanceWorksOnTheOtherOnceAndIsRefusedOnBothAfterwards() {
    ApiClient apiA = TestServers.client(a);
    apiA.post("/integrations", "{\"unique_key\":\"ms\",\"provider\":\"microsoft-oauth2-cc\"}");
    String app = UUID.randomUUID().toString();
    graphgate.emulator().consentApp(app, SECRET, List.of("User.Read.All"), List.of(a.config().publicUrlFor(a.port()) + "/admin-consent/callback"));
    ApiClient.Response created = apiA.post("/connections", """
        {"provider_config_key":"ms","connection_id":"northwind","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(app, SECRET, TENANT));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    URI redirect = ConsentFlow.press(ConsentFlow.link(apiA.get("/connections/northwind?provider_config_key=ms")), "accept");
    ApiClient.Response onB = ConsentFlow.open(ConsentFlow.sameAnswerTo(redirect, b.baseUrl()));
    assertThat(onB.status()).as(onB.body()).isEqualTo(200);
    assertThat(onB.body()).contains("Permissions granted").contains("<code>User.Read.All</code>");

    for (Graphgate instance : List.of(a, b)) {
      ApiClient.Response replay = ConsentFlow.open(ConsentFlow.sameAnswerTo(redirect, instance.baseUrl()));
      assertThat(replay.status()).as(replay.body()).isEqualTo(400);
      assertThat(replay.body()).contains("already used");
      ConsentFlow.assertHtmlHeaders(replay);
    }
    // A hears of B's new token through the change feed.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      ApiClient.Response onA = apiA.get("/connections/northwind?provider_config_key=ms");
      assertThat(onA.status()).as(onA.body()).isEqualTo(200);
      assertThat(onA.json().path("status").asText()).isEqualTo("ok");
    });
  }
}

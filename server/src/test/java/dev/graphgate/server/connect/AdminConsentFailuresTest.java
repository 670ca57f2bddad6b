package dev.graphgate.server.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ConsentFlow;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.TestConnections;
import dev.graphgate.server.testing.TestIntegrations;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The callback when what it depends on fails: Entra's metadata cannot be read (the login host here is a port nothing
 * listens on), or the database is gone. Each answer is still an HTML page with every protection, and changes nothing.
 */
class AdminConsentFailuresTest {
  static final String GUID = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";
  static final String DOMAIN = "litware.onmicrosoft.com";

  ApiClient api;
  ScriptedTokenEndpoint entra = new ScriptedTokenEndpoint();
  String state;

  @RegisterExtension final GraphgateExtension graphgate = GraphgateExtension.h2()
      .options(() -> Graphgate.Options.defaults().withTokenEndpoint(entra));

  @BeforeEach
  void start() {
    api = graphgate.api();
    TestIntegrations.secret().uniqueKey("ms").create(api);
    TestConnections.secret("ms").connectionId("c").tenant(DOMAIN).post(api);
    entra.answer(n -> ScriptedTokenEndpoint.issued(null, 3599));
    state = ConsentFlow.queryParam(ConsentFlow.link(api.get("/connections/c?provider_config_key=ms")), "state");
    entra.answer(n -> ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3599));
  }

  ApiClient.Response callback(String tenant) {
    return ConsentFlow.open(URI.create(graphgate.server().baseUrl() + "/admin-consent/callback?admin_consent=True&tenant=" + tenant + "&state=" + state));
  }

  @Test
  void aDomainLinkWhoseTenantEntraCannotConfirmSaysSoAndStaysUsable() {
    int requests = entra.requests();
    ApiClient.Response page = callback(GUID);
    assertThat(page.status()).as(page.body()).isEqualTo(503);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("could not confirm with Microsoft which tenant " + DOMAIN).contains("the link still works")
        .doesNotContain("Permissions granted");
    assertThat(entra.requests()).as("no token was requested").isEqualTo(requests);

    ApiClient.Response named = callback(DOMAIN);
    assertThat(named.status()).as("an answer naming the link's own domain needs no metadata: " + named.body()).isEqualTo(200);
    assertThat(named.body()).contains("<code>User.Read.All</code>");
  }

  @Test
  void withTheDatabaseGoneTheCallbackAnswersAProtectedErrorPageNotJson() {
    graphgate.db().close();
    ApiClient.Response page = callback(DOMAIN);
    assertThat(page.status()).as(page.body()).isEqualTo(500);
    ConsentFlow.assertHtmlHeaders(page);
    assertThat(page.body()).contains("This page is not available right now").contains("Reload it in a moment").doesNotContain("Exception");
  }
}

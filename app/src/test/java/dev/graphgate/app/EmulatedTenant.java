package dev.graphgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.server.testing.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One customer tenant in the Microsoft emulator whose admin granted the app, and what a {@code serve} process needs to
 * use it: the custom cloud settings, the integration {@value #INTEGRATION} and connections to that tenant.
 */
final class EmulatedTenant {
  static final String TENANT_ID = "8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41";
  static final String APP_ID = "4a6f1d0e-7b2c-4e8a-9f3d-2c5b8e1a6d70";
  static final String APP_SECRET = "process-test-secret-value";
  static final String INTEGRATION = "microsoft";

  /** The proxied call of these tests reads /organization, which Graph allows with Organization.Read.All, not User.Read.All. */
  private static final List<String> ROLES = List.of("User.Read.All", "Organization.Read.All");

  private EmulatedTenant() {}

  static void seed(Emulator emulator) {
    emulator.directory().createTenant(Optional.of(TENANT_ID), Optional.of("Contoso"), List.of("contoso.onmicrosoft.com"));
    emulator.directory().createApp(new NewApp(Optional.of(APP_ID), "Graphgate process test app", true, Optional.of(TENANT_ID), List.of(),
        ROLES, List.of(new NewApp.NewSecret(Optional.of(APP_SECRET), Optional.empty())), List.of(), false));
    emulator.directory().grant(TENANT_ID, APP_ID, ROLES);
  }

  static Map<String, String> cloudSettings(Emulator emulator) {
    return Map.of("GRAPHGATE_CLOUD", "custom", "GRAPHGATE_LOGIN_URL", emulator.loginUrl().toString(),
        "GRAPHGATE_GRAPH_URL", emulator.graphUrl().toString());
  }

  static void createIntegration(ApiClient api) {
    ApiClient.Response r = api.post("/integrations", "{\"unique_key\":\"" + INTEGRATION + "\",\"provider\":\"microsoft-oauth2-cc\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  static String importBody(String connectionId) {
    return """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
         "connection_config":{"tenantId":"%s"}}""".formatted(INTEGRATION, connectionId, APP_ID, APP_SECRET, TENANT_ID);
  }

  static String metadataBody(String connectionId, int n) {
    return "{\"provider_config_key\":\"" + INTEGRATION + "\",\"connection_id\":\"" + connectionId + "\",\"metadata\":{\"n\":" + n + "}}";
  }

  /** A proxied Graph read for {@code connectionId}. */
  static java.net.http.HttpRequest.Builder proxiedRead(ApiClient api, String connectionId) {
    return api.request("/proxy/v1.0/organization").header("Connection-Id", connectionId).header("Provider-Config-Key", INTEGRATION).GET();
  }

  /** Request-log rows of {@code connectionId} (at most 1000, which these tests stay under). */
  static int logRows(ApiClient api, String connectionId) {
    ApiClient.Response r = api.get("/logs?limit=1000&connection_id=" + connectionId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("logs").size();
  }

  /** Every record of {@code model} for {@code connectionId}, page by page through {@code GET /records}'s cursors. */
  static List<JsonNode> allRecords(ApiClient api, String connectionId, String model) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      ApiClient.Response page = api.send(api.request("/records?model=" + model + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor))
          .header("Connection-Id", connectionId).header("Provider-Config-Key", INTEGRATION).GET());
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.json().path("records").forEach(all::add);
      cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
    } while (cursor != null);
    return all;
  }

  /** {@code GET /sync/status} of {@code sync} for {@code connectionId}: its one entry, or an empty object before it has one. */
  static JsonNode syncStatus(ApiClient api, String connectionId, String sync) {
    ApiClient.Response r = api.get("/sync/status?syncs=" + sync + "&provider_config_key=" + INTEGRATION + "&connection_id=" + connectionId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode syncs = r.json().path("syncs");
    return syncs.isEmpty() ? JsonNodeFactory.instance.objectNode() : syncs.get(0);
  }
}

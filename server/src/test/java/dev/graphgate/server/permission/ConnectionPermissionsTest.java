package dev.graphgate.server.permission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /connections/{id}/permissions}: the token's roles, what the enabled syncs and the actions need, what is
 * missing with the admin consent link, and the Explorer's check of one request. The connection's token starts with
 * User.Read.All, Mail.Read and Files.Read.All (ProxyRig).
 */
class ConnectionPermissionsTest {
  @RegisterExtension final ProxyRigExtension rig = ProxyRigExtension.withEmulatorGraph();
  static final String ROUTE = "/connections/" + ProxyRig.CONNECTION + "/permissions?provider_config_key=" + ProxyRig.INTEGRATION;

  private JsonNode get(String query) {
    ApiClient.Response r = rig.api().get(ROUTE + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private void enable(String... syncs) {
    ApiClient.Response r = rig.api().put("/integrations/" + ProxyRig.INTEGRATION + "/syncs", "{\"syncs\":" + dev.graphgate.server.Json.write(List.of(syncs)) + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no " + name + " in " + list);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void saysWhatTheTokenHasWhatTheEnabledSyncsAndActionsNeedAndWhatIsMissing() {
    enable("users", "groups", "messages");
    JsonNode r = get("");
    assertThat(r.path("connection_id").asText()).isEqualTo(ProxyRig.CONNECTION);
    assertThat(r.path("tenant_id").asText()).isEqualTo(ProxyRig.TENANT_ID);
    assertThat(texts(r.path("roles"))).containsExactlyInAnyOrder("User.Read.All", "Mail.Read", "Files.Read.All");
    assertThat(r.path("syncs")).hasSize(3);
    assertThat(named(r.path("syncs"), "users").path("satisfied").asBoolean()).isTrue();
    JsonNode groups = named(r.path("syncs"), "groups");
    assertThat(groups.path("satisfied").asBoolean()).isFalse();
    assertThat(texts(groups.path("needs").path(0).path("one_of"))).startsWith("GroupMember.Read.All");
    JsonNode messages = named(r.path("syncs"), "messages");
    assertThat(messages.path("satisfied").asBoolean()).isTrue();
    assertThat(messages.path("needs").path(1).path("purpose").asText()).isEqualTo("list the mailboxes");
    assertThat(named(r.path("actions"), "send-mail").path("satisfied").asBoolean()).isFalse();
    assertThat(r.path("actions")).hasSize(5);
    assertThat(texts(r.path("missing"))).containsExactly("GroupMember.Read.All", "Mail.Send", "Calendars.ReadWrite", "User.ReadWrite.All",
        "GroupMember.ReadWrite.All", "Files.ReadWrite.All");
    assertThat(r.path("admin_consent_url").asText()).contains("/" + ProxyRig.TENANT_ID + "/v2.0/adminconsent?client_id=" + ProxyRig.APP_ID);
  }

  @Test
  void nothingMissingOnceTheAdminGrantedWhatTheWorkNeeds() {
    enable("users");
    rig.emulator().grant(ProxyRig.TENANT_ID, ProxyRig.APP_ID, List.of("User.Read.All", "Mail.Send", "Calendars.ReadWrite", "User.ReadWrite.All",
        "GroupMember.ReadWrite.All", "Files.ReadWrite.All"));
    // The users sync's first run starts on enable and fetches a token; a forced refresh that arrives while that request
    // (made before the grant) is under way may share it and get the old roles. Entra's grants also reach tokens only
    // some time after consent: the admin's next refresh sees them, as here.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(rig.api().get("/connections/" + ProxyRig.CONNECTION + "?provider_config_key=" + ProxyRig.INTEGRATION + "&force_refresh=true")
          .status()).isEqualTo(200);
      assertThat(get("").path("missing")).isEmpty();
    });
    JsonNode r = get("");
    assertThat(r.path("missing")).isEmpty();
    assertThat(r.path("admin_consent_url").isNull()).isTrue();
    assertThat(r.path("actions").findValuesAsText("satisfied")).containsOnly("true");
  }

  @Test
  void theExplorersCheckOfOneRequestBeforeItIsSent() {
    JsonNode missing = get("&method=GET&path=/v1.0/groups/g1/members").path("request");
    assertThat(missing.path("verdict").asText()).isEqualTo("missing");
    assertThat(missing.path("template").asText()).isEqualTo("/groups/{group}/members");
    assertThat(missing.path("sentence").asText()).contains("the connection's token carries none of them: grant GroupMember.Read.All");
    assertThat(missing.path("admin_consent_url").asText()).contains("adminconsent");

    JsonNode allowed = get("&method=get&path=/v1.0/users/u1/mailFolders/inbox/messages?$top=5").path("request");
    assertThat(allowed.path("allowed").asBoolean()).isTrue();
    assertThat(texts(allowed.path("carried"))).containsExactly("Mail.Read");
    assertThat(allowed.path("admin_consent_url").isNull()).isTrue();

    assertThat(get("&method=GET&path=/v1.0/me/messages").path("request").path("verdict").asText()).isEqualTo("not_app_only");
    assertThat(get("&method=GET&path=/v1.0/security/alerts").path("request").path("verdict").asText()).isEqualTo("unlisted");
  }

  @Test
  void badQueriesAndUnknownConnectionsAreCodedErrors() {
    ApiClient.Response noKey = rig.api().get("/connections/" + ProxyRig.CONNECTION + "/permissions");
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.code()).isEqualTo("invalid_query_params");
    ApiClient.Response halfCheck = rig.api().get(ROUTE + "&method=GET");
    assertThat(halfCheck.status()).isEqualTo(400);
    assertThat(halfCheck.code()).isEqualTo("invalid_query_params");
    ApiClient.Response badMethod = rig.api().get(ROUTE + "&method=FETCH&path=/v1.0/users");
    assertThat(badMethod.code()).isEqualTo("invalid_query_params");
    ApiClient.Response unknownKey = rig.api().get(ROUTE + "&color=blue");
    assertThat(unknownKey.code()).isEqualTo("invalid_query_params");
    ApiClient.Response unknown = rig.api().get("/connections/nobody/permissions?provider_config_key=" + ProxyRig.INTEGRATION);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("not_found");
    ApiClient.Response noIntegration = rig.api().get("/connections/" + ProxyRig.CONNECTION + "/permissions?provider_config_key=nope");
    assertThat(noIntegration.status()).isEqualTo(400);
    assertThat(noIntegration.code()).isEqualTo("unknown_provider_config");
    ApiClient.Response noKeyAuth = new ApiClient(rig.graphgate().baseUrl(), null).get(ROUTE);
    assertThat(noKeyAuth.status()).isEqualTo(401);
  }
}

package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Graph 403 through the proxy carries {@code X-Graphgate-Permission-Hint} (and the admin consent link when the token
 * has none of the permissions), and its request log entry the same sentence; other answers carry neither. The
 * connection's token grants User.Read.All, Mail.Read and Files.Read.All (ProxyRig).
 */
class ProxyPermissionHintTest {
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withEmulatorGraph();
  static String user;

  @BeforeAll
  static void data() {
    rig.emulator().generate(ProxyRig.TENANT_ID, "{\"users\": 3, \"groups\": 1, \"membersPerGroup\": 1, \"messagesPerMailbox\": 1}");
    user = rig.send(rig.proxy("/v1.0/users?$top=1&$select=id").GET()).json().path("value").path(0).path("id").asText();
  }

  @Test
  void aForbiddenReadNamesThePermissionsTheTokenLacksAndTheConsentLink() {
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/groups?$top=5").GET());
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("Authorization_RequestDenied");
    String hint = "GET /v1.0/groups needs one of the application permissions GroupMember.Read.All, Group.Read.All, Group.ReadWrite.All,"
        + " Directory.Read.All, Directory.ReadWrite.All (least privileged first); the connection's token carries none of them: grant"
        + " GroupMember.Read.All to the app registration and have the tenant's admin consent again.";
    assertThat(r.header(GraphProxy.PERMISSION_HINT)).isEqualTo(hint);
    assertThat(r.header(GraphProxy.ADMIN_CONSENT_URL)).contains("/" + ProxyRig.TENANT_ID + "/v2.0/adminconsent?client_id=" + ProxyRig.APP_ID);

    JsonNode entry = newest("/v1.0/groups");
    assertThat(entry.path("status").asInt()).isEqualTo(403);
    assertThat(entry.path("permission_hint").asText()).isEqualTo(hint);
  }

  @Test
  void aForbiddenWriteNamesTheWritePermissions() {
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/users/" + user + "/drive/root:/notes.txt:/content").header("Content-Type", "text/plain")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("hello")));
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.header(GraphProxy.PERMISSION_HINT)).startsWith("PUT /v1.0/users/{user}/drive/root:{path}:/content needs one of the"
        + " application permissions Files.ReadWrite.All, Sites.ReadWrite.All (least privileged first); the connection's token carries none");
  }

  @Test
  void answersOtherThanAForbiddenCarryNoHint() {
    ApiClient.Response ok = rig.send(rig.proxy("/v1.0/users/" + user + "/mailFolders/inbox/messages").GET());
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.header(GraphProxy.PERMISSION_HINT)).isNull();
    assertThat(ok.header(GraphProxy.ADMIN_CONSENT_URL)).isNull();
    ApiClient.Response missing = rig.send(rig.proxy("/v1.0/users/00000000-0000-0000-0000-000000000000").GET());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header(GraphProxy.PERMISSION_HINT)).isNull();
    assertThat(newest("/v1.0/users/00000000").path("permission_hint").isNull()).isTrue();
  }

  /** The newest log entry once its path is there (the proxy queues it a moment after the client has its answer). */
  static JsonNode newest(String pathPart) {
    JsonNode[] found = new JsonNode[1];
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(rig.graphgate().proxyLog().awaitWritten(Duration.ofSeconds(10))).isTrue();
      JsonNode first = rig.api().get("/logs?limit=1").json().path("logs").path(0);
      assertThat(first.path("path").asText()).contains(pathPart);
      found[0] = first;
    });
    return found[0];
  }
}

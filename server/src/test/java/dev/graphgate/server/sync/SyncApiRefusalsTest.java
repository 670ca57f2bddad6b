package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input to the records and sync routes gets a coded 4xx, and changes nothing. */
class SyncApiRefusalsTest {
  @TempDir static Path dataDir;
  static TestDatabase db;
  static SyncRig rig;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    rig = SyncRig.start(dataDir, db, "{\"users\": 20}", b -> b);
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}"), 200);
    rig.awaitRunAfter(SyncRig.CONNECTION, "users", null);
  }

  @AfterAll
  static void stop() {
    try {
      rig.close();
    } finally {
      db.close();
    }
  }

  @Test
  void recordsRefuseBadQueriesAndHeadersWithCodes() {
    expect(rig.api().get("/records?model=User"), 400, "invalid_headers");
    expect(rig.records("nobody", "model=User"), 400, "unknown_connection");
    expect(rig.api().send(rig.api().request("/records?model=User").header("Connection-Id", SyncRig.CONNECTION)
        .header("Provider-Config-Key", "no-such-integration").GET()), 400, "unknown_connection");
    for (String query : new String[] {"", "model=user", "model=User&limit=0", "model=User&limit=10001", "model=User&limit=ten",
        "model=User&filter=added,created", "model=User&filter=", "model=User&cursor=not-a-cursor", "model=User&cursor=" + "a".repeat(1001),
        "model=User&modified_after=2026-01-05T12:00:00", "model=User&modified_after=yesterday",
        "model=User&modified_after=" + Instant.now().minus(400, ChronoUnit.DAYS), "model=User&unknown=1", "model=User&variant=a%20b",
        "model=User&" + IntStream.range(0, 101).mapToObj(i -> "ids=x" + i).collect(Collectors.joining("&"))}) {
      ApiClient.Response r = rig.records(SyncRig.CONNECTION, query);
      if (query.equals("model=User&filter=")) {
        // An empty parameter is no parameter, as for every route.
        assertThat(r.status()).isEqualTo(200);
        continue;
      }
      expect(r, 400, "invalid_query_params");
    }
    ApiClient.Response fine = rig.records(SyncRig.CONNECTION, "model=User&filter=ADDED&limit=5&modified_after="
        + Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    assertThat(fine.status()).as(fine.body()).isEqualTo(200);
    assertThat(fine.json().path("records").size()).isEqualTo(5);
  }

  @Test
  void syncRoutesRefuseBadBodiesWithCodesAndChangeNothing() {
    String before = rig.status(SyncRig.CONNECTION, "users").toString();
    String base = "\"provider_config_key\":\"" + SyncRig.INTEGRATION + "\",\"connection_id\":\"" + SyncRig.CONNECTION + "\"";
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"],\"connection_id\":\"contoso\"}"), 400, "missing_provider_config_key");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"],\"provider_config_key\":\"nope\"}"), 400, "unknown_provider_config");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"],\"provider_config_key\":\"microsoft\",\"connection_id\":\"nobody\"}"), 404,
        "unknown_connection");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"groups\"]," + base + "}"), 400, "no_syncs_found");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users::v2\"]," + base + "}"), 400, "invalid_body");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":\"users\"," + base + "}"), 400, "invalid_body");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[42]," + base + "}"), 400, "invalid_body");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"]," + base + ",\"opts\":{\"reset\":\"yes\"}}"), 400, "invalid_body");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"]," + base + ",\"opts\":{\"reset\":true},\"full_resync\":true}"), 400,
        "invalid_body");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"]," + base + ",\"sync_mode\":\"sometimes\"}"), 400, "invalid_body");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"]," + base + ",\"extra\":1}"), 400, "invalid_body");
    expect(rig.api().post("/sync/trigger", "{\"syncs\":[\"users\"],"), 400, "invalid_json");
    expect(rig.api().send(rig.api().request("/sync/trigger").header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x"))),
        415, "invalid_content_type");
    expect(rig.api().post("/sync/pause", "{" + base + "}"), 400, "invalid_body");
    expect(rig.api().post("/sync/start", "{\"syncs\":[\"users\"],\"connection_id\":\"contoso\"}"), 400, "invalid_body");
    expect(rig.api().post("/sync/pause", "{\"syncs\":[\"users\"],\"provider_config_key\":\"microsoft\",\"connection_id\":\"nobody\"}"), 400,
        "unknown_connection");
    expect(rig.api().put("/sync/update-connection-frequency", "{\"sync_name\":\"users\"," + base + ",\"frequency\":\"every 10 seconds\"}"), 400,
        "invalid_body");
    expect(rig.api().put("/sync/update-connection-frequency", "{\"sync_name\":\"users\"," + base + ",\"frequency\":\"sometimes\"}"), 400,
        "invalid_body");
    expect(rig.api().put("/sync/update-connection-frequency", "{\"sync_name\":\"users\"," + base + ",\"frequency\":\"every 8 days\"}"), 400,
        "invalid_body");
    expect(rig.api().put("/sync/update-connection-frequency", "{\"sync_name\":\"users\"," + base + "}"), 400, "invalid_body");
    expect(rig.api().put("/sync/update-connection-frequency", "{\"sync_name\":\"groups\"," + base + ",\"frequency\":\"every hour\"}"), 400,
        "no_syncs_found");
    expect(rig.api().get("/sync/status?provider_config_key=microsoft"), 400, "invalid_query_params");
    expect(rig.api().get("/sync/status?syncs=users"), 400, "invalid_query_params");
    expect(rig.api().get("/sync/status?syncs=users&provider_config_key=microsoft&connection_id=nobody"), 400, "invalid_body");
    expect(rig.api().get("/sync/status?syncs=users&provider_config_key=nope"), 400, "unknown_provider_config");
    expect(rig.api().put("/integrations/microsoft/syncs", "{\"syncs\":[\"users\",\"mailboxes\"]}"), 400, "invalid_body");
    expect(rig.api().put("/integrations/microsoft/syncs", "{}"), 400, "invalid_body");
    expect(rig.api().put("/integrations/nope/syncs", "{\"syncs\":[\"users\"]}"), 404, "not_found");

    assertThat(rig.status(SyncRig.CONNECTION, "users").toString()).isEqualTo(before);
    assertThat(rig.api().get("/integrations/microsoft/syncs").json().path("syncs").findValuesAsText("name")).containsExactly("users", "groups", "messages", "events",
        "drive-items", "sites");
    assertThat(rig.api().get("/integrations/microsoft/syncs").json().path("syncs").get(1).path("enabled").asBoolean()).isFalse();
  }

  @Test
  void frequencyPauseAndStartShowInTheStatus() {
    String body = "{\"syncs\":[\"users\"],\"provider_config_key\":\"microsoft\",\"connection_id\":\"contoso\"}";
    ApiClient.Response set = rig.expect(rig.api().put("/sync/update-connection-frequency",
        "{\"sync_name\":\"users\",\"provider_config_key\":\"microsoft\",\"connection_id\":\"contoso\",\"frequency\":\"every 2 hours\"}"), 200);
    assertThat(set.json().path("frequency").asText()).isEqualTo("every 2h");
    rig.expect(rig.api().post("/sync/pause", body), 200);
    assertThat(rig.status(SyncRig.CONNECTION, "users").path("status").asText()).isEqualTo("PAUSED");
    assertThat(rig.status(SyncRig.CONNECTION, "users").path("frequency").asText()).isEqualTo("every 2h");
    rig.expect(rig.api().post("/sync/start", body), 200);
    assertThat(rig.status(SyncRig.CONNECTION, "users").path("status").asText()).isEqualTo("SUCCESS");
    ApiClient.Response reset = rig.expect(rig.api().put("/sync/update-connection-frequency",
        "{\"sync_name\":\"users\",\"provider_config_key\":\"microsoft\",\"connection_id\":\"contoso\",\"frequency\":null}"), 200);
    assertThat(reset.json().path("frequency").asText()).isEqualTo("every hour");
  }

  private static void expect(ApiClient.Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.code()).as(r.body()).isEqualTo(code);
    assertThat(r.json().path("error").path("message").asText()).as(r.body()).isNotBlank();
  }
}

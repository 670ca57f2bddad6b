package dev.graphgate.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.SyncRig;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's routes against Graphgate and the emulator (contoso granted everything, fabrikam only Mail.Read):
 * the page and its protections, sign-in and the session cookie, CSRF on writes (a write without the cookie or with
 * a forged token changes nothing), and what the pages read and do.
 */
class DashboardApiTest {
  static final String PASSWORD = "correct-horse-battery-staple";
  @TempDir static Path dataDir;
  static TestDatabase db;
  static SyncRig rig;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    rig = SyncRig.start(dataDir, db, "{\"users\": 30, \"groups\": 2, \"membersPerGroup\": 3, \"anchorDate\": \"2025-03-14\"}",
        b -> b.dashboardPassword(PASSWORD));
    rig.expect(rig.api().put("/integrations/" + SyncRig.INTEGRATION + "/syncs", "{\"syncs\":[\"users\"]}"), 200);
  }

  @AfterAll
  static void stop() {
    try {
      rig.close();
    } finally {
      db.close();
    }
  }

  private static DashboardClient signedIn() {
    DashboardClient c = new DashboardClient(rig.graphgate.baseUrl());
    assertThat(c.signIn(TestServers.SECRET_KEY).status()).isEqualTo(200);
    return c;
  }

  @Test
  void thePageIsServedWithItsProtectionsAndNeverFramed() {
    DashboardClient.Response page = DashboardClient.page(rig.graphgate.baseUrl().resolve("/dashboard/"));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'",
        "connect-src 'self'");
    assertThat(page.header("X-Frame-Options")).contains("DENY");
    assertThat(page.body()).contains("/dashboard/assets/dashboard.js", "/dashboard/assets/dashboard.css");
    assertThat(DashboardClient.page(rig.graphgate.baseUrl().resolve("/dashboard/assets/explorer.js")).status()).isEqualTo(200);
    assertThat(DashboardClient.page(rig.graphgate.baseUrl().resolve("/dashboard/assets/nothing.js")).status()).isEqualTo(404);
  }

  @Test
  void everyRouteButSignInNeedsASession() {
    DashboardClient anonymous = new DashboardClient(rig.graphgate.baseUrl());
    for (String path : new String[] {"session", "integrations", "connections", "logs", "connection?provider_config_key=microsoft&connection_id=contoso"}) {
      DashboardClient.Response r = anonymous.get(path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.code()).isEqualTo("dashboard_sign_in_required");
    }
    // The API's secret key as a bearer is not a dashboard session.
    anonymous.cookie = null;
    DashboardClient.Response bearer = anonymous.get("integrations");
    assertThat(bearer.status()).isEqualTo(401);
  }

  @Test
  void signInWithTheSecretKeyOrThePasswordSetsAStrictHttpOnlyCookieThatHoldsNeither() {
    DashboardClient c = new DashboardClient(rig.graphgate.baseUrl());
    DashboardClient.Response r = c.signIn(TestServers.SECRET_KEY);
    assertThat(r.status()).isEqualTo(200);
    String setCookie = r.header("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/dashboard").doesNotContain("Secure");
    assertThat(setCookie).doesNotContain(TestServers.SECRET_KEY).doesNotContain(TestServers.SECRET_KEY.replace("-", ""));
    assertThat(c.get("session").json().path("csrf_token").asText()).isEqualTo(c.csrf).hasSizeGreaterThan(30);

    DashboardClient byPassword = new DashboardClient(rig.graphgate.baseUrl());
    assertThat(byPassword.signIn(PASSWORD).status()).isEqualTo(200);
    assertThat(byPassword.cookie).doesNotContain(PASSWORD);
    assertThat(byPassword.get("integrations").status()).isEqualTo(200);
    // Two sessions, two CSRF tokens.
    assertThat(byPassword.csrf).isNotEqualTo(c.csrf);
  }

  @Test
  void aWrongCredentialOrATamperedCookieStartsNoSession() {
    DashboardClient c = new DashboardClient(rig.graphgate.baseUrl());
    DashboardClient.Response wrong = c.signIn(TestServers.randomKey());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo("dashboard_sign_in_refused");
    assertThat(wrong.header("Set-Cookie")).isEmpty();
    assertThat(c.signIn("not the password").status()).isEqualTo(401);

    DashboardClient good = signedIn();
    char last = good.cookie.charAt(good.cookie.length() - 2);
    good.cookie = good.cookie.substring(0, good.cookie.length() - 2) + (last == 'A' ? 'B' : 'A') + good.cookie.charAt(good.cookie.length() - 1);
    assertThat(good.get("integrations").code()).isEqualTo("dashboard_sign_in_required");
  }

  @Test
  void aWriteWithoutTheCookieOrWithAForgedCsrfTokenChangesNothing() {
    String pause = "{\"provider_config_key\":\"microsoft\",\"connection_id\":\"contoso\",\"sync\":\"users\",\"paused\":true}";
    DashboardClient c = signedIn();

    DashboardClient noCookie = new DashboardClient(rig.graphgate.baseUrl());
    noCookie.csrf = c.csrf;
    DashboardClient.Response r1 = noCookie.post("syncs/pause", pause);
    assertThat(r1.status()).isEqualTo(401);

    DashboardClient forged = new DashboardClient(rig.graphgate.baseUrl());
    forged.cookie = c.cookie;
    forged.csrf = "forged" + c.csrf.substring(6);
    DashboardClient.Response r2 = forged.post("syncs/pause", pause);
    assertThat(r2.status()).isEqualTo(403);
    assertThat(r2.code()).isEqualTo("invalid_csrf_token");

    forged.csrf = null;
    assertThat(forged.post("syncs/pause", pause).code()).isEqualTo("invalid_csrf_token");
    // Another session's token is not this session's.
    DashboardClient other = signedIn();
    forged.csrf = other.csrf;
    assertThat(forged.post("syncs/pause", pause).code()).isEqualTo("invalid_csrf_token");
    assertThat(forged.post("connect-sessions", "{\"end_user_id\":\"u-forged\"}").code()).isEqualTo("invalid_csrf_token");

    assertThat(rig.status(SyncRig.CONNECTION, "users").path("status").asText()).isNotEqualTo("PAUSED");
    assertThat(rig.api().get("/connections?endUserId=u-forged").json().path("connections")).isEmpty();

    // The same write with the session's token goes through, and is undone the same way.
    assertThat(c.post("syncs/pause", pause).status()).isEqualTo(200);
    assertThat(rig.status(SyncRig.CONNECTION, "users").path("status").asText()).isEqualTo("PAUSED");
    assertThat(c.post("syncs/pause", pause.replace("true", "false")).status()).isEqualTo(200);
    assertThat(rig.status(SyncRig.CONNECTION, "users").path("status").asText()).isNotEqualTo("PAUSED");
  }

  @Test
  void signOutEndsTheCookie() {
    DashboardClient c = signedIn();
    DashboardClient.Response out = c.send("DELETE", "session", null);
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.header("Set-Cookie").orElseThrow()).contains("Expires=Thu, 01 Jan 1970");
  }

  @Test
  void connectionsAreKeysetPagedAndSearchedByPrefixOnTheServer() {
    DashboardClient c = signedIn();
    for (int n = 0; n < 55; n++) {
      rig.expect(rig.api().post("/connections", """
          {"provider_config_key":"%s","connection_id":"page-%02d","credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"%s"},
           "connection_config":{"tenantId":"%s"}}""".formatted(SyncRig.INTEGRATION, n, SyncRig.APP_ID, SyncRig.APP_SECRET, SyncRig.TENANT_ID)), 201);
    }
    JsonNode first = c.get("connections").json();
    assertThat(first.path("connections")).hasSize(DashboardViews.PAGE_SIZE);
    assertThat(first.path("has_more").asBoolean()).isTrue();
    assertThat(first.path("connections").get(0).path("connection_id").asText()).isEqualTo("page-54");
    JsonNode second = c.get("connections?cursor=" + first.path("next_cursor").asText()).json();
    assertThat(second.path("has_more").asBoolean()).isFalse();
    assertThat(second.path("next_cursor").isNull()).isTrue();
    // Newest first across both pages, each connection once: the 55 made here, then fabrikam and contoso.
    java.util.List<String> ids = new java.util.ArrayList<>();
    first.path("connections").forEach(n -> ids.add(n.path("connection_id").asText()));
    second.path("connections").forEach(n -> ids.add(n.path("connection_id").asText()));
    assertThat(ids).hasSize(57).doesNotHaveDuplicates().endsWith("fabrikam", "contoso");
    assertThat(ids.subList(0, 55)).isSortedAccordingTo(java.util.Comparator.reverseOrder());

    // The search is a prefix of the connection id, case-sensitive; not any part of it.
    assertThat(c.get("connections?search=page-0").json().path("connections")).extracting(n -> n.path("connection_id").asText())
        .containsExactly("page-09", "page-08", "page-07", "page-06", "page-05", "page-04", "page-03", "page-02", "page-01", "page-00");
    assertThat(c.get("connections?search=fabri").json().path("connections")).extracting(n -> n.path("connection_id").asText())
        .containsExactly("fabrikam");
    assertThat(c.get("connections?search=abrikam").json().path("connections")).isEmpty();
    assertThat(c.get("connections?search=PAGE").json().path("connections")).isEmpty();
    // LIKE's wildcards are text: "page_" is no pattern.
    assertThat(c.get("connections?search=pag_").json().path("connections")).isEmpty();
    assertThat(c.get("connections?provider_config_key=nothing").json().path("connections")).isEmpty();
    assertThat(c.get("connections?cursor=abc").code()).isEqualTo("invalid_query_params");
  }

  @Test
  void aConnectionShowsItsStatusPermissionsTokenAndSyncs() {
    DashboardClient c = signedIn();
    JsonNode page = c.get("connection?provider_config_key=microsoft&connection_id=contoso").json();
    JsonNode conn = page.path("connection");
    assertThat(conn.path("status").asText()).isEqualTo("ok");
    assertThat(conn.path("granted_permissions")).extracting(JsonNode::asText).contains("User.Read.All", "Mail.Read");
    assertThat(conn.path("token_expires_at").asText()).isNotEmpty();
    assertThat(conn.has("admin_consent_url")).isFalse();
    assertThat(page.path("syncs")).extracting(s -> s.path("name").asText()).containsExactly("users");
    assertThat(page.path("permissions").path("missing")).isNotNull();
    assertThat(page.path("permissions").path("unmet")).noneMatch(u -> u.path("kind").asText().equals("sync"));
    // fabrikam's token carries Mail.Read only: the users sync's permission is missing, and the page says what to grant.
    JsonNode fabrikam = c.get("connection?provider_config_key=microsoft&connection_id=fabrikam").json();
    JsonNode unmet = fabrikam.path("permissions").path("unmet");
    assertThat(unmet).anyMatch(u -> u.path("kind").asText().equals("sync") && u.path("name").asText().equals("users"));
    assertThat(fabrikam.path("permissions").path("missing")).extracting(JsonNode::asText).contains("User.Read.All");
    assertThat(fabrikam.path("permissions").path("admin_consent_url").asText()).contains("adminconsent");
    assertThat(c.get("connection?provider_config_key=microsoft&connection_id=nobody").status()).isEqualTo(404);
    assertThat(page.toString()).doesNotContain(SyncRig.APP_SECRET);
  }

  @Test
  void triggeringASyncRunsItAndThePageShowsTheRun() {
    DashboardClient c = signedIn();
    String before = rig.finishedAt(SyncRig.CONNECTION, "users");
    assertThat(c.post("syncs/trigger", "{\"provider_config_key\":\"microsoft\",\"connection_id\":\"contoso\",\"sync\":\"users\"}").status()).isEqualTo(200);
    rig.awaitRunAfter(SyncRig.CONNECTION, "users", before);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode s = c.get("connection?provider_config_key=microsoft&connection_id=contoso").json().path("syncs").get(0);
      return s.path("last_run").path("status").asText().equals("SUCCESS") && s.path("records").asLong() == 30;
    });
    DashboardClient.Response unknown = c.post("syncs/trigger", "{\"provider_config_key\":\"microsoft\",\"connection_id\":\"contoso\",\"sync\":\"nope\"}");
    assertThat(unknown.status()).isEqualTo(400);
  }

  @Test
  void theExplorerSendsThroughTheProxyAndShowsGraphsAnswer() {
    DashboardClient c = signedIn();
    JsonNode ok = c.post("explorer", """
        {"provider_config_key":"microsoft","connection_id":"contoso","method":"GET","version":"v1.0","path":"/users?$top=5&$select=id,displayName",
         "headers":{"ConsistencyLevel":"eventual"}}""").json();
    assertThat(ok.path("status").asInt()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(ok.path("headers").path("content-type").asText()).contains("json");
    JsonNode body = Json.parse(ok.path("body").asText());
    assertThat(body.path("value")).hasSize(5);
    assertThat(body.path("@odata.nextLink").asText()).contains("/v1.0/users");

    // fabrikam's admin granted Mail.Read only: Graph refuses to list users.
    JsonNode refused = c.post("explorer", """
        {"provider_config_key":"microsoft","connection_id":"fabrikam","method":"GET","version":"v1.0","path":"/users"}""").json();
    assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
    // The permission table names what would allow it, and says the token carries none of it.
    assertThat(refused.path("permission_check").path("verdict").asText()).isEqualTo("missing");
    assertThat(refused.path("permission_check").path("sentence").asText()).contains("User.Read.All", "carries none");

    JsonNode before = c.get("explorer/permissions?provider_config_key=microsoft&connection_id=contoso&method=GET&version=v1.0&path=%2Fusers%3F%24top%3D5").json();
    assertThat(before.path("verdict").asText()).as(before.toString()).isEqualTo("allowed");
    assertThat(before.path("carried")).extracting(JsonNode::asText).contains("User.Read.All");
    JsonNode me = c.get("explorer/permissions?provider_config_key=microsoft&connection_id=contoso&method=GET&version=v1.0&path=%2Fme").json();
    assertThat(me.path("verdict").asText()).isEqualTo("not_app_only");

    JsonNode unknown = c.post("explorer", """
        {"provider_config_key":"microsoft","connection_id":"nobody","method":"GET","version":"beta","path":"/users"}""").json();
    assertThat(unknown.path("status").asInt()).isEqualTo(400);
    assertThat(unknown.path("error").path("code").asText()).isEqualTo("server_error");

    assertThat(c.post("explorer", """
        {"provider_config_key":"microsoft","connection_id":"contoso","method":"GET","version":"v2","path":"/users"}""").code()).isEqualTo("invalid_body");
    assertThat(c.post("explorer", """
        {"provider_config_key":"microsoft","connection_id":"contoso","method":"GET","version":"v1.0","path":"//evil.example/users"}""").code())
        .isEqualTo("invalid_body");

    // Each call is in the request log, which the dashboard filters by path and status.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> c.get("logs?connection_id=fabrikam&status=403").json().path("logs").size() >= 1);
    JsonNode logs = c.get("logs?path=%2Fv1.0%2Fusers&status=2xx&connection_id=contoso").json().path("logs");
    assertThat(logs).isNotEmpty();
    assertThat(logs.get(0).path("path").asText()).startsWith("/v1.0/users");
    // A prefix of the path, not any part of it.
    assertThat(c.get("logs?path=%2Fusers&connection_id=contoso").json().path("logs")).isEmpty();
    assertThat(logs.get(0).path("upstream_request_id").asText()).isNotEmpty();
    assertThat(c.get("logs?status=abc").code()).isEqualTo("invalid_query_params");
  }

  @Test
  void theConnectLinkGeneratorCreatesAConnectSession() {
    DashboardClient c = signedIn();
    DashboardClient.Response r = c.post("connect-sessions", """
        {"end_user_id":"u-dash","email":"ann@contoso.com","display_name":"Ann","organization_id":"org-1","allowed_integrations":["microsoft"]}""");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String link = r.json().path("connect_link").asText();
    assertThat(link).matches("http://localhost:\\d+/connect/\\?session_token=nango_connect_session_[0-9a-f]{64}");
    String token = link.substring(link.indexOf('=') + 1);
    JsonNode session = new ApiClient(rig.graphgate.baseUrl(), token).get("/connect/session").json();
    assertThat(session.path("data").path("endUser").path("id").asText()).as(session.toString()).isEqualTo("u-dash");
    assertThat(c.post("connect-sessions", "{\"end_user_id\":\"\"}").code()).isEqualTo("invalid_body");
    assertThat(c.post("connect-sessions", "{\"end_user_id\":\"u\",\"email\":\"not an email\"}").code()).isEqualTo("invalid_body");
  }
}

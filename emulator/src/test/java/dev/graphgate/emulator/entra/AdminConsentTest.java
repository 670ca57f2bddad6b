package dev.graphgate.emulator.entra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.support.EmulatorRig;
import dev.graphgate.emulator.support.Http;
import dev.graphgate.emulator.support.Jwt;
import dev.graphgate.emulator.support.Scenario;
import dev.graphgate.emulator.support.Scenario.Client;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin consent page driven over HTTP as a browser would: GET the page, POST its form, follow nothing. */
class AdminConsentTest {

  static final String REDIRECT = "https://app.example/consent/callback";

  @RegisterExtension static final EmulatorRig rig = EmulatorRig.ephemeral();

  static Client multiTenantApp(String... roles) {
    return rig.scenario().register(rig.scenario().tenant(), true, List.of(roles), Optional.empty(), List.of(), List.of(REDIRECT));
  }

  static String v2Page(String tenant, Client client, String redirect, String state) {
    return "/" + tenant + "/v2.0/adminconsent?client_id=" + client.appId()
        + "&scope=" + enc("https://graph.microsoft.com/.default")
        + (redirect == null ? "" : "&redirect_uri=" + enc(redirect))
        + (state == null ? "" : "&state=" + enc(state));
  }

  /** Submits the page's form as a browser would: its hidden fields plus the button pressed. */
  static Http.Response submit(String pagePath, Http.Response page, String decision) {
    Map<String, String> form = new LinkedHashMap<>();
    Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(page.body());
    while (hidden.find()) {
      form.put(hidden.group(1), unescape(hidden.group(2)));
    }
    Matcher option = Pattern.compile("<option value=\"([^\"]+)\"").matcher(page.body());
    if (option.find()) {
      form.put("tenant", option.group(1));
    }
    form.put("decision", decision);
    String action = pagePath.substring(0, pagePath.indexOf('?'));
    return rig.scenario().http().postForm(rig.scenario().login(action), form);
  }

  static Map<String, String> query(String location) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return params;
  }

  @Test
  void consentPageThenNamesAppAndPermissionsWithAcceptAndCancel() {
    Tenant customer = rig.scenario().tenant();
    Client client = multiTenantApp("User.Read.All", "Mail.Read");

    Http.Response page = rig.scenario().http().get(rig.scenario().login(v2Page(customer.id(), client, REDIRECT, "xyz")));

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
    assertThat(page.header("Content-Security-Policy")).isPresent();
    assertThat(page.body()).contains(client.app().displayName()).contains("User.Read.All").contains("Mail.Read")
        .contains(customer.displayName()).contains("value=\"accept\"").contains("value=\"cancel\"").contains("method=\"post\"");
  }

  @Test
  void consentAcceptOnV2ThenRedirectWithTenantScopeStateAndNextTokenCarriesRoles() {
    Tenant customer = rig.scenario().tenant();
    Client client = multiTenantApp("User.Read.All", "Mail.Read");
    String path = v2Page(customer.domains().getFirst(), client, REDIRECT, "state-123");
    assertThat(rig.scenario().token(customer.id(), rig.scenario().secretForm(client)).status()).as("not yet consented").isEqualTo(400);

    Http.Response redirect = submit(path, rig.scenario().http().get(rig.scenario().login(path)), "accept");

    assertThat(redirect.status()).isEqualTo(302);
    String location = redirect.header("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT + "?");
    Map<String, String> params = query(location);
    assertThat(params).containsEntry("admin_consent", "True").containsEntry("tenant", customer.id())
        .containsEntry("state", "state-123")
        .containsEntry("scope", "https://graph.microsoft.com/User.Read.All https://graph.microsoft.com/Mail.Read");
    Http.Response token = rig.scenario().token(customer.id(), rig.scenario().secretForm(client));
    assertThat(token.status()).isEqualTo(200);
    assertThat(Jwt.claims(token.json().path("access_token").asText()).path("roles"))
        .extracting(n -> n.asText()).containsExactly("User.Read.All", "Mail.Read");
  }

  @Test
  void consentAcceptOnV1ThenRedirectWithTenantStateAndAdminConsent() {
    Tenant customer = rig.scenario().tenant();
    Client client = multiTenantApp("Calendars.Read");
    String path = "/" + customer.id() + "/adminconsent?client_id=" + client.appId() + "&redirect_uri=" + enc(REDIRECT) + "&state=s1";

    Http.Response redirect = submit(path, rig.scenario().http().get(rig.scenario().login(path)), "accept");

    assertThat(redirect.status()).isEqualTo(302);
    assertThat(query(redirect.header("Location").orElseThrow()))
        .containsExactly(Map.entry("tenant", customer.id()), Map.entry("state", "s1"), Map.entry("admin_consent", "True"));
    assertThat(rig.emulator().directory().servicePrincipal(customer.id(), client.appId()).orElseThrow().grantedRoles())
        .containsExactly("Calendars.Read");
  }

  @Test
  void consentCancelThenRedirectWithAccessDenied65004AndNothingGranted() {
    Tenant customer = rig.scenario().tenant();
    Client client = multiTenantApp("User.Read.All");
    String path = v2Page(customer.id(), client, REDIRECT, "st");

    Http.Response redirect = submit(path, rig.scenario().http().get(rig.scenario().login(path)), "cancel");

    assertThat(redirect.status()).isEqualTo(302);
    Map<String, String> params = query(redirect.header("Location").orElseThrow());
    assertThat(params).containsEntry("error", "access_denied").containsEntry("state", "st").containsEntry("admin_consent", "True")
        .doesNotContainKey("tenant");
    assertThat(params.get("error_description")).startsWith("AADSTS65004: User declined to consent to access the app.");
    assertThat(rig.emulator().directory().servicePrincipal(customer.id(), client.appId())).isEmpty();
  }

  @Test
  void consentWithUnregisteredRedirectUriThenRefusedOnThePage() {
    Client client = multiTenantApp("User.Read.All");

    Http.Response page = rig.scenario().http().get(rig.scenario().login(v2Page(rig.scenario().tenant().id(), client, "https://evil.example/steal", "s")));

    assertThat(page.status()).isEqualTo(400);
    assertThat(page.header("Location")).isEmpty();
    assertThat(page.body()).contains("AADSTS50011").contains("https://evil.example/steal");
  }

  @Test
  void consentWithoutRedirectUriThenRefusedOnThePage() {
    Client client = multiTenantApp("User.Read.All");

    Http.Response page = rig.scenario().http().get(rig.scenario().login(v2Page(rig.scenario().tenant().id(), client, null, "s")));

    assertThat(page.status()).isEqualTo(400);
    assertThat(page.body()).contains("AADSTS900971");
  }

  @Test
  void consentPostWithForgedRedirectUriThenRefusedNotRedirected() {
    Tenant customer = rig.scenario().tenant();
    Client client = multiTenantApp("User.Read.All");

    Http.Response response = rig.scenario().http().postForm(rig.scenario().login("/" + customer.id() + "/v2.0/adminconsent"),
        Http.formOf("client_id", client.appId(), "redirect_uri", "https://evil.example/", "scope",
            Scenario.GRAPH_DEFAULT, "decision", "accept"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Location")).isEmpty();
    assertThat(rig.emulator().directory().servicePrincipal(customer.id(), client.appId())).isEmpty();
  }

  @Test
  void consentForSingleTenantAppOutsideItsHomeTenantThenRefused700016() {
    Tenant home = rig.scenario().tenant();
    Client client = rig.scenario().register(home, false, List.of("User.Read.All"), Optional.empty(), List.of(), List.of(REDIRECT));

    Http.Response page = rig.scenario().http().get(rig.scenario().login(v2Page(rig.scenario().tenant().id(), client, REDIRECT, "s")));

    assertThat(page.status()).isEqualTo(400);
    assertThat(page.body()).contains("AADSTS700016");
    assertThat(rig.scenario().http().get(rig.scenario().login(v2Page(home.id(), client, REDIRECT, "s"))).status()).isEqualTo(200);
  }

  @Test
  void consentForUnknownAppOrTenantThenRefusedOnThePage() {
    Client client = multiTenantApp("User.Read.All");
    String unknownApp = "/" + rig.scenario().tenant().id() + "/v2.0/adminconsent?client_id=" + java.util.UUID.randomUUID()
        + "&redirect_uri=" + enc(REDIRECT);

    Http.Response appPage = rig.scenario().http().get(rig.scenario().login(unknownApp));
    assertThat(appPage.status()).isEqualTo(400);
    assertThat(appPage.header("Location")).isEmpty();
    assertThat(appPage.body()).contains("AADSTS700016");
    Http.Response tenantPage = rig.scenario().http().get(rig.scenario().login(v2Page("nosuch.onmicrosoft.com", client, REDIRECT, "s")));
    assertThat(tenantPage.status()).isEqualTo(400);
    assertThat(tenantPage.header("Location")).isEmpty();
    assertThat(tenantPage.body()).contains("AADSTS90002");
  }

  @Test
  void consentOnV2WithoutDefaultScopeThenRedirectsWithInvalidScope() {
    Client client = multiTenantApp("User.Read.All");
    String path = "/" + rig.scenario().tenant().id() + "/v2.0/adminconsent?client_id=" + client.appId()
        + "&scope=" + enc("https://graph.microsoft.com/User.Read.All") + "&redirect_uri=" + enc(REDIRECT) + "&state=q";

    Http.Response response = rig.scenario().http().get(rig.scenario().login(path));

    assertThat(response.status()).isEqualTo(302);
    assertThat(query(response.header("Location").orElseThrow())).containsEntry("error", "invalid_scope").containsEntry("state", "q");
  }

  @Test
  void consentOnOrganizationsThenAdminPicksTheTenant() {
    Tenant customer = rig.scenario().tenant();
    Client client = rig.scenario().register(customer, false, List.of("Sites.Read.All"), Optional.empty(), List.of(), List.of(REDIRECT));
    String path = v2Page("organizations", client, REDIRECT, "o");

    Http.Response page = rig.scenario().http().get(rig.scenario().login(path));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<select").contains(customer.id());
    Http.Response redirect = submit(path, page, "accept");

    assertThat(redirect.status()).isEqualTo(302);
    assertThat(query(redirect.header("Location").orElseThrow())).containsEntry("tenant", customer.id()).containsEntry("admin_consent", "True");
    assertThat(rig.emulator().directory().servicePrincipal(customer.id(), client.appId()).orElseThrow().grantedRoles()).containsExactly("Sites.Read.All");
  }

  @Test
  void consentOnCommonV2ThenRefused90130() {
    Client client = multiTenantApp("User.Read.All");

    Http.Response page = rig.scenario().http().get(rig.scenario().login(v2Page("common", client, REDIRECT, "s")));

    assertThat(page.status()).isEqualTo(400);
    assertThat(page.header("Location")).isEmpty();
    assertThat(page.body()).contains("AADSTS90130");
  }

  @Test
  void consentPageThenEveryValueIsEscaped() {
    String hostile = "<script>alert(1)</script>\"'&";
    var created = rig.emulator().directory().createApp(new dev.graphgate.emulator.directory.NewApp(
        Optional.empty(), hostile, true, Optional.empty(), List.of(REDIRECT), List.of("User.Read.All"), List.of(), List.of(), false));
    String path = "/" + rig.scenario().tenant().id() + "/v2.0/adminconsent?client_id=" + created.app().appId()
        + "&scope=" + enc(Scenario.GRAPH_DEFAULT) + "&redirect_uri=" + enc(REDIRECT) + "&state=" + enc(hostile);

    Http.Response page = rig.scenario().http().get(rig.scenario().login(path));
    String body = page.body();

    assertThat(page.status()).as("the consent page itself, not an error page").isEqualTo(200);
    assertThat(body).contains("value=\"accept\"").doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}

package dev.graphgate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graphgate.server.GraphgateException.BaseUrlOverrideNotAllowed;
import dev.graphgate.server.config.CloudConfig;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the proxy may send a request, decided before anything is sent. */
class OutboundPolicyTest {
  final OutboundPolicy global = new OutboundPolicy(CloudConfig.GLOBAL, List.of());
  final OutboundPolicy usGov = new OutboundPolicy(CloudConfig.US_GOV, List.of());
  final OutboundPolicy emulator = new OutboundPolicy(CloudConfig.custom(URI.create("http://127.0.0.1:3901"), URI.create("http://127.0.0.1:3902")),
      List.of(URI.create("http://127.0.0.1:4000")));

  @Test
  void withoutOverrideTheTargetIsTheCloudsGraphHostWithThePathAndQueryAsGiven() {
    Target t = global.resolve(Optional.empty(), "/v1.0/users", Optional.of("$filter=startswith(displayName,'A')&$top=5"));
    assertThat(t.uri().toString()).isEqualTo("https://graph.microsoft.com/v1.0/users?$filter=startswith(displayName,'A')&$top=5");
    assertThat(t.scope()).isEmpty();
    assertThat(t.bearer()).isTrue();
    assertThat(t.graph()).isTrue();
  }

  @Test
  void aLeadingCopyOfTheBaseUrlIsStrippedAsNangoDoes() {
    Target t = global.resolve(Optional.empty(), "/https://graph.microsoft.com/v1.0/users", Optional.of("$skiptoken=abc"));
    assertThat(t.uri().toString()).isEqualTo("https://graph.microsoft.com/v1.0/users?$skiptoken=abc");
  }

  @Test
  void charactersThatMayNotAppearRawAreEscapedAndValidEscapesKept() {
    Target t = global.resolve(Optional.empty(), "/v1.0/users/a%40b.com", Optional.of("$filter=displayName eq 'Zoë \"Z\"'"));
    assertThat(t.uri().getRawPath()).isEqualTo("/v1.0/users/a%40b.com");
    assertThat(t.uri().getRawQuery()).isEqualTo("$filter=displayName%20eq%20'Zo%C3%AB%20%22Z%22'");
  }

  @Test
  void microsoftResourceHostsOfTheCloudGetATokenForTheirOwnScope() {
    assertThat(global.resolve(Optional.of("https://contoso.sharepoint.com"), "/_api/web", Optional.empty()).scope())
        .contains("https://contoso.sharepoint.com/.default");
    assertThat(global.resolve(Optional.of("https://contoso-my.sharepoint.com/personal/ann"), "/_api/web", Optional.empty()).uri().toString())
        .isEqualTo("https://contoso-my.sharepoint.com/personal/ann/_api/web");
    assertThat(global.resolve(Optional.of("https://outlook.office365.com"), "/api/v2.0/me", Optional.empty()).scope())
        .contains("https://outlook.office365.com/.default");
    assertThat(global.resolve(Optional.of("https://management.azure.com/"), "/subscriptions", Optional.of("api-version=2022-12-01")).scope())
        .contains("https://management.azure.com/.default");
    assertThat(usGov.resolve(Optional.of("https://contoso.sharepoint.us"), "/_api/web", Optional.empty()).scope())
        .contains("https://contoso.sharepoint.us/.default");
  }

  @Test
  void anOverrideNamingGraphItselfUsesTheGraphToken() {
    Target t = global.resolve(Optional.of("https://graph.microsoft.com"), "/beta/users", Optional.empty());
    assertThat(t.scope()).isEmpty();
    assertThat(t.graph()).isTrue();
  }

  @Test
  void anotherHostIsRefused() {
    refused(() -> global.resolve(Optional.of("https://evil.example"), "/x", Optional.empty()), "evil.example");
    refused(() -> global.resolve(Optional.of("https://contoso.sharepoint.com.evil.example"), "/x", Optional.empty()), "evil.example");
    refused(() -> global.resolve(Optional.of("https://evilsharepoint.com"), "/x", Optional.empty()), "evilsharepoint.com");
    refused(() -> global.resolve(Optional.of("https://a.b.sharepoint.com"), "/x", Optional.empty()), "a.b.sharepoint.com");
    refused(() -> usGov.resolve(Optional.of("https://contoso.sharepoint.com"), "/x", Optional.empty()), "usgov");
    refused(() -> global.resolve(Optional.of("https://169.254.169.254"), "/latest/meta-data", Optional.empty()), "169.254.169.254");
  }

  @Test
  void aSchemeOtherThanHttpsIsRefusedExceptAllowedLoopbackOrigins() {
    refused(() -> global.resolve(Optional.of("http://contoso.sharepoint.com"), "/x", Optional.empty()), "https");
    refused(() -> global.resolve(Optional.of("ftp://contoso.sharepoint.com"), "/x", Optional.empty()), "https");
    refused(() -> emulator.resolve(Optional.of("http://127.0.0.1:5432"), "/x", Optional.empty()), "https");
    assertThat(emulator.resolve(Optional.of("http://127.0.0.1:4000"), "/x", Optional.empty()).scope()).contains("http://127.0.0.1:4000/.default");
    assertThat(emulator.resolve(Optional.of("http://127.0.0.1:3902"), "/v1.0/users", Optional.empty()).graph()).isTrue();
  }

  @Test
  void userInfoIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> global.resolve(Optional.of("https://admin:hunter2@contoso.sharepoint.com"), "/x", Optional.empty()))
        .isInstanceOf(BaseUrlOverrideNotAllowed.class)
        .hasMessageContaining("user info")
        .hasMessageNotContaining("hunter2");
    refused(() -> global.resolve(Optional.of("https://contoso.sharepoint.com@evil.example"), "/x", Optional.empty()), "user info");
  }

  @Test
  void anOverrideWithAQueryFragmentOrDotSegmentsIsRefused() {
    refused(() -> global.resolve(Optional.of("https://contoso.sharepoint.com/?x=1"), "/x", Optional.empty()), "query");
    refused(() -> global.resolve(Optional.of("https://evil.example#@contoso.sharepoint.com"), "/x", Optional.empty()), "fragment");
    refused(() -> global.resolve(Optional.of("https://contoso.sharepoint.com/sites/../.."), "/x", Optional.empty()), "'..'");
    refused(() -> global.resolve(Optional.of("not a url"), "/x", Optional.empty()), "not a URL");
  }

  @Test
  void anAbsoluteUrlSmuggledIntoThePathIsRefused() {
    refused(() -> global.resolve(Optional.empty(), "/https://evil.example/x", Optional.empty()), "absolute URL");
    refused(() -> global.resolve(Optional.empty(), "//evil.example/x", Optional.empty()), "absolute URL");
    refused(() -> global.resolve(Optional.empty(), "/https:%2F%2Fevil.example/x", Optional.empty()), "absolute URL");
  }

  @Test
  void dotSegmentsBackslashesAndControlCharactersInThePathAreRefused() {
    refused(() -> global.resolve(Optional.empty(), "/v1.0/../admin", Optional.empty()), "'..'");
    refused(() -> global.resolve(Optional.empty(), "/v1.0/%2e%2E/admin", Optional.empty()), "'..'");
    refused(() -> global.resolve(Optional.empty(), "/v1.0/./users", Optional.empty()), "'..'");
    refused(() -> global.resolve(Optional.empty(), "/v1.0\\..\\admin", Optional.empty()), "backslash");
    refused(() -> global.resolve(Optional.empty(), "/v1.0/%5c..%5cadmin", Optional.empty()), "backslash");
    refused(() -> global.resolve(Optional.empty(), "/v1.0/users%00", Optional.empty()), "control");
  }

  @Test
  void redirectsAreCheckedLikeTargetsAndTheTokenStaysWithItsOrigin() {
    Target graph = global.resolve(Optional.empty(), "/v1.0/drives/1/items/2/content", Optional.empty());
    Target same = global.redirect(graph, "/v1.0/drives/1/items/3/content");
    assertThat(same.bearer()).isTrue();
    assertThat(same.uri().toString()).isEqualTo("https://graph.microsoft.com/v1.0/drives/1/items/3/content");

    Target download = global.redirect(graph, "https://contoso-my.sharepoint.com/personal/ann/_layouts/15/download.aspx?UniqueId=1&tempauth=x");
    assertThat(download.bearer()).as("pre-authenticated: no token to another host").isFalse();

    refused(() -> global.redirect(graph, "https://evil.example/steal"), "evil.example");
    refused(() -> global.redirect(graph, "http://contoso.sharepoint.com/x"), "https");
    refused(() -> global.redirect(graph, "https://user:pw@graph.microsoft.com/v1.0"), "user info");
  }

  private static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
    assertThatThrownBy(call).isInstanceOf(BaseUrlOverrideNotAllowed.class)
        .hasMessageStartingWith("This outbound URL is not allowed by server configuration")
        .hasMessageContaining(reason);
  }
}

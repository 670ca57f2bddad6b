package dev.graphgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.connection.ConnectionStatus;
import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.entra.TenantId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tenant ids, scopes, Entra's answers and AADSTS codes: the rules checked before and after each token request. */
class InputRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"A1B2C3D4-E5F6-47A8-9B0C-D1234567890F", "contoso.onmicrosoft.com", "xn--bcher-kva.example", "sub.contoso.co.uk"})
  void tenantIdAcceptsGuidsAndDomains(String t) {
    assertThat(TenantId.parse(t).value()).isEqualTo(t.toLowerCase());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "evil.com/x?", "%2F", "evil.com%2F", "bücher.example", "", " ", "organizations", "localhost",
      "a..b.com", "evil.com#", "evil.com\u0000", "12345678-1234-1234-1234-12345678901z", "contoso.onmicrosoft.com."})
  void tenantIdRefusesEverythingElse(String t) {
    assertThatThrownBy(() -> TenantId.parse(t)).isInstanceOf(GraphgateException.InvalidTenantId.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"consumers", "Consumers", "9188040d-6c67-4c5b-b112-36a304b66dad", "9188040D-6C67-4C5B-B112-36A304B66DAD"})
  void theConsumersTenantIsRefusedByNameAndByGuidWithOneMessage(String t) {
    assertThatThrownBy(() -> TenantId.parse(t)).isInstanceOf(GraphgateException.InvalidTenantId.class)
        .hasMessage("'consumers' (9188040d-6c67-4c5b-b112-36a304b66dad) is the tenant of personal Microsoft accounts, not a customer's: "
            + "the client credentials grant needs the customer's own tenant ID or domain.");
  }

  @Test
  void scopeRulesFollowEntra() {
    assertThat(ScopeRules.validate("https://graph.microsoft.com/.default")).isEqualTo("https://graph.microsoft.com/.default");
    assertThat(ScopeRules.validate(" https://graph.microsoft.com/.default,  offline_access ")).isEqualTo("https://graph.microsoft.com/.default offline_access");
    assertThat(ScopeRules.validate("00000003-0000-0000-c000-000000000000/.default")).endsWith("/.default");
    assertThatThrownBy(() -> ScopeRules.validate("https://graph.microsoft.com/.default https://vault.azure.net/.default"))
        .hasMessageStartingWith("AADSTS70011");
    assertThatThrownBy(() -> ScopeRules.validate("https://graph.microsoft.com/.default User.Read")).hasMessageStartingWith("AADSTS70011");
    assertThatThrownBy(() -> ScopeRules.validate("https://graph.microsoft.com/User.Read.All")).hasMessageStartingWith("AADSTS1002012");
    assertThatThrownBy(() -> ScopeRules.validate("openid")).hasMessageStartingWith("AADSTS1002012");
    assertThatThrownBy(() -> ScopeRules.validate("  ")).hasMessageStartingWith("AADSTS900144");
  }

  static final java.time.Instant NOW = java.time.Instant.parse("2026-01-05T10:00:00Z");

  @Test
  void entraAnswersAreSortedIntoThreeFamilies() {
    assertThat(EntraTokenClient.interpret(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"t\"}", Optional.empty(), NOW))
        .isInstanceOfSatisfying(TokenOutcome.Issued.class, i -> assertThat(i.expiresInSeconds()).isEqualTo(3599));
    assertThat(EntraTokenClient.interpret(200, "{\"expires_in\":3599,\"refresh_in\":1800,\"access_token\":\"t\"}", Optional.empty(), NOW))
        .isInstanceOfSatisfying(TokenOutcome.Issued.class, i -> assertThat(i.refreshInSeconds()).contains(1800L));
    assertThat(EntraTokenClient.interpret(200, "<html>proxy</html>", Optional.empty(), NOW)).isInstanceOf(TokenOutcome.Unavailable.class);
    assertThat(EntraTokenClient.interpret(503, "", Optional.of("2.5"), NOW))
        .isInstanceOfSatisfying(TokenOutcome.Unavailable.class, u -> assertThat(u.retryAfter()).contains(java.time.Duration.ofMillis(2500)));
    assertThat(EntraTokenClient.interpret(429, "{}", Optional.empty(), NOW)).isInstanceOf(TokenOutcome.Unavailable.class);
    assertThat(EntraTokenClient.interpret(503, "", Optional.of("Mon, 05 Jan 2026 10:00:12 GMT"), NOW)).as("Retry-After as an HTTP date")
        .isInstanceOfSatisfying(TokenOutcome.Unavailable.class, u -> assertThat(u.retryAfter()).contains(java.time.Duration.ofSeconds(12)));
    assertThat(EntraTokenClient.interpret(401, "{\"error\":\"invalid_client\",\"error_codes\":[7000215],\"error_description\":\"AADSTS7000215: x\"}", Optional.empty(), NOW))
        .isInstanceOfSatisfying(TokenOutcome.Rejected.class, r -> assertThat(r.aadsts()).contains(7000215));
  }

  @Test
  void aadstsCodesBecomeActionableStatuses() {
    AadstsClassifier c = new AadstsClassifier();
    record Case(int code, String error, ConnectionStatus status) {}
    for (Case k : List.of(new Case(7000215, "invalid_client", ConnectionStatus.INVALID_CREDENTIALS),
        new Case(7000222, "invalid_client", ConnectionStatus.SECRET_EXPIRED),
        new Case(700016, "unauthorized_client", ConnectionStatus.APP_NOT_IN_TENANT),
        new Case(90002, "invalid_tenant", ConnectionStatus.TENANT_NOT_FOUND),
        new Case(1002012, "invalid_scope", ConnectionStatus.INVALID_SCOPE),
        new Case(700027, "invalid_client", ConnectionStatus.INVALID_CREDENTIALS),
        new Case(7000112, "unauthorized_client", ConnectionStatus.APP_DISABLED),
        new Case(53003, "invalid_grant", ConnectionStatus.BLOCKED_BY_POLICY),
        new Case(123456, "invalid_client", ConnectionStatus.INVALID_CREDENTIALS),
        new Case(123456, "weird", ConnectionStatus.TOKEN_REQUEST_FAILED))) {
      AadstsClassifier.Classification cl = c.classify(new TokenOutcome.Rejected(400, k.error(), List.of(k.code()),
          "AADSTS" + k.code() + ": text.\r\nTrace ID: abc\r\nCorrelation ID: def"));
      assertThat(cl.status()).as("AADSTS" + k.code()).isEqualTo(k.status());
      assertThat(cl.message()).contains("AADSTS" + k.code()).doesNotContain("Trace ID");
    }
    assertThat(c.classify(new TokenOutcome.Rejected(400, "temporarily_unavailable", List.of(90055), "AADSTS90055: throttled")).transientFailure()).isTrue();
  }
}

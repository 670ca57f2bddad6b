package dev.graphgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.connection.ConnectionHealth;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import dev.graphgate.server.testing.SettableClock;
import dev.graphgate.server.upstream.Backoff;
import dev.graphgate.server.upstream.Retrier;
import dev.graphgate.server.upstream.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Tokens for other resources live in memory only as long as they are of use: expired ones and old refusals go. */
class ResourceTokensTest {
  static final String SHAREPOINT = "https://contoso.sharepoint.com/.default";
  static final TokenMeters METERS = new TokenMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  final SettableClock clock = SettableClock.atSystemTime();
  final ScriptedTokenEndpoint entra = new ScriptedTokenEndpoint();
  final ResourceTokens tokens = new ResourceTokens(new TokenFetcher(entra,
      new TokenRequestFactory(CloudConfig.custom(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9")), new ClientAssertionFactory(),
          clock),
      new Retrier(clock, d -> clock.advance(d)), new RetryPolicy(0, Duration.ZERO, Backoff.exponentialWithJitter(Duration.ZERO, Duration.ZERO,
          new SplittableRandom(1))), new TokenLifetimes(Duration.ofMinutes(15)), clock, METERS), clock, METERS);

  static Connection connection(long id) {
    return connection(id, "contoso.onmicrosoft.com");
  }

  static Connection connection(long id, String tenant) {
    return new Connection(id, 1, "ms", "microsoft-oauth2-cc", "c" + id, TenantId.parse(tenant),
        "https://graph.microsoft.com/.default", dev.graphgate.server.Json.object(),
        new ConnectionCredentials.ClientSecret("11112222-bbbb-3333-cccc-4444dddd5555", Secret.of("s")), Optional.empty(), Map.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), ConnectionHealth.pending(), clock0(), clock0(), 0);
  }

  static AccessToken valid(TokenAnswer answer) {
    assertThat(answer).isInstanceOf(TokenAnswer.Valid.class);
    return ((TokenAnswer.Valid) answer).token();
  }

  static java.time.Instant clock0() {
    return java.time.Instant.parse("2026-01-01T00:00:00Z");
  }

  @Test
  void expiredTokensAndOldRefusalsAreForgotten() {
    tokens.token(connection(1), SHAREPOINT, false);
    tokens.token(connection(2), SHAREPOINT, false);
    entra.answer(n -> ScriptedTokenEndpoint.rejected(400, "invalid_client", 7000215, "Invalid client secret provided."));
    assertThat(tokens.token(connection(3), SHAREPOINT, false)).isInstanceOf(TokenAnswer.Refused.class);
    tokens.afterRejection(connection(1), SHAREPOINT, valid(tokens.token(connection(1), SHAREPOINT, false)).value());
    assertThat(tokens.entries()).as("three tokens or refusals, one forced refresh").isEqualTo(4);

    tokens.prune();
    assertThat(tokens.entries()).as("all still of use").isEqualTo(4);

    clock.advance(Duration.ofHours(2));
    tokens.prune();
    assertThat(tokens.entries()).as("expired tokens, refusals past their backoff").isZero();
  }

  @Test
  void aConnectionImportedAgainForAnotherTenantGetsThatTenantsToken() {
    String arm = "https://management.azure.com/.default";
    AccessToken contoso = valid(tokens.token(connection(1, "contoso.onmicrosoft.com"), arm, false));
    AccessToken fabrikam = valid(tokens.token(connection(1, "fabrikam.onmicrosoft.com"), arm, false));
    assertThat(entra.requests()).as("same row, same credentials, another tenant: a token of the new tenant").isEqualTo(2);
    assertThat(entra.seen().get(1).tokenUrl().toString()).contains("/fabrikam.onmicrosoft.com/");
    assertThat(fabrikam.value()).isNotEqualTo(contoso.value());
  }

  @Test
  void aTokenStillValidIsKept() {
    entra.answer(n -> ScriptedTokenEndpoint.issued(List.of("Sites.Read.All"), 3599));
    tokens.token(connection(1), SHAREPOINT, false);
    clock.advance(Duration.ofMinutes(30));
    tokens.prune();
    assertThat(tokens.entries()).isEqualTo(1);
  }
}

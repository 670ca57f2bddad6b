package dev.graphgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.testing.ScriptedTokenEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenLifetimesTest {
  final TokenLifetimes lifetimes = new TokenLifetimes(Duration.ofMinutes(15));
  final Instant now = Instant.parse("2026-01-05T10:00:00Z");

  @Test
  void anHourTokenIsRefreshedFifteenMinutesBeforeExpiry() {
    AccessToken t = lifetimes.issued((TokenOutcome.Issued) ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3600), now);
    assertThat(t.expiresAt()).isEqualTo(now.plusSeconds(3600));
    assertThat(t.refreshAt()).isEqualTo(now.plusSeconds(2700));
    assertThat(t.roles()).contains(List.of("User.Read.All"));
  }

  @Test
  void entrasRefreshInWins() {
    TokenOutcome.Issued base = (TokenOutcome.Issued) ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 86399);
    AccessToken t = lifetimes.issued(new TokenOutcome.Issued(base.accessToken(), base.rawResponse(), 86399, Optional.of(43200L)), now);
    assertThat(t.refreshAt()).isEqualTo(now.plusSeconds(43200));
  }

  @Test
  void aRefreshInThatIsNotAUsableHintFallsBackToTheMargin() {
    TokenOutcome.Issued base = (TokenOutcome.Issued) ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 3600);
    for (long refreshIn : new long[] {0, -5, 3500, 7200}) {
      AccessToken t = lifetimes.issued(new TokenOutcome.Issued(base.accessToken(), base.rawResponse(), 3600, Optional.of(refreshIn)), now);
      assertThat(t.refreshAt()).as("refresh_in " + refreshIn + ": still the margin before expiry, never at once or past it")
          .isEqualTo(now.plusSeconds(2700));
    }
  }

  @Test
  void entrasRefreshInMayBeANumericString() {
    TokenOutcome outcome = EntraTokenClient.interpret(200,
        "{\"token_type\":\"Bearer\",\"expires_in\":\"86399\",\"refresh_in\":\"43199\",\"access_token\":\"t\"}", Optional.empty(), now);
    assertThat(outcome).isInstanceOfSatisfying(TokenOutcome.Issued.class, i -> {
      assertThat(i.expiresInSeconds()).isEqualTo(86399);
      assertThat(i.refreshInSeconds()).contains(43199L);
    });
    TokenOutcome unreadable = EntraTokenClient.interpret(200,
        "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"refresh_in\":\"soon\",\"access_token\":\"t\"}", Optional.empty(), now);
    assertThat(((TokenOutcome.Issued) unreadable).refreshInSeconds()).as("an unreadable hint is no hint").isEmpty();
  }

  @Test
  void aShortTokenIsRefreshedAtHalfItsLifeNotOnEveryRead() {
    AccessToken t = lifetimes.issued((TokenOutcome.Issued) ScriptedTokenEndpoint.issued(List.of("User.Read.All"), 120), now);
    assertThat(t.refreshAt()).isEqualTo(now.plusSeconds(60));
  }

  @Test
  void aTokenWithoutPermissionsIsRecheckedWithinAMinute() {
    AccessToken t = lifetimes.issued((TokenOutcome.Issued) ScriptedTokenEndpoint.issued(null, 3599), now);
    assertThat(t.roles()).contains(List.of());
    assertThat(t.refreshAt()).isEqualTo(now.plus(TokenLifetimes.CONSENT_RECHECK));
  }

  @Test
  void anImportedTokenWithoutExpiryStillGetsOneAndIsRefreshed() {
    AccessToken opaque = lifetimes.imported(Secret.of("opaque-token"), Secret.of("{}"), Optional.empty(), now);
    assertThat(opaque.expiresAt()).isEqualTo(now.plus(TokenLifetimes.IMPORTED_DEFAULT_LIFETIME));
    assertThat(opaque.refreshAt()).isEqualTo(now.plus(Duration.ofMinutes(40)));
    String jwt = "eyJhbGciOiJub25lIn0." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("{\"exp\":" + now.plusSeconds(1800).getEpochSecond() + "}").getBytes()) + ".";
    assertThat(lifetimes.imported(Secret.of(jwt), Secret.of("{}"), Optional.empty(), now).expiresAt()).isEqualTo(now.plusSeconds(1800));
  }
}

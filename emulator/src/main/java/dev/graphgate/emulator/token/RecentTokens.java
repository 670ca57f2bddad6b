package dev.graphgate.emulator.token;

import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands back a token issued moments ago when the same client asks again for the same tenant and resource and nothing
 * that goes into the token has changed; otherwise mints a new one.
 *
 * <p>Why: signing an RS256 token costs about a millisecond of CPU, which would cap the token endpoint near a thousand
 * requests a second on two cores. A token service may answer a repeated request with a still-fresh token it issued
 * for exactly the same claims (its {@code expires_in} then counts down from the original expiry). Every request is
 * still validated in full and counted by the caller; only the signature is saved. The key holds every input of the
 * claims (tenant, app, display name, service principal, granted roles, credential kind, audience), so a grant, a
 * rename or a different credential type always yields a new token.
 *
 * <p>A window of zero turns reuse off. Reuse is decided on the emulator's clock, so a test that moves its clock past
 * the window gets a new token.
 */
public final class RecentTokens {

  private record Key(
      String tenantId,
      Instant tenantCreatedAt,
      String appId,
      String appDisplayName,
      String servicePrincipalId,
      List<String> roles,
      CredentialKind credential,
      String audience) {}

  private record Entry(IssuedToken token, Instant issuedAt) {}

  private final AccessTokenIssuer issuer;
  private final InstantSource clock;
  private final Duration window;
  private final Map<Key, Entry> recent = new ConcurrentHashMap<>();
  private final Runnable onSigned;

  /** @param onSigned told after each signature (the emulator counts them in its stats) */
  public RecentTokens(AccessTokenIssuer issuer, InstantSource clock, Duration window, Runnable onSigned) {
    this.issuer = issuer;
    this.clock = clock;
    this.window = window;
    this.onSigned = onSigned;
  }

  /** A token for these claims: a fresh one, or one issued less than the reuse window ago with its remaining lifetime. */
  public IssuedToken issue(
      Tenant tenant, AppRegistration app, ServicePrincipal servicePrincipal, CredentialKind credential, String audience) {
    if (window.isZero()) {
      return mint(tenant, app, servicePrincipal, credential, audience).token();
    }
    Key key =
        new Key(
            tenant.id(),
            tenant.createdAt(),
            app.appId(),
            app.displayName(),
            servicePrincipal.objectId(),
            servicePrincipal.grantedRoles(),
            credential,
            audience);
    Instant now = clock.instant();
    Entry entry = recent.get(key);
    if (entry == null || !isFresh(entry, now)) {
      // compute() makes concurrent requests for one key wait for a single signature instead of each signing.
      entry =
          recent.compute(
              key, (k, old) -> old != null && isFresh(old, now) ? old : mint(tenant, app, servicePrincipal, credential, audience));
      if (recent.size() > 10_000) {
        recent.values().removeIf(e -> !isFresh(e, now));
      }
    }
    return remaining(entry, now);
  }

  private boolean isFresh(Entry entry, Instant now) {
    return !now.isBefore(entry.issuedAt()) && now.isBefore(entry.issuedAt().plus(window));
  }

  private Entry mint(
      Tenant tenant, AppRegistration app, ServicePrincipal servicePrincipal, CredentialKind credential, String audience) {
    IssuedToken token = issuer.issue(tenant, app, servicePrincipal, credential, audience);
    onSigned.run();
    return new Entry(token, token.expiresAt().minusSeconds(token.expiresInSeconds()));
  }

  /** The token with {@code expires_in} counted down by the whole seconds since it was issued. */
  private static IssuedToken remaining(Entry entry, Instant now) {
    long elapsed = Math.max(0, Duration.between(entry.issuedAt(), now).toSeconds());
    IssuedToken token = entry.token();
    return elapsed == 0
        ? token
        : new IssuedToken(token.accessToken(), Math.max(0, token.expiresInSeconds() - elapsed), token.expiresAt());
  }
}

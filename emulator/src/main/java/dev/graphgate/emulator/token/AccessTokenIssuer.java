package dev.graphgate.emulator.token;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.keys.SigningKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Mints app-only access tokens shaped like the v1.0 tokens Entra issues for Microsoft Graph (shared/reference/
 * microsoft.md section 2): issuer {@code https://sts.windows.net/{tid}/}, {@code oid = sub} = the service principal,
 * {@code idtyp: app}, and {@code roles} only when something was granted.
 */
public final class AccessTokenIssuer {

  /** The directory-role template id that real app-only tokens carry in {@code wids}. */
  static final String APP_ONLY_WIDS = "0997a1d0-0d1d-4acb-b408-d5ca73121e90";

  private final SigningKey key;
  private final InstantSource clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();

  public AccessTokenIssuer(SigningKey key, InstantSource clock, Duration lifetime) {
    this.key = key;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public static String issuer(String tenantId) {
    return "https://sts.windows.net/" + tenantId + "/";
  }

  /**
   * Issues a token for {@code app} in {@code tenant}.
   *
   * @param audience the resource as requested: {@code https://graph.microsoft.com} or Graph's appId GUID
   */
  public IssuedToken issue(
      Tenant tenant, AppRegistration app, ServicePrincipal servicePrincipal, CredentialKind credential, String audience) {
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .audience(audience)
            .issuer(issuer(tenant.id()))
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .claim("aio", opaque(24))
            .claim("app_displayname", app.displayName())
            .claim("appid", app.appId())
            .claim("appidacr", credential.appIdAcr())
            .claim("idp", issuer(tenant.id()))
            .claim("idtyp", "app")
            .claim("oid", servicePrincipal.objectId());
    List<String> roles = servicePrincipal.grantedRoles();
    if (!roles.isEmpty()) {
      claims.claim("roles", roles);
    }
    claims
        .claim("rh", "0." + opaque(32) + ".")
        .subject(servicePrincipal.objectId())
        .claim("tenant_region_scope", "WW")
        .claim("tid", tenant.id())
        .claim("uti", opaque(16))
        .claim("ver", "1.0")
        .claim("wids", List.of(APP_ONLY_WIDS))
        .claim("xms_tcdt", tenant.createdAt().getEpochSecond());
    return new IssuedToken(key.sign(claims.build()), lifetime.toSeconds(), expires);
  }

  private String opaque(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}

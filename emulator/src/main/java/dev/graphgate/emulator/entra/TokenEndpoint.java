package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.Identifiers;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.stats.EmulatorStats;
import dev.graphgate.emulator.token.CredentialKind;
import dev.graphgate.emulator.token.IssuedToken;
import dev.graphgate.emulator.token.RecentTokens;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /{tenant}/oauth2/v2.0/token} (and the v1.0 {@code /{tenant}/oauth2/token}): the client credentials
 * grant, checked in the order Entra checks it and answered as Entra answers (shared/reference/microsoft.md sections
 * 1-5). Every request, whatever its outcome, is counted in {@link EmulatorStats}.
 *
 * <ol>
 *   <li>the tenant segment (AADSTS900023, 90002, 50059);
 *   <li>the form: {@code grant_type} (900144, 70003), {@code client_id} (900144), {@code scope} or {@code resource}
 *       (900144, 1002012, 70011, 500011);
 *   <li>the app in that tenant: registered and with a service principal there (700016), enabled (7000112);
 *   <li>its credential (7000218, 7000215, 7000222, 700027, 700024, 50048, 700021, 50027);
 *   <li>the token: v1.0, {@code roles} as granted in that tenant, {@code aud} as asked.
 * </ol>
 */
public final class TokenEndpoint {

  public static final String V2_PATH = "/{tenant}/oauth2/v2.0/token";
  public static final String V1_PATH = "/{tenant}/oauth2/token";
  private static final String ENTRA_ORIGIN = "https://login.microsoftonline.com";
  private static final int MAX_RECORDED_LENGTH = 64;

  private final Directory directory;
  private final TenantResolver tenants;
  private final RecentTokens tokens;
  private final EmulatorStats stats;
  private final InstantSource clock;

  public TokenEndpoint(Directory directory, RecentTokens tokens, EmulatorStats stats, InstantSource clock) {
    this.directory = directory;
    this.tenants = new TenantResolver(directory);
    this.tokens = tokens;
    this.stats = stats;
    this.clock = clock;
  }

  public void handleV2(Context ctx) {
    handle(ctx, false);
  }

  public void handleV1(Context ctx) {
    handle(ctx, true);
  }

  private void handle(Context ctx, boolean v1) {
    Instant now = clock.instant();
    RequestIds ids = RequestIds.of(ctx, now);
    String segment = ctx.pathParam("tenant");
    String recordedTenant = segment;
    String recordedApp = null;
    try {
      if (ctx.method() != HandlerType.POST) {
        throw EntraError.METHOD_NOT_ALLOWED.with("POST, OPTIONS", ctx.method().name());
      }
      Tenant tenant = tenants.resolve(segment);
      recordedTenant = tenant.id();
      TokenRequest request = TokenRequestParser.parse(ctx);
      recordedApp = request.clientId().map(TokenEndpoint::recordable).orElse(null);

      String grantType = request.grantType().orElseThrow(() -> EntraError.MISSING_PARAMETER.with("grant_type"));
      if (!grantType.equals("client_credentials")) {
        throw EntraError.UNSUPPORTED_GRANT_TYPE.with(grantType);
      }
      String clientId = request.clientId().orElseThrow(() -> EntraError.MISSING_PARAMETER.with("client_id"));
      String audience = v1 ? audienceV1(request, tenant) : audienceV2(request, tenant);

      AppRegistration app =
          directory.app(clientId).orElseThrow(() -> EntraError.APP_NOT_FOUND.with(clientId, segment));
      ServicePrincipal servicePrincipal =
          directory.servicePrincipal(tenant.id(), app.appId())
              .orElseThrow(() -> EntraError.APP_NOT_FOUND.with(clientId, segment));
      if (app.disabled()) {
        throw EntraError.APP_DISABLED.with(app.appId(), app.displayName());
      }
      // The origin (a Host header check) is only needed to read a client assertion's audience.
      CredentialKind credential =
          ClientAuthenticator.authenticate(request, app, aud -> isTokenEndpoint(aud, Origins.of(ctx), tenant), now);

      IssuedToken token = tokens.issue(tenant, app, servicePrincipal, credential, audience);
      stats.recordTokenRequest(recordedTenant, app.appId(), true);
      EntraResponses.json(ctx, ids, 200, v1 ? successV1(token, audience, now) : successV2(token));
    } catch (EntraException e) {
      stats.recordTokenRequest(recordable(recordedTenant), recordedApp, false);
      EntraResponses.error(ctx, ids, e);
    }
  }

  private static String audienceV2(TokenRequest request, Tenant tenant) {
    String scope = request.scope().orElseThrow(() -> EntraError.MISSING_PARAMETER.with("scope"));
    return ScopeRules.audienceForScope(scope, tenant);
  }

  private static String audienceV1(TokenRequest request, Tenant tenant) {
    String resource = request.resource().orElseThrow(() -> EntraError.MISSING_PARAMETER.with("resource"));
    return ScopeRules.audienceForResource(resource.strip(), tenant);
  }

  /** {@code {"token_type", "expires_in", "ext_expires_in", "access_token"}}, in Entra's order; no scope, no refresh token. */
  private static Map<String, Object> successV2(IssuedToken token) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("expires_in", token.expiresInSeconds());
    body.put("ext_expires_in", token.expiresInSeconds());
    body.put("access_token", token.accessToken());
    return body;
  }

  /** The v1.0 endpoint answers numbers as strings and adds {@code expires_on}, {@code not_before}, {@code resource}. */
  private static Map<String, Object> successV1(IssuedToken token, String resource, Instant now) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("expires_in", Long.toString(token.expiresInSeconds()));
    body.put("ext_expires_in", Long.toString(token.expiresInSeconds()));
    body.put("expires_on", Long.toString(token.expiresAt().getEpochSecond()));
    body.put("not_before", Long.toString(now.getEpochSecond()));
    body.put("resource", resource);
    body.put("access_token", token.accessToken());
    return body;
  }

  /**
   * Whether a client assertion's {@code aud} names this tenant's token endpoint: the v2.0 or v1.0 endpoint, on the
   * emulator's origin as the client reached it or on Entra's own host, with the tenant by id or any verified domain.
   */
  static boolean isTokenEndpoint(String aud, String origin, Tenant tenant) {
    URI uri;
    try {
      uri = URI.create(aud.strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getRawPath() == null) {
      return false;
    }
    String uriOrigin = (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT);
    if (!uriOrigin.equals(origin) && !uriOrigin.equals(ENTRA_ORIGIN)) {
      return false;
    }
    String path = uri.getRawPath().toLowerCase(Locale.ROOT);
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String suffix = path.endsWith("/oauth2/v2.0/token") ? "/oauth2/v2.0/token" : path.endsWith("/oauth2/token") ? "/oauth2/token" : null;
    if (suffix == null || !path.startsWith("/")) {
      return false;
    }
    String segment = path.substring(1, path.length() - suffix.length());
    return segment.equals(tenant.id()) || tenant.domains().contains(segment);
  }

  /** Stats keys stay short and GUIDs compare case-insensitively, whatever a client sends. */
  private static String recordable(String value) {
    if (Identifiers.isGuid(value)) {
      return Identifiers.normalize(value);
    }
    return value.length() > MAX_RECORDED_LENGTH ? value.substring(0, MAX_RECORDED_LENGTH) + "..." : value;
  }
}

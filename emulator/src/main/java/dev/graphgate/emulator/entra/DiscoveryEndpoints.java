package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.http.Json;
import dev.graphgate.emulator.keys.SigningKey;
import dev.graphgate.emulator.token.AccessTokenIssuer;
import io.javalin.http.Context;
import java.net.URI;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What clients read before asking for a token (shared/reference/microsoft.md section 1.6): OpenID Connect metadata
 * (v2.0 and v1.0) and signing keys per tenant, and MSAL's instance discovery. Every URL in these documents points at
 * the emulator as the client reached it; issuers are those of the tokens the emulator signs.
 */
public final class DiscoveryEndpoints {

  public static final String V2_METADATA = "/{tenant}/v2.0/.well-known/openid-configuration";
  public static final String V1_METADATA = "/{tenant}/.well-known/openid-configuration";
  public static final String V2_KEYS = "/{tenant}/discovery/v2.0/keys";
  public static final String V1_KEYS = "/{tenant}/discovery/keys";
  public static final String INSTANCE_DISCOVERY = "/common/discovery/instance";

  /** Entra's global hosts: instance discovery answers Entra's own entry for them (a DNS-mapped emulator). */
  static final List<String> ENTRA_GLOBAL_ALIASES =
      List.of("login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net");

  private static final List<String> AUTH_METHODS = List.of("client_secret_post", "private_key_jwt", "client_secret_basic");
  private static final List<String> RESPONSE_MODES = List.of("query", "fragment", "form_post");
  private static final List<String> RESPONSE_TYPES = List.of("code", "id_token", "code id_token", "id_token token");
  private static final List<String> CLAIMS =
      List.of("sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host",
          "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash",
          "c_hash", "email");
  private static final String TENANT_PLACEHOLDER = "{tenantid}";

  private final TenantResolver tenants;
  private final SigningKey signingKey;
  private final Supplier<URI> graphUrl;
  private final InstantSource clock;

  public DiscoveryEndpoints(
      Directory directory, SigningKey signingKey, Supplier<URI> graphUrl, InstantSource clock) {
    this.tenants = new TenantResolver(directory);
    this.signingKey = signingKey;
    this.graphUrl = graphUrl;
    this.clock = clock;
  }

  public void openIdConfigurationV2(Context ctx) {
    answer(ctx, (origin, tenant) -> {
      String path = origin + "/" + tenant.pathSegment();
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("token_endpoint", path + "/oauth2/v2.0/token");
      doc.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
      doc.put("jwks_uri", path + "/discovery/v2.0/keys");
      doc.put("response_modes_supported", RESPONSE_MODES);
      doc.put("subject_types_supported", List.of("pairwise"));
      doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
      doc.put("response_types_supported", RESPONSE_TYPES);
      doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
      doc.put("issuer", v2Issuer(origin, tenant.issuerId()));
      doc.put("request_uri_parameter_supported", false);
      doc.put("userinfo_endpoint", graphUrl.get() + "/oidc/userinfo");
      doc.put("authorization_endpoint", path + "/oauth2/v2.0/authorize");
      doc.put("device_authorization_endpoint", path + "/oauth2/v2.0/devicecode");
      doc.put("http_logout_supported", true);
      doc.put("frontchannel_logout_supported", true);
      doc.put("end_session_endpoint", path + "/oauth2/v2.0/logout");
      doc.put("claims_supported", CLAIMS);
      doc.put("kerberos_endpoint", path + "/kerberos");
      cloud(doc);
      return doc;
    });
  }

  public void openIdConfigurationV1(Context ctx) {
    answer(ctx, (origin, tenant) -> {
      String path = origin + "/" + tenant.pathSegment();
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("token_endpoint", path + "/oauth2/token");
      doc.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
      doc.put("jwks_uri", path + "/discovery/keys");
      doc.put("response_modes_supported", RESPONSE_MODES);
      doc.put("subject_types_supported", List.of("pairwise"));
      doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
      doc.put("response_types_supported", RESPONSE_TYPES);
      doc.put("scopes_supported", List.of("openid"));
      doc.put("issuer", AccessTokenIssuer.issuer(tenant.issuerId()));
      doc.put("microsoft_multi_refresh_token", true);
      doc.put("authorization_endpoint", path + "/oauth2/authorize");
      doc.put("device_authorization_endpoint", path + "/oauth2/devicecode");
      doc.put("http_logout_supported", true);
      doc.put("frontchannel_logout_supported", true);
      doc.put("end_session_endpoint", path + "/oauth2/logout");
      doc.put("claims_supported", CLAIMS);
      doc.put("check_session_iframe", path + "/oauth2/checksession");
      doc.put("userinfo_endpoint", path + "/openid/userinfo");
      doc.put("kerberos_endpoint", path + "/kerberos");
      cloud(doc);
      return doc;
    });
  }

  /** The JWKS: the one key every emulator token is signed with, {@code kid} = {@code x5t}, certificate in {@code x5c}. */
  public void keys(Context ctx) {
    answer(ctx, (origin, tenant) -> Map.of("keys", List.of(signingKey.jwksEntry(v2Issuer(origin, tenant.issuerId())))));
  }

  /**
   * {@code GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...}: the emulator lists itself as
   * {@code preferred_network}, so MSAL sends the token request back to it; another host is an unknown instance
   * (AADSTS50049), as Entra answers.
   */
  public void instanceDiscovery(Context ctx) {
    RequestIds ids = RequestIds.of(ctx, clock.instant());
    String origin = Origins.of(ctx);
    String ownHost = Origins.hostOf(origin);
    String authorizationEndpoint = ctx.queryParam("authorization_endpoint");
    String host = ownHost;
    String tenant = "common";
    if (authorizationEndpoint != null && !authorizationEndpoint.isBlank()) {
      Optional<URI> uri = parse(authorizationEndpoint);
      if (uri.isEmpty() || uri.get().getHost() == null) {
        EntraResponses.error(ctx, ids, EntraError.UNKNOWN_INSTANCE.with());
        return;
      }
      host = uri.get().getHost().toLowerCase(Locale.ROOT);
      if (!host.equals(ownHost) && !ENTRA_GLOBAL_ALIASES.contains(host)) {
        EntraResponses.error(ctx, ids, EntraError.UNKNOWN_INSTANCE.with());
        return;
      }
      String[] segments = Optional.ofNullable(uri.get().getPath()).orElse("").split("/");
      if (segments.length > 1 && !segments[1].isBlank()) {
        tenant = segments[1];
      }
    }
    List<String> aliases = ENTRA_GLOBAL_ALIASES.contains(host) ? ENTRA_GLOBAL_ALIASES : List.of(host);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("preferred_network", host);
    entry.put("preferred_cache", host);
    entry.put("aliases", aliases);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant_discovery_endpoint", origin + "/" + tenant + "/v2.0/.well-known/openid-configuration");
    body.put("api-version", "1.1");
    body.put("metadata", List.of(entry));
    EntraResponses.common(ctx, ids);
    ctx.header("Cache-Control", "max-age=86400, private");
    ctx.contentType("application/json; charset=utf-8").result(Json.write(body));
  }

  /** A tenant as a discovery document names it: by GUID, or the alias as asked with a placeholder issuer. */
  private record DocumentTenant(String pathSegment, String issuerId) {}

  private interface Document {
    Object build(String origin, DocumentTenant tenant);
  }

  private void answer(Context ctx, Document document) {
    RequestIds ids = RequestIds.of(ctx, clock.instant());
    String segment = ctx.pathParam("tenant");
    try {
      DocumentTenant tenant;
      if (TenantResolver.isAlias(segment)) {
        tenant = new DocumentTenant(segment.toLowerCase(Locale.ROOT), TENANT_PLACEHOLDER);
      } else {
        Tenant found = tenants.find(segment).orElseThrow(() -> EntraError.TENANT_NOT_FOUND.with(segment));
        tenant = new DocumentTenant(found.id(), found.id());
      }
      Object body = document.build(Origins.of(ctx), tenant);
      EntraResponses.common(ctx, ids);
      ctx.header("Cache-Control", "max-age=86400, private");
      ctx.header("Access-Control-Allow-Origin", "*");
      ctx.contentType("application/json; charset=utf-8").result(Json.write(body));
    } catch (EntraException e) {
      EntraResponses.error(ctx, ids, e);
    }
  }

  private void cloud(Map<String, Object> doc) {
    URI graph = graphUrl.get();
    doc.put("tenant_region_scope", "WW");
    doc.put("cloud_instance_name", "microsoftonline.com");
    doc.put("cloud_graph_host_name", "graph.windows.net");
    doc.put("msgraph_host", graph.getRawAuthority());
    doc.put("rbac_url", "https://pas.windows.net");
  }

  private static String v2Issuer(String origin, String tenantId) {
    return origin + "/" + tenantId + "/v2.0";
  }

  private static Optional<URI> parse(String value) {
    try {
      return Optional.of(URI.create(value.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

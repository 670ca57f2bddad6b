package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.directory.Tenant;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Admin consent (shared/reference/microsoft.md section 4): {@code GET /{tenant}/v2.0/adminconsent} and the older
 * {@code GET /{tenant}/adminconsent} show the app and the Microsoft Graph permissions it asks for with Accept and
 * Cancel; the form posts back to the same path.
 *
 * <p>Accept grants the app's required permissions in the tenant (creating its service principal) and redirects to
 * {@code redirect_uri} with {@code admin_consent=True&tenant=...&state=...} ({@code scope} too on v2.0). Cancel
 * redirects with {@code error=access_denied} and AADSTS65004, in the form observed from Entra. A request whose app or
 * redirect URI cannot be trusted (unknown app, missing or unregistered {@code redirect_uri}, disabled app, a
 * single-tenant app outside its home tenant) is refused on the page and never redirected.
 */
public final class AdminConsentPages {

  public static final String V2_PATH = "/{tenant}/v2.0/adminconsent";
  public static final String V1_PATH = "/{tenant}/adminconsent";

  private final Directory directory;
  private final TenantResolver tenants;
  private final InstantSource clock;

  public AdminConsentPages(Directory directory, InstantSource clock) {
    this.directory = directory;
    this.tenants = new TenantResolver(directory);
    this.clock = clock;
  }

  public void showV2(Context ctx) {
    show(ctx, true);
  }

  public void showV1(Context ctx) {
    show(ctx, false);
  }

  public void decideV2(Context ctx) {
    decide(ctx, true);
  }

  public void decideV1(Context ctx) {
    decide(ctx, false);
  }

  /** A consent request whose app and redirect URI were checked, so errors from here on may be redirected. */
  private record Checked(
      boolean v2, AppRegistration app, Optional<Tenant> tenant, List<Tenant> choices, String redirectUri,
      Optional<String> state, Optional<String> scope) {}

  private void show(Context ctx, boolean v2) {
    RequestIds ids = RequestIds.of(ctx, clock.instant());
    Checked request;
    try {
      request = check(ctx, v2, ctx::queryParam, Optional.empty());
    } catch (EntraException e) {
      Html.errorPage(ctx, ids, e);
      return;
    }
    try {
      if (v2) {
        request.scope().ifPresentOrElse(
            scope -> ScopeRules.audienceForScope(scope, request.tenant().orElse(request.choices().getFirst())),
            () -> {
              throw EntraError.MISSING_PARAMETER.with("scope");
            });
      }
    } catch (EntraException e) {
      redirectWithError(ctx, ids, request, e);
      return;
    }
    Html.page(ctx, 200, "Permissions requested", consentForm(ctx, request));
  }

  private void decide(Context ctx, boolean v2) {
    RequestIds ids = RequestIds.of(ctx, clock.instant());
    FormBody form;
    Checked request;
    try {
      form = TokenRequestParser.isForm(ctx.contentType()) ? FormBody.parse(TokenRequestParser.body(ctx)) : FormBody.empty();
      request = check(ctx, v2, name -> form.single(name).orElse(null), form.single("tenant"));
    } catch (EntraException e) {
      Html.errorPage(ctx, ids, e);
      return;
    }
    String decision;
    try {
      decision = form.single("decision").orElse("");
    } catch (EntraException e) {
      Html.errorPage(ctx, ids, e);
      return;
    }
    if (decision.equals("cancel")) {
      redirectWithError(ctx, ids, request, EntraError.CONSENT_DECLINED.with());
      return;
    }
    if (!decision.equals("accept")) {
      Html.errorPage(ctx, ids, EntraError.MALFORMED_REQUEST.with("The parameter 'decision' must be 'accept' or 'cancel'."));
      return;
    }
    if (request.tenant().isEmpty()) {
      Html.errorPage(ctx, ids, EntraError.MISSING_PARAMETER.with("tenant"));
      return;
    }
    Tenant tenant = request.tenant().get();
    if (v2) {
      try {
        ScopeRules.audienceForScope(request.scope().orElseThrow(() -> EntraError.MISSING_PARAMETER.with("scope")), tenant);
      } catch (EntraException e) {
        redirectWithError(ctx, ids, request, e);
        return;
      }
    }
    grantRequiredRoles(tenant, request.app());
    Map<String, String> params = new LinkedHashMap<>();
    if (v2) {
      params.put("admin_consent", "True");
      params.put("tenant", tenant.id());
      params.put("scope", String.join(" ",
          request.app().requiredRoles().stream().map(role -> GraphPermissions.GRAPH_RESOURCE + "/" + role).toList()));
      request.state().ifPresent(s -> params.put("state", s));
    } else {
      // The order of the documented v1 answer: ?tenant=...&state=...&admin_consent=True
      params.put("tenant", tenant.id());
      request.state().ifPresent(s -> params.put("state", s));
      params.put("admin_consent", "True");
    }
    ctx.redirect(withQuery(request.redirectUri(), params), HttpStatus.FOUND);
  }

  /** Admin consent adds the app's required permissions to whatever the tenant had already granted it. */
  private void grantRequiredRoles(Tenant tenant, AppRegistration app) {
    Set<String> roles = new LinkedHashSet<>();
    directory.servicePrincipal(tenant.id(), app.appId()).ifPresent(sp -> roles.addAll(sp.grantedRoles()));
    roles.addAll(app.requiredRoles());
    directory.grant(tenant.id(), app.appId(), new ArrayList<>(roles));
  }

  /**
   * Everything that must hold before the emulator may redirect anywhere: a tenant (or, on an alias, a tenant chosen
   * on the page), a known and enabled app that may live in it, and a redirect URI registered on that app.
   */
  private Checked check(Context ctx, boolean v2, Function<String, String> param, Optional<String> chosenTenant) {
    String segment = ctx.pathParam("tenant");
    boolean alias = TenantResolver.isAlias(segment);
    Optional<Tenant> tenant = alias ? Optional.empty()
        : Optional.of(tenants.find(segment).orElseThrow(() -> EntraError.TENANT_NOT_FOUND.with(segment)));

    String clientId = blankToNull(param.apply("client_id"));
    if (clientId == null) {
      throw EntraError.MISSING_PARAMETER.with("client_id");
    }
    AppRegistration app = directory.app(clientId).orElseThrow(() -> EntraError.APP_NOT_FOUND.with(clientId, segment));
    if (alias && v2 && !segment.equalsIgnoreCase("organizations")) {
      throw EntraError.COMMON_ENDPOINT_NOT_SUPPORTED.with(app.appId(), app.displayName());
    }
    String redirectUri = blankToNull(param.apply("redirect_uri"));
    if (redirectUri == null) {
      throw EntraError.NO_REPLY_ADDRESS.with();
    }
    if (!app.hasRedirectUri(redirectUri)) {
      throw EntraError.REDIRECT_URI_MISMATCH.with(redirectUri, app.appId());
    }
    if (app.disabled()) {
      throw EntraError.APP_DISABLED.with(app.appId(), app.displayName());
    }
    if (tenant.isPresent() && !mayLiveIn(app, tenant.get())) {
      throw EntraError.APP_NOT_FOUND.with(app.appId(), segment);
    }
    List<Tenant> choices = directory.tenants().stream().filter(t -> mayLiveIn(app, t)).toList();
    if (alias) {
      if (choices.isEmpty()) {
        throw EntraError.APP_NOT_FOUND.with(app.appId(), segment);
      }
      if (chosenTenant.isPresent()) {
        Tenant chosen = tenants.find(chosenTenant.get())
            .orElseThrow(() -> EntraError.TENANT_NOT_FOUND.with(chosenTenant.get()));
        if (!mayLiveIn(app, chosen)) {
          throw EntraError.APP_NOT_FOUND.with(app.appId(), chosen.id());
        }
        tenant = Optional.of(chosen);
      }
    }
    return new Checked(v2, app, tenant, choices, redirectUri,
        Optional.ofNullable(param.apply("state")), Optional.ofNullable(blankToNull(param.apply("scope"))));
  }

  /** A single-tenant app exists only in its home tenant; an app registered without one may be consented anywhere. */
  private static boolean mayLiveIn(AppRegistration app, Tenant tenant) {
    return app.multiTenant() || app.homeTenantId().map(tenant.id()::equals).orElse(true);
  }

  private String consentForm(Context ctx, Checked request) {
    AppRegistration app = request.app();
    StringBuilder html = new StringBuilder();
    html.append("<h1>Permissions requested</h1>\n<p><strong>").append(Html.escape(app.displayName()))
        .append("</strong><br><span class=\"meta\">App ID ").append(Html.escape(app.appId())).append("</span></p>\n");
    if (request.tenant().isPresent()) {
      Tenant tenant = request.tenant().get();
      html.append("<p>This app would like these Microsoft Graph application permissions in <strong>")
          .append(Html.escape(tenant.displayName())).append("</strong> (").append(Html.escape(tenant.initialDomain()))
          .append(", ").append(Html.escape(tenant.id())).append("):</p>\n");
    } else {
      html.append("<p>This app would like these Microsoft Graph application permissions in your organization:</p>\n");
    }
    html.append("<ul>\n");
    if (app.requiredRoles().isEmpty()) {
      html.append("<li>No permissions: the app is only added to the organization.</li>\n");
    }
    for (String role : app.requiredRoles()) {
      html.append("<li><code>").append(Html.escape(role)).append("</code></li>\n");
    }
    html.append("</ul>\n<p>Accepting grants them for the whole organization, without a signed-in user.</p>\n");
    html.append("<form method=\"post\" action=\"").append(Html.escape(ctx.path())).append("\">\n");
    if (request.tenant().isEmpty()) {
      html.append("<p><label for=\"tenant\">Organization</label><br><select id=\"tenant\" name=\"tenant\">");
      for (Tenant t : request.choices()) {
        html.append("<option value=\"").append(Html.escape(t.id())).append("\">").append(Html.escape(t.displayName()))
            .append(" (").append(Html.escape(t.initialDomain())).append(")</option>");
      }
      html.append("</select></p>\n");
    }
    hidden(html, "client_id", app.appId());
    hidden(html, "redirect_uri", request.redirectUri());
    request.state().ifPresent(s -> hidden(html, "state", s));
    request.scope().ifPresent(s -> hidden(html, "scope", s));
    html.append("<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>")
        .append("<button type=\"submit\" name=\"decision\" value=\"accept\" class=\"primary\">Accept</button></div>\n")
        .append("</form>");
    return html.toString();
  }

  private static void hidden(StringBuilder html, String name, String value) {
    html.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(Html.escape(value)).append("\">\n");
  }

  /** The observed error form: {@code error}, {@code error_description}, {@code error_uri}, {@code admin_consent}, {@code state}. */
  private static void redirectWithError(Context ctx, RequestIds ids, Checked request, EntraException e) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", e.error().error());
    params.put("error_description", EntraResponses.description(ids, e));
    params.put("error_uri", EntraResponses.errorUri(Origins.of(ctx), e.error()));
    params.put("admin_consent", "True");
    request.state().ifPresent(s -> params.put("state", s));
    ctx.redirect(withQuery(request.redirectUri(), params), HttpStatus.FOUND);
  }

  static String withQuery(String uri, Map<String, String> params) {
    StringBuilder out = new StringBuilder(uri);
    char separator = uri.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      out.append(separator).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    return out.toString();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}

package dev.graphgate.emulator.admin;

import dev.graphgate.emulator.admin.AdminBodies.AppBody;
import dev.graphgate.emulator.admin.AdminBodies.AppPatchBody;
import dev.graphgate.emulator.admin.AdminBodies.GrantBody;
import dev.graphgate.emulator.admin.AdminBodies.SecretBody;
import dev.graphgate.emulator.admin.AdminBodies.TenantBody;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.CreatedApp;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.DirectoryException;
import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.stats.EmulatorStats;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's own API under {@code /_emulator/}: create and remove tenants, app registrations and grants, read the
 * request counters. Documented in emulator/README.md.
 */
public final class AdminRoutes {

  public static final String PREFIX = "/_emulator";

  private final Directory directory;
  private final EmulatorStats stats;

  public AdminRoutes(Directory directory, EmulatorStats stats) {
    this.directory = directory;
    this.stats = stats;
  }

  public void register(RoutesConfig routes) {
    routes.exception(AdminException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));

    routes.post(PREFIX + "/tenants", this::createTenant);
    routes.get(PREFIX + "/tenants", ctx -> ctx.json(Map.of("value", directory.tenants().stream().map(AdminViews::tenant).toList())));
    routes.get(PREFIX + "/tenants/{id}", ctx -> ctx.json(AdminViews.tenant(tenant(ctx.pathParam("id")))));
    routes.delete(PREFIX + "/tenants/{id}", ctx -> change(ctx, () -> directory.deleteTenant(ctx.pathParam("id"))));

    routes.post(PREFIX + "/apps", this::createApp);
    routes.get(PREFIX + "/apps", ctx -> ctx.json(Map.of("value", directory.apps().stream().map(AdminViews::app).toList())));
    routes.get(PREFIX + "/apps/{appId}", ctx -> ctx.json(AdminViews.app(app(ctx.pathParam("appId")))));
    routes.patch(PREFIX + "/apps/{appId}", this::updateApp);
    routes.delete(PREFIX + "/apps/{appId}", ctx -> change(ctx, () -> directory.deleteApp(ctx.pathParam("appId"))));
    routes.post(PREFIX + "/apps/{appId}/secrets", this::addSecret);

    routes.post(PREFIX + "/grants", this::grant);
    routes.get(PREFIX + "/grants", this::listGrants);
    routes.delete(
        PREFIX + "/grants/{tenantId}/{appId}",
        ctx -> change(ctx, () -> directory.revoke(ctx.pathParam("tenantId"), ctx.pathParam("appId"))));

    routes.get(PREFIX + "/permissions", ctx -> ctx.json(Map.of("value", GraphPermissions.all().entrySet().stream()
        .map(e -> Map.of("value", e.getKey(), "id", e.getValue())).toList())));
    routes.get(PREFIX + "/stats", ctx -> ctx.json(stats.snapshot()));
    routes.delete(PREFIX + "/stats", ctx -> {
      stats.reset();
      ctx.status(204);
    });
  }

  /** The admin API's error body: {@code {"error": {"code", "message"}}}. */
  public static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message)));
  }

  private void createTenant(Context ctx) {
    TenantBody body = JsonBodies.read(ctx, TenantBody.class);
    Tenant tenant =
        directoryCall(() -> directory.createTenant(
            Optional.ofNullable(body.id()), Optional.ofNullable(body.displayName()), AdminBodies.orEmpty(body.domainsOrEmpty())));
    ctx.status(201).json(AdminViews.tenant(tenant));
  }

  private void createApp(Context ctx) {
    AppBody body = JsonBodies.read(ctx, AppBody.class);
    CreatedApp created = directoryCall(() -> directory.createApp(body.toNewApp()));
    ctx.status(201).json(AdminViews.createdApp(created));
  }

  private void updateApp(Context ctx) {
    AppPatchBody body = JsonBodies.read(ctx, AppPatchBody.class);
    String appId = ctx.pathParam("appId");
    AppRegistration updated =
        directoryCall(
            () ->
                directory.updateApp(
                    appId,
                    app ->
                        new AppRegistration(
                            app.appId(),
                            body.displayName() == null ? app.displayName() : body.displayName(),
                            body.multiTenant() == null ? app.multiTenant() : body.multiTenant(),
                            app.homeTenantId(),
                            body.redirectUris() == null ? app.redirectUris() : AdminBodies.orEmpty(body.redirectUris()),
                            body.requiredRoles() == null ? app.requiredRoles() : AdminBodies.orEmpty(body.requiredRoles()),
                            app.secrets(),
                            app.certificates(),
                            body.disabled() == null ? app.disabled() : body.disabled(),
                            app.createdAt())));
    ctx.json(AdminViews.app(updated));
  }

  private void addSecret(Context ctx) {
    SecretBody body = JsonBodies.read(ctx, SecretBody.class);
    var secret = directoryCall(() -> directory.addSecret(ctx.pathParam("appId"), body.toNewSecret()));
    ctx.status(201).json(AdminViews.secret(secret, true));
  }

  private void grant(Context ctx) {
    GrantBody body = JsonBodies.read(ctx, GrantBody.class);
    body.validate();
    ServicePrincipal sp = directoryCall(() -> directory.grant(body.tenantId(), body.appId(), body.rolesOrEmpty()));
    ctx.json(AdminViews.grant(sp));
  }

  private void listGrants(Context ctx) {
    String tenantId = ctx.queryParam("tenantId");
    List<Tenant> tenants = tenantId == null ? directory.tenants() : List.of(tenant(tenantId));
    ctx.json(
        Map.of(
            "value",
            tenants.stream()
                .flatMap(t -> directory.servicePrincipals(t.id()).stream())
                .map(AdminViews::grant)
                .toList()));
  }

  private Tenant tenant(String id) {
    return directory.findTenant(id).orElseThrow(() -> new AdminException(404, "tenant_not_found", "no tenant " + id));
  }

  private AppRegistration app(String appId) {
    return directory.app(appId).orElseThrow(() -> new AdminException(404, "app_not_found", "no app " + appId));
  }

  private static void change(Context ctx, Runnable change) {
    directoryCall(
        () -> {
          change.run();
          return null;
        });
    ctx.status(204);
  }

  private static <T> T directoryCall(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (DirectoryException e) {
      int status = e.isNotFound() ? 404 : e.code().endsWith("_exists") || e.code().equals("domain_taken") ? 409 : 400;
      throw new AdminException(status, e.code(), e.getMessage());
    }
  }
}

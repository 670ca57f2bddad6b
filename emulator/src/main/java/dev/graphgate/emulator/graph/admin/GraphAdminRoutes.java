package dev.graphgate.emulator.graph.admin;

import dev.graphgate.emulator.admin.AdminException;
import dev.graphgate.emulator.admin.AdminRoutes;
import dev.graphgate.emulator.admin.JsonBodies;
import dev.graphgate.emulator.graph.GraphDispatcher;
import dev.graphgate.emulator.graph.GraphHost;
import dev.graphgate.emulator.graph.admin.GraphAdminBodies.FaultsBody;
import dev.graphgate.emulator.graph.admin.GraphAdminBodies.GenerateBody;
import dev.graphgate.emulator.graph.admin.GraphAdminBodies.ThrottlingBody;
import dev.graphgate.emulator.graph.auth.Caller;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.data.TenantDataRegistry;
import dev.graphgate.emulator.graph.faults.FaultInjector;
import dev.graphgate.emulator.graph.faults.FaultSettings;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.throttle.ThrottleSettings;
import dev.graphgate.emulator.graph.throttle.Throttler;
import dev.graphgate.emulator.http.RequestId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Graph side of the admin API: generate a tenant's data, read and change any Graph entity through a pass-through
 * that acts with every permission (so tests can drive delta rounds), configure throttling and faults, and invalidate
 * delta links. Documented in emulator/README.md.
 */
public final class GraphAdminRoutes {

  private static final String PREFIX = AdminRoutes.PREFIX;

  private final TenantDataRegistry tenants;
  private final Throttler throttler;
  private final FaultInjector faults;
  private final GraphDispatcher dispatcher;

  public GraphAdminRoutes(TenantDataRegistry tenants, Throttler throttler, FaultInjector faults, GraphDispatcher dispatcher) {
    this.tenants = tenants;
    this.throttler = throttler;
    this.faults = faults;
    this.dispatcher = dispatcher;
  }

  public void register(RoutesConfig routes) {
    routes.post(PREFIX + "/tenants/{id}/generate", this::generate);
    routes.get(PREFIX + "/tenants/{id}/data", ctx -> ctx.json(summary(tenant(ctx))));
    routes.post(PREFIX + "/tenants/{id}/delta/reset", ctx -> {
      tenant(ctx);
      tenants.resetDeltaTokens(ctx.pathParam("id"));
      ctx.status(204);
    });
    routes.delete(PREFIX + "/tenants/{id}/sites/{site}", ctx -> {
      TenantData data = tenant(ctx);
      var site = data.sites().find(ctx.pathParam("site"))
          .orElseThrow(() -> new AdminException(404, "site_not_found", "no site " + ctx.pathParam("site")));
      if (site.key() == data.sites().root().key()) {
        throw new AdminException(400, "invalid_body", "the root site cannot be deleted");
      }
      data.deleteSite(site);
      ctx.status(204);
    });
    for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE}) {
      routes.addHttpHandler(method, PREFIX + "/tenants/{id}/graph/*", this::passThrough);
    }

    routes.get(PREFIX + "/throttling", ctx -> ctx.json(throttlingView()));
    routes.put(PREFIX + "/throttling", ctx -> {
      ThrottlingBody body = JsonBodies.read(ctx, ThrottlingBody.class);
      if (body.tenantId() != null) {
        throw GraphAdminBodies.invalid("use PUT /_emulator/tenants/{id}/throttling for one tenant's settings");
      }
      throttler.configure(body.toSettings());
      ctx.json(throttlingView());
    });
    routes.delete(PREFIX + "/throttling", ctx -> {
      throttler.configure(ThrottleSettings.NONE);
      ctx.status(204);
    });
    routes.get(PREFIX + "/tenants/{id}/throttling", ctx -> {
      TenantData data = tenant(ctx);
      ctx.json(GraphAdminBodies.view(throttler.tenantSettings().getOrDefault(data.tenant().id(), throttler.settings())));
    });
    routes.put(PREFIX + "/tenants/{id}/throttling", ctx -> {
      TenantData data = tenant(ctx);
      ThrottleSettings settings = JsonBodies.read(ctx, ThrottlingBody.class).toSettings();
      throttler.configure(data.tenant().id(), settings);
      ctx.json(GraphAdminBodies.view(settings));
    });
    routes.delete(PREFIX + "/tenants/{id}/throttling", ctx -> {
      throttler.configure(tenant(ctx).tenant().id(), null);
      ctx.status(204);
    });

    routes.get(PREFIX + "/faults", ctx -> ctx.json(GraphAdminBodies.view(faults.settings())));
    routes.put(PREFIX + "/faults", ctx -> {
      FaultSettings settings = JsonBodies.read(ctx, FaultsBody.class).toSettings();
      faults.configure(settings);
      ctx.json(GraphAdminBodies.view(settings));
    });
    routes.delete(PREFIX + "/faults", ctx -> {
      faults.configure(FaultSettings.NONE);
      ctx.status(204);
    });
  }

  private void generate(Context ctx) {
    TenantData current = tenant(ctx);
    GenerateBody body = JsonBodies.read(ctx, GenerateBody.class);
    if (body.tenantId() != null && !body.tenantId().equalsIgnoreCase(current.tenant().id())) {
      throw GraphAdminBodies.invalid("tenantId in the body differs from the tenant in the path");
    }
    GenerationSpec spec = body.toSpec();
    long started = System.nanoTime();
    TenantData data = tenants.generate(current.tenant().id(), spec);
    Map<String, Object> view = summary(data);
    view.put("elapsedMillis", (System.nanoTime() - started) / 1_000_000);
    ctx.json(view);
  }

  private void passThrough(Context ctx) throws IOException {
    TenantData data = tenant(ctx);
    String uri = ctx.req().getRequestURI();
    String marker = "/graph/";
    String rest = uri.substring(uri.indexOf(marker) + marker.length());
    int slash = rest.indexOf('/');
    String version = slash < 0 ? rest : rest.substring(0, slash);
    if (!version.equals("v1.0") && !version.equals("beta")) {
      throw new AdminException(404, "not_found", "pass-through paths start with the Graph version: " + PREFIX + "/tenants/{id}/graph/v1.0/users");
    }
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    String origin = ctx.scheme() + "://" + ctx.host() + uri.substring(0, uri.indexOf(marker) + marker.length() - 1);
    GraphRequest request = new GraphRequest(ctx.method().name(), version, path, List.of(), GraphHost.headers(ctx), ctx.bodyAsBytes(), origin);
    String requestId = RequestId.next();
    String clientRequestId = GraphDispatcher.clientRequestId(request, requestId);
    GraphResponse response = dispatcher.serve(request, ctx.queryString(), Caller.admin(data.tenant().id()), requestId, clientRequestId);
    GraphHost.write(ctx, GraphDispatcher.decorate(response, requestId, clientRequestId));
  }

  private Map<String, Object> throttlingView() {
    Map<String, Object> view = GraphAdminBodies.view(throttler.settings());
    Map<String, Object> perTenant = new LinkedHashMap<>();
    throttler.tenantSettings().forEach((tenant, settings) -> perTenant.put(tenant, GraphAdminBodies.view(settings)));
    view.put("tenants", perTenant);
    return view;
  }

  private TenantData tenant(Context ctx) {
    String id = ctx.pathParam("id");
    return tenants.find(id).orElseThrow(() -> new AdminException(404, "tenant_not_found", "no tenant " + id));
  }

  static Map<String, Object> summary(TenantData data) {
    GenerationSpec spec = data.generation().spec();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("tenantId", data.tenant().id());
    view.put("seed", data.generation().seed());
    view.put("anchorDate", data.generation().anchor().toString().substring(0, 10));
    Map<String, Object> generated = new LinkedHashMap<>();
    generated.put("users", spec.users());
    generated.put("groups", spec.groups());
    generated.put("membersPerGroup", spec.membersPerGroup());
    generated.put("messagesPerMailbox", spec.messagesPerMailbox());
    generated.put("eventsPerMailbox", spec.eventsPerMailbox());
    generated.put("driveItemsPerDrive", spec.driveItemsPerDrive());
    generated.put("sites", Math.max(1, spec.sites()));
    generated.put("maxFileBytes", spec.maxFileBytes());
    view.put("generated", generated);
    Map<String, Object> now = new LinkedHashMap<>();
    now.put("users", data.users().store().size());
    now.put("groups", data.groups().store().size());
    now.put("sites", data.sites().store().size());
    view.put("current", now);
    view.put("changes", data.changes().head());
    return view;
  }
}

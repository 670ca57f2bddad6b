package dev.graphgate.emulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.admin.AdminException;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.graph.admin.GraphAdminBodies;
import dev.graphgate.emulator.graph.admin.GraphAdminBodies.GenerateBody;
import dev.graphgate.emulator.graph.admin.GraphAdminBodies.GraphFixtureBody;
import dev.graphgate.emulator.graph.admin.GraphAdminBodies.ThrottlingBody;
import dev.graphgate.emulator.graph.admin.GraphAdminRoutes;
import dev.graphgate.emulator.graph.auth.BearerAuthenticator;
import dev.graphgate.emulator.graph.batch.BatchResources;
import dev.graphgate.emulator.graph.data.TenantDataRegistry;
import dev.graphgate.emulator.graph.delta.DeltaEngine;
import dev.graphgate.emulator.graph.delta.DeltaResources;
import dev.graphgate.emulator.graph.delta.DeltaTokens;
import dev.graphgate.emulator.graph.faults.FaultInjector;
import dev.graphgate.emulator.graph.notify.ChangeNotifications;
import dev.graphgate.emulator.graph.notify.NotificationAdminRoutes;
import dev.graphgate.emulator.graph.notify.SubscriptionResources;
import dev.graphgate.emulator.graph.resource.CalendarResources;
import dev.graphgate.emulator.graph.resource.DriveResources;
import dev.graphgate.emulator.graph.resource.GroupResources;
import dev.graphgate.emulator.graph.resource.MailResources;
import dev.graphgate.emulator.graph.resource.SiteResources;
import dev.graphgate.emulator.graph.resource.TenantResources;
import dev.graphgate.emulator.graph.resource.UserResources;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.throttle.Throttler;
import dev.graphgate.emulator.keys.SigningKey;
import dev.graphgate.emulator.stats.EmulatorStats;
import io.javalin.config.RoutesConfig;
import java.time.InstantSource;

/**
 * The emulated Microsoft Graph: per-tenant data, the router with every resource, the dispatcher, throttling and
 * faults, and the admin endpoints that drive them. {@code Emulator} creates one and binds it to its listeners.
 */
public final class GraphDataPlane implements AutoCloseable {

  private final TenantDataRegistry tenants;
  private final Throttler throttler;
  private final FaultInjector faults;
  private final GraphDispatcher dispatcher;
  private final GraphHost host;
  private final GraphAdminRoutes admin;
  private final ChangeNotifications notifications;
  private final NotificationAdminRoutes notificationAdmin;

  public GraphDataPlane(GraphOptions options, long seed, InstantSource clock, Directory directory, EmulatorStats stats, SigningKey key) {
    this.tenants = new TenantDataRegistry(directory, seed, clock, options.deltaTokenLifetime());
    directory.addListener(tenants);
    this.notifications = new ChangeNotifications(clock);
    tenants.listen(notifications);
    directory.addListener(notifications);
    this.throttler = new Throttler(clock, options.throttling());
    this.faults = new FaultInjector(seed, options.faults());
    Router router = new Router();
    this.dispatcher = new GraphDispatcher(router, new BearerAuthenticator(key, clock, directory), tenants, throttler, faults, options.sleeper(), stats, clock);
    // Delta routes first: users/delta must win over users/{id}.
    new DeltaResources(new DeltaEngine(new DeltaTokens(), options.deltaTokenLifetime())).register(router);
    new UserResources().register(router);
    new GroupResources().register(router);
    new TenantResources(directory).register(router);
    new MailResources().register(router);
    new CalendarResources().register(router);
    new DriveResources().register(router);
    new SiteResources().register(router);
    new SubscriptionResources(notifications).register(router);
    new BatchResources(dispatcher).register(router);
    this.host = new GraphHost(dispatcher, options.maxUploadBytes(), clock);
    this.admin = new GraphAdminRoutes(tenants, throttler, faults, dispatcher);
    this.notificationAdmin = new NotificationAdminRoutes(notifications, tenants);
  }

  /** The Graph host's routes ({@code /v1.0/...}, {@code /beta/...}). */
  public void registerGraphRoutes(RoutesConfig routes) {
    host.register(routes);
  }

  /** The admin API's Graph endpoints, on the login host next to the rest of {@code /_emulator/}. */
  public void registerAdminRoutes(RoutesConfig routes) {
    admin.register(routes);
    notificationAdmin.register(routes);
  }

  /** Applies a fixture's {@code graph} section: generation, throttling, faults and notification delivery settings. */
  public void loadFixture(JsonNode section) {
    GraphFixtureBody body = GraphAdminBodies.convert(section, GraphFixtureBody.class);
    if (body.generate() != null) {
      for (GenerateBody generate : body.generate()) {
        if (generate == null || generate.tenantId() == null) {
          throw new AdminException(400, "invalid_body", "each graph.generate entry needs a tenantId");
        }
        if (tenants.find(generate.tenantId()).isEmpty()) {
          throw new AdminException(404, "tenant_not_found", "graph.generate names tenant " + generate.tenantId() + ", which the fixture does not create");
        }
        tenants.generate(generate.tenantId(), generate.toSpec());
      }
    }
    if (body.throttling() != null) {
      throttler.configure(body.throttling().toSettings());
    }
    if (body.tenantThrottling() != null) {
      for (ThrottlingBody tenant : body.tenantThrottling()) {
        String id = tenant.tenantId();
        if (id == null || tenants.find(id).isEmpty()) {
          throw new AdminException(400, "invalid_body", "each graph.tenantThrottling entry needs the tenantId of a tenant in the fixture");
        }
        throttler.configure(tenants.find(id).get().tenant().id(), tenant.toSettings());
      }
    }
    if (body.faults() != null) {
      faults.configure(body.faults().toSettings());
    }
    if (body.notifications() != null) {
      notifications.delivery().configure(body.notifications().over(notifications.delivery().settings()));
    }
  }

  public TenantDataRegistry tenants() {
    return tenants;
  }

  public Throttler throttler() {
    return throttler;
  }

  public FaultInjector faults() {
    return faults;
  }

  public GraphDispatcher dispatcher() {
    return dispatcher;
  }

  /** Subscriptions and the delivery of change notifications. */
  public ChangeNotifications notifications() {
    return notifications;
  }

  /** Stops delivering notifications (the timer and sender threads). */
  @Override
  public void close() {
    notifications.close();
  }
}

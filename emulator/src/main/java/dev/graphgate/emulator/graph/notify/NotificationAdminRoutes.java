package dev.graphgate.emulator.graph.notify;

import dev.graphgate.emulator.admin.AdminException;
import dev.graphgate.emulator.admin.AdminRoutes;
import dev.graphgate.emulator.admin.JsonBodies;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.data.TenantDataRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The admin API of change notifications: delivery settings (pause, drop, time scale, limits), the notifications sent
 * and the POSTs made (for tests and benchmarks), a tenant's subscriptions, and lifecycle events on demand. Documented
 * in emulator/README.md and docs/emulator-graph.md.
 */
public final class NotificationAdminRoutes {

  private static final String PREFIX = AdminRoutes.PREFIX;

  private final ChangeNotifications notifications;
  private final TenantDataRegistry tenants;

  public NotificationAdminRoutes(ChangeNotifications notifications, TenantDataRegistry tenants) {
    this.notifications = notifications;
    this.tenants = tenants;
  }

  /** {@code PUT /_emulator/notifications/settings}: members left out keep their value. */
  public record SettingsBody(
      String mode, Double timeScale, Long batchWindowMillis, Integer maxBatchSize, Integer concurrency, Long deliveryTimeoutMillis,
      Long validationTimeoutMillis, Long outlookMaxLifetimeMinutes) {

    public NotificationSettings over(NotificationSettings s) {
      try {
        return new NotificationSettings(
            mode == null ? s.mode() : NotificationSettings.Mode.parse(mode),
            timeScale == null ? s.timeScale() : timeScale,
            batchWindowMillis == null ? s.batchWindow() : Duration.ofMillis(batchWindowMillis),
            maxBatchSize == null ? s.maxBatchSize() : maxBatchSize,
            concurrency == null ? s.concurrency() : concurrency,
            deliveryTimeoutMillis == null ? s.deliveryTimeout() : Duration.ofMillis(deliveryTimeoutMillis),
            validationTimeoutMillis == null ? s.validationTimeout() : Duration.ofMillis(validationTimeoutMillis),
            outlookMaxLifetimeMinutes == null ? s.outlookMaxLifetime() : Duration.ofMinutes(outlookMaxLifetimeMinutes));
      } catch (IllegalArgumentException e) {
        throw new AdminException(400, "invalid_body", e.getMessage());
      }
    }
  }

  public record LifecycleBody(String lifecycleEvent) {}

  public void register(RoutesConfig routes) {
    routes.get(PREFIX + "/notifications/settings", ctx -> ctx.json(view(notifications.delivery().settings())));
    routes.put(PREFIX + "/notifications/settings", ctx -> {
      NotificationSettings updated = JsonBodies.read(ctx, SettingsBody.class).over(notifications.delivery().settings());
      notifications.delivery().configure(updated);
      ctx.json(view(updated));
    });
    routes.delete(PREFIX + "/notifications/settings", ctx -> {
      notifications.delivery().configure(NotificationSettings.DEFAULTS);
      ctx.status(204);
    });
    routes.get(PREFIX + "/notifications", this::listNotifications);
    routes.delete(PREFIX + "/notifications", ctx -> {
      notifications.delivery().log().clear();
      notifications.delivery().resetEndpoints();
      ctx.status(204);
    });
    routes.get(PREFIX + "/notifications/attempts", this::listAttempts);
    routes.get(PREFIX + "/notifications/endpoints", ctx -> ctx.json(Map.of("value", notifications.delivery().endpoints())));
    routes.get(PREFIX + "/tenants/{id}/subscriptions", ctx -> {
      TenantData data = tenant(ctx);
      ctx.json(Map.of("value", notifications.subscriptions().active(data.tenant().id()).stream().map(NotificationAdminRoutes::adminView).toList()));
    });
    routes.post(PREFIX + "/tenants/{id}/subscriptions/{subscription}/lifecycle", this::lifecycle);
  }

  private void lifecycle(Context ctx) {
    TenantData data = tenant(ctx);
    LifecycleBody body = JsonBodies.read(ctx, LifecycleBody.class);
    if (body.lifecycleEvent() == null) {
      throw new AdminException(400, "invalid_body", "give lifecycleEvent: reauthorizationRequired, subscriptionRemoved or missed");
    }
    try {
      SentNotification sent = notifications.lifecycle(data.tenant().id(), ctx.pathParam("subscription"), body.lifecycleEvent());
      ctx.status(202).json(sent.view());
    } catch (NoSuchElementException e) {
      throw new AdminException(404, "subscription_not_found", e.getMessage());
    } catch (IllegalStateException e) {
      throw new AdminException(409, "no_lifecycle_url", e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new AdminException(400, "invalid_body", e.getMessage());
    }
  }

  private void listNotifications(Context ctx) {
    String tenantId = ctx.queryParam("tenantId");
    String subscriptionId = ctx.queryParam("subscriptionId");
    String state = ctx.queryParam("state");
    String kind = ctx.queryParam("kind");
    Predicate<SentNotification> filter = n -> (tenantId == null || n.tenantId().equalsIgnoreCase(tenantId))
        && (subscriptionId == null || n.subscriptionId().equalsIgnoreCase(subscriptionId))
        && (state == null || n.state().name().equalsIgnoreCase(state))
        && (kind == null || n.kind().name().equalsIgnoreCase(kind));
    List<SentNotification> found = notifications.delivery().log().notifications(filter);
    Map<SentNotification.State, Integer> counts = new EnumMap<>(SentNotification.State.class);
    for (SentNotification.State s : SentNotification.State.values()) {
      counts.put(s, 0);
    }
    found.forEach(n -> counts.merge(n.state(), 1, Integer::sum));
    Map<String, Object> countView = new LinkedHashMap<>();
    counts.forEach((s, n) -> countView.put(s.name().toLowerCase(Locale.ROOT), n));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("counts", countView);
    view.put("value", found.stream().map(SentNotification::view).toList());
    ctx.json(view);
  }

  private void listAttempts(Context ctx) {
    String url = ctx.queryParam("url");
    String kind = ctx.queryParam("kind");
    String subscriptionId = ctx.queryParam("subscriptionId");
    Predicate<DeliveryAttempt> filter = a -> (url == null || a.url().equals(url))
        && (kind == null || a.kind().equalsIgnoreCase(kind))
        && (subscriptionId == null || a.subscriptionIds().contains(subscriptionId.toLowerCase(Locale.ROOT)));
    ctx.json(Map.of("value", notifications.delivery().log().attempts(filter).stream().map(DeliveryAttempt::view).toList()));
  }

  private TenantData tenant(Context ctx) {
    String id = ctx.pathParam("id");
    return tenants.find(id).orElseThrow(() -> new AdminException(404, "tenant_not_found", "no tenant " + id));
  }

  static Map<String, Object> adminView(Subscription s) {
    Map<String, Object> view = ChangeNotifications.view(s);
    view.put("tenantId", s.tenantId());
    view.put("reauthorizationRequired", s.reauthorizationRequired());
    view.put("createdDateTime", ChangeNotifications.format(s.createdAt()));
    return view;
  }

  static Map<String, Object> view(NotificationSettings s) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("mode", s.mode().wire());
    view.put("timeScale", s.timeScale());
    view.put("batchWindowMillis", s.batchWindow().toMillis());
    view.put("maxBatchSize", s.maxBatchSize());
    view.put("concurrency", s.concurrency());
    view.put("deliveryTimeoutMillis", s.deliveryTimeout().toMillis());
    view.put("validationTimeoutMillis", s.validationTimeout().toMillis());
    view.put("outlookMaxLifetimeMinutes", s.outlookMaxLifetime().toMinutes());
    return view;
  }
}

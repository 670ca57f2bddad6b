package dev.graphgate.emulator.graph.notify;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Every tenant's subscriptions, by tenant: a tenant's changes are matched against its own subscriptions only, and no
 * lookup crosses tenants. An expired subscription is gone, as in Graph: not listed, not notified, 404 to read or renew.
 */
public final class Subscriptions {

  private final InstantSource clock;
  private final Map<String, Map<String, Subscription>> byTenant = new ConcurrentHashMap<>();

  public Subscriptions(InstantSource clock) {
    this.clock = clock;
  }

  void put(Subscription subscription) {
    byTenant.computeIfAbsent(subscription.tenantId(), t -> new ConcurrentHashMap<>()).put(subscription.id(), subscription);
  }

  /** The tenant's active subscriptions, oldest first. */
  public List<Subscription> active(String tenantId) {
    Map<String, Subscription> tenant = byTenant.get(tenantId);
    if (tenant == null) {
      return List.of();
    }
    Instant now = clock.instant();
    tenant.values().removeIf(s -> !s.activeAt(now));
    return tenant.values().stream().sorted(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id)).toList();
  }

  public Optional<Subscription> find(String tenantId, String id) {
    Map<String, Subscription> tenant = byTenant.get(tenantId);
    if (tenant == null || id == null) {
      return Optional.empty();
    }
    Subscription found = tenant.get(id.toLowerCase(java.util.Locale.ROOT));
    if (found != null && !found.activeAt(clock.instant())) {
      tenant.remove(found.id(), found);
      return Optional.empty();
    }
    return Optional.ofNullable(found);
  }

  /** Applies {@code change} to a subscription that is still there; empty when it is not. */
  Optional<Subscription> update(String tenantId, String id, UnaryOperator<Subscription> change) {
    Map<String, Subscription> tenant = byTenant.get(tenantId);
    if (tenant == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(tenant.computeIfPresent(id, (k, current) -> change.apply(current)));
  }

  boolean remove(String tenantId, String id) {
    Map<String, Subscription> tenant = byTenant.get(tenantId);
    return tenant != null && tenant.remove(id) != null;
  }

  /** A deleted tenant's subscriptions go with it. */
  void removeTenant(String tenantId) {
    byTenant.remove(tenantId);
  }
}

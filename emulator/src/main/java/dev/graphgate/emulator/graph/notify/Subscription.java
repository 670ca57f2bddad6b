package dev.graphgate.emulator.graph.notify;

import java.time.Instant;
import java.util.List;

/**
 * One subscription as the emulator holds it: Graph's fields, the resource resolved, and whether a
 * {@code reauthorizationRequired} challenge is open. Immutable; a renewal is a new value.
 *
 * @param changeTypes in the order given, lower-cased
 * @param lifecycleNotificationUrl null when none was given
 * @param clientState null when none was given
 */
public record Subscription(
    String id, String tenantId, String applicationId, String creatorId, String resource, SubscribedResource target,
    List<String> changeTypes, String notificationUrl, String lifecycleNotificationUrl, String clientState, Instant expiration,
    String latestSupportedTlsVersion, Instant createdAt, boolean reauthorizationRequired) {

  public Subscription {
    changeTypes = List.copyOf(changeTypes);
  }

  public boolean activeAt(Instant now) {
    return expiration.isAfter(now);
  }

  public Subscription renewed(Instant newExpiration, String newNotificationUrl) {
    return new Subscription(id, tenantId, applicationId, creatorId, resource, target, changeTypes, newNotificationUrl,
        lifecycleNotificationUrl, clientState, newExpiration, latestSupportedTlsVersion, createdAt, false);
  }

  public Subscription challenged(boolean open) {
    return new Subscription(id, tenantId, applicationId, creatorId, resource, target, changeTypes, notificationUrl,
        lifecycleNotificationUrl, clientState, expiration, latestSupportedTlsVersion, createdAt, open);
  }

  public String changeType() {
    return String.join(",", changeTypes);
  }
}

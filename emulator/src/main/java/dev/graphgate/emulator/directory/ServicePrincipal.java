package dev.graphgate.emulator.directory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An app's presence in one tenant, with the application permissions an admin granted it there. Tokens for the app in
 * that tenant carry {@code oid = sub = objectId} and {@code roles = grantedRoles} (the claim is absent when empty).
 */
public record ServicePrincipal(
    String tenantId, String appId, String objectId, List<String> grantedRoles, Instant createdAt) {

  public ServicePrincipal {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(objectId, "objectId");
    Objects.requireNonNull(createdAt, "createdAt");
    grantedRoles = List.copyOf(grantedRoles);
  }

  public ServicePrincipal withGrantedRoles(List<String> roles) {
    return new ServicePrincipal(tenantId, appId, objectId, roles, createdAt);
  }
}

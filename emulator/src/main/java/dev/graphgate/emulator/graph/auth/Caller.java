package dev.graphgate.emulator.graph.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who is calling, from a validated token: the app in a tenant with the application permissions its token carries.
 *
 * @param admin the emulator's own admin API acting through Graph: every permission, no throttling, no faults
 */
public record Caller(String tenantId, String appId, String servicePrincipalId, Set<String> roles, Instant expiresAt, boolean admin) {

  public Caller {
    roles = Set.copyOf(roles);
  }

  public static Caller admin(String tenantId) {
    return new Caller(tenantId, "(emulator admin)", "(emulator admin)", Set.of(), Instant.MAX, true);
  }

  public boolean hasAnyRole(Set<String> wanted) {
    if (admin) {
      return true;
    }
    for (String role : roles) {
      if (wanted.contains(role)) {
        return true;
      }
    }
    return false;
  }
}

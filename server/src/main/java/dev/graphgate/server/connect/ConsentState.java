package dev.graphgate.server.connect;

import dev.graphgate.server.entra.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a verified admin consent state proves: Graphgate issued it (id {@code id}, until {@code expiresAt}) in a link for
 * connection {@code connectionId} (the row's id), whose tenant was {@code tenant}, named as the connection names it (a
 * GUID or a domain), and whose app was {@code clientId}.
 */
record ConsentState(String id, TenantId tenant, long connectionId, String clientId, Instant expiresAt) {
  ConsentState {
    Objects.requireNonNull(id);
    Objects.requireNonNull(tenant);
    Objects.requireNonNull(clientId);
    Objects.requireNonNull(expiresAt);
  }
}

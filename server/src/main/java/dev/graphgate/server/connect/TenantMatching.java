package dev.graphgate.server.connect;

import dev.graphgate.server.entra.TenantId;

/**
 * Whether Entra's {@code tenant} in an admin consent answer is the tenant a link was made for. Entra answers with the
 * tenant's GUID even when the link named a domain, so: the answer is the link's tenant when it names it exactly (GUID or
 * domain, as parsed: lower case), or, when the link named a domain, when it is the GUID that Entra's own OpenID metadata
 * for that domain names. A link made for a GUID accepts only that GUID. When the metadata cannot be read, nothing is
 * decided (the admin reloads the page).
 */
final class TenantMatching {
  /** The verdict. */
  sealed interface Match {
    record Same() implements Match {}

    record Different() implements Match {}

    record Unconfirmed(String reason) implements Match {}
  }

  private final TenantDiscovery discovery;

  TenantMatching(TenantDiscovery discovery) {
    this.discovery = discovery;
  }

  Match match(TenantId linked, TenantId answered) {
    if (linked.equals(answered)) {
      return new Match.Same();
    }
    if (linked.isGuid() || !answered.isGuid()) {
      return new Match.Different();
    }
    return switch (discovery.guidOf(linked)) {
      case TenantDiscovery.Result.Found f -> f.tenantGuid().equals(answered.value()) ? new Match.Same() : new Match.Different();
      case TenantDiscovery.Result.NotFound n -> new Match.Different();
      case TenantDiscovery.Result.Unavailable u -> new Match.Unconfirmed(u.reason());
    };
  }
}

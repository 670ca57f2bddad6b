package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.Identifiers;
import dev.graphgate.emulator.directory.Tenant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The tenant path segment of every login-host URL: a tenant GUID or one of its verified domains (case-insensitive, as
 * MSAL lower-cases authorities), or one of the multi-tenant aliases.
 */
final class TenantResolver {

  /** The segments that name no tenant: valid for discovery, never for client credentials. */
  static final Set<String> ALIASES = Set.of("common", "organizations", "consumers");

  private final Directory directory;

  TenantResolver(Directory directory) {
    this.directory = directory;
  }

  static boolean isAlias(String segment) {
    return ALIASES.contains(segment.toLowerCase(Locale.ROOT));
  }

  /**
   * The tenant a segment names. {@code common}, {@code organizations} and {@code consumers} answer AADSTS50059: a
   * client credentials request has no user to infer the tenant from.
   */
  Tenant resolve(String segment) {
    if (isAlias(segment)) {
      throw EntraError.NO_TENANT.with();
    }
    return find(segment).orElseThrow(() -> EntraError.TENANT_NOT_FOUND.with(segment));
  }

  /** The tenant a segment names, empty if none has it; malformed segments and the empty GUID are errors. */
  Optional<Tenant> find(String segment) {
    if (Identifiers.isGuid(segment)) {
      if (segment.equals(Identifiers.EMPTY_GUID)) {
        throw EntraError.TENANT_EMPTY_GUID.with();
      }
      return directory.findTenant(segment);
    }
    if (!Identifiers.isDomainName(segment)) {
      throw EntraError.TENANT_MALFORMED.with(segment);
    }
    return directory.findTenant(segment);
  }
}

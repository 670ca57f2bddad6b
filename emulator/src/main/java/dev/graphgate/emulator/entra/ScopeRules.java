package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.directory.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code .default} rules of the client credentials grant (shared/reference/microsoft.md section 5), deciding the
 * token's audience from what the client asked for.
 *
 * <ul>
 *   <li>exactly one resource, asked as {@code {resource}/.default}; {@code openid profile offline_access} beside it are
 *       tolerated (MSAL always adds them);
 *   <li>no {@code /.default} at all: AADSTS1002012; {@code .default} mixed with other scopes, several resources, or an
 *       empty resource: AADSTS70011;
 *   <li>the resource must be Microsoft Graph, by URL or by appId; the audience is the identifier as asked (AADSTS500011
 *       for any other resource: the emulator's tenants hold no other resource principal).
 * </ul>
 */
final class ScopeRules {

  static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");
  private static final String DEFAULT_SUFFIX = "/.default";

  private ScopeRules() {}

  /** v2.0: the audience for {@code scope}. */
  static String audienceForScope(String scope, Tenant tenant) {
    List<String> resourceScopes = new ArrayList<>();
    for (String s : scope.strip().split("\\s+")) {
      if (!s.isEmpty() && !OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
        resourceScopes.add(s);
      }
    }
    List<String> defaults = resourceScopes.stream().filter(ScopeRules::isDefault).toList();
    if (defaults.isEmpty()) {
      throw EntraError.SCOPE_WITHOUT_DEFAULT.with(scope);
    }
    if (defaults.size() != resourceScopes.size()) {
      throw EntraError.SCOPE_INVALID.with(scope);
    }
    Set<String> resources = new LinkedHashSet<>();
    for (String s : defaults) {
      resources.add(s.substring(0, s.length() - DEFAULT_SUFFIX.length()));
    }
    if (resources.stream().map(r -> r.toLowerCase(Locale.ROOT)).distinct().count() > 1) {
      throw EntraError.SCOPE_INVALID.with(scope);
    }
    String resource = resources.iterator().next();
    if (resource.isEmpty()) {
      throw EntraError.SCOPE_INVALID.with(scope);
    }
    return audienceForResource(resource, tenant);
  }

  /** v1.0 and the resource part of a v2.0 scope: the audience for a resource identifier. */
  static String audienceForResource(String resource, Tenant tenant) {
    return graphAudience(resource)
        .orElseThrow(() -> EntraError.RESOURCE_NOT_FOUND.with(resource, tenant.id()));
  }

  /**
   * Microsoft Graph's identifiers, spelled as its service principal registers them: the URL, the URL with a trailing
   * slash (asked as {@code https://graph.microsoft.com//.default}), and its appId.
   */
  static Optional<String> graphAudience(String resource) {
    String lower = resource.toLowerCase(Locale.ROOT);
    if (lower.equals(GraphPermissions.GRAPH_RESOURCE)) {
      return Optional.of(GraphPermissions.GRAPH_RESOURCE);
    }
    if (lower.equals(GraphPermissions.GRAPH_RESOURCE + "/")) {
      return Optional.of(GraphPermissions.GRAPH_RESOURCE + "/");
    }
    if (lower.equals(GraphPermissions.GRAPH_APP_ID)) {
      return Optional.of(GraphPermissions.GRAPH_APP_ID);
    }
    return Optional.empty();
  }

  private static boolean isDefault(String scope) {
    return scope.length() >= DEFAULT_SUFFIX.length()
        && scope.regionMatches(true, scope.length() - DEFAULT_SUFFIX.length(), DEFAULT_SUFFIX, 0, DEFAULT_SUFFIX.length());
  }
}

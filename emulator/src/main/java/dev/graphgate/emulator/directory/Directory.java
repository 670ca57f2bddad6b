package dev.graphgate.emulator.directory;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The emulated Entra directory: tenants, app registrations and service principals with their granted permissions.
 *
 * <p>Reads are lock-free (the token endpoint reads on every request); changes are serialized, so a tenant, its domains
 * and its service principals always change together.
 */
public final class Directory {

  /** Entra's recommended client-secret lifetime, and what the portal preselects. */
  public static final Duration DEFAULT_SECRET_LIFETIME = Duration.ofDays(180);

  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";

  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
  private final Map<String, String> tenantIdByDomain = new ConcurrentHashMap<>();
  private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();
  private final Map<SpKey, ServicePrincipal> servicePrincipals = new ConcurrentHashMap<>();
  private final List<DirectoryListener> listeners = new CopyOnWriteArrayList<>();

  private record SpKey(String tenantId, String appId) {}

  public Directory(InstantSource clock) {
    this.clock = clock;
  }

  public void addListener(DirectoryListener listener) {
    listeners.add(listener);
  }

  // ---- tenants

  /**
   * Creates a tenant. Without an id a GUID is generated; without domains the tenant gets
   * {@code tenant<first 8 of id>.onmicrosoft.com}.
   */
  public synchronized Tenant createTenant(Optional<String> id, Optional<String> displayName, List<String> domains) {
    String tenantId = id.map(Identifiers::normalize).orElseGet(Identifiers::newGuid);
    if (!Identifiers.isGuid(tenantId) || tenantId.equals(Identifiers.EMPTY_GUID)) {
      throw new DirectoryException("invalid_tenant_id", "a tenant id must be a non-empty GUID, was '" + tenantId + "'");
    }
    if (tenants.containsKey(tenantId)) {
      throw new DirectoryException("tenant_exists", "tenant " + tenantId + " already exists");
    }
    List<String> verified = new ArrayList<>();
    for (String domain : domains) {
      if (!Identifiers.isDomainName(domain)) {
        throw new DirectoryException("invalid_domain", "'" + domain + "' is not a DNS domain name");
      }
      String normalized = Identifiers.normalize(domain);
      if (tenantIdByDomain.containsKey(normalized)) {
        throw new DirectoryException(
            "domain_taken", "domain " + normalized + " is already verified in tenant " + tenantIdByDomain.get(normalized));
      }
      verified.add(normalized);
    }
    if (verified.isEmpty()) {
      verified.add("tenant" + tenantId.substring(0, 8) + ".onmicrosoft.com");
    }
    Tenant tenant =
        new Tenant(tenantId, displayName.orElse(verified.getFirst()), verified, clock.instant());
    tenants.put(tenantId, tenant);
    tenant.domains().forEach(d -> tenantIdByDomain.put(d, tenantId));
    listeners.forEach(l -> l.tenantCreated(tenant));
    return tenant;
  }

  /** Finds a tenant by GUID or by any of its verified domains, ignoring case (MSAL lower-cases authorities). */
  public Optional<Tenant> findTenant(String idOrDomain) {
    String key = Identifiers.normalize(idOrDomain);
    Tenant byId = tenants.get(key);
    if (byId != null) {
      return Optional.of(byId);
    }
    return Optional.ofNullable(tenantIdByDomain.get(key)).map(tenants::get);
  }

  public List<Tenant> tenants() {
    return tenants.values().stream().sorted(Comparator.comparing(Tenant::createdAt)).toList();
  }

  public synchronized void deleteTenant(String id) {
    Tenant tenant = tenants.remove(Identifiers.normalize(id));
    if (tenant == null) {
      throw new DirectoryException("tenant_not_found", "no tenant " + id);
    }
    tenant.domains().forEach(tenantIdByDomain::remove);
    servicePrincipals.keySet().removeIf(k -> k.tenantId().equals(tenant.id()));
    listeners.forEach(l -> l.tenantDeleted(tenant));
  }

  // ---- app registrations

  public synchronized CreatedApp createApp(NewApp spec) {
    String appId = spec.appId().map(Identifiers::normalize).orElseGet(Identifiers::newGuid);
    if (!Identifiers.isGuid(appId)) {
      throw new DirectoryException("invalid_app_id", "an appId must be a GUID, was '" + appId + "'");
    }
    if (apps.containsKey(appId)) {
      throw new DirectoryException("app_exists", "app " + appId + " already exists");
    }
    if (spec.displayName().isBlank()) {
      throw new DirectoryException("invalid_display_name", "displayName is required");
    }
    Optional<Tenant> home = spec.homeTenantId().map(id -> requireTenant(id));
    List<String> roles = canonicalRoles(spec.requiredRoles());
    for (String uri : spec.redirectUris()) {
      requireRedirectUri(uri);
    }
    Instant now = clock.instant();
    List<AppSecret> secrets = spec.secrets().stream().map(s -> newSecret(s, now)).toList();
    List<AppCertificate> certificates = new ArrayList<>();
    for (String pem : spec.certificatePems()) {
      certificates.add(AppCertificate.fromPem(Identifiers.newGuid(), pem));
    }
    AppRegistration app =
        new AppRegistration(
            appId,
            spec.displayName(),
            spec.multiTenant(),
            home.map(Tenant::id),
            spec.redirectUris(),
            roles,
            secrets,
            certificates,
            spec.disabled(),
            now);
    apps.put(appId, app);
    // Registering an app in the portal also creates its service principal in the home tenant, with nothing granted.
    home.ifPresent(t -> putServicePrincipal(t.id(), appId, List.of()));
    return new CreatedApp(app, secrets);
  }

  public Optional<AppRegistration> app(String appId) {
    return Optional.ofNullable(apps.get(Identifiers.normalize(appId)));
  }

  public List<AppRegistration> apps() {
    return apps.values().stream().sorted(Comparator.comparing(AppRegistration::createdAt)).toList();
  }

  /**
   * Changes a registration; the result is checked as a new registration is (display name, redirect URIs, known
   * permissions), because admin consent later trusts its redirect URIs and grants its required roles.
   */
  public synchronized AppRegistration updateApp(String appId, UnaryOperator<AppRegistration> change) {
    AppRegistration current = requireApp(appId);
    AppRegistration updated = change.apply(current);
    if (!updated.appId().equals(current.appId())) {
      throw new DirectoryException("invalid_change", "an app's appId cannot change");
    }
    if (updated.displayName().isBlank()) {
      throw new DirectoryException("invalid_display_name", "displayName is required");
    }
    updated.redirectUris().forEach(Directory::requireRedirectUri);
    updated = updated.withRequiredRoles(canonicalRoles(updated.requiredRoles()));
    apps.put(updated.appId(), updated);
    return updated;
  }

  /** Adds a client secret to an existing app and returns it with its value. */
  public synchronized AppSecret addSecret(String appId, NewApp.NewSecret spec) {
    AppRegistration app = requireApp(appId);
    AppSecret secret = newSecret(spec, clock.instant());
    apps.put(app.appId(), app.withSecret(secret));
    return secret;
  }

  public synchronized void deleteApp(String appId) {
    AppRegistration app = apps.remove(Identifiers.normalize(appId));
    if (app == null) {
      throw new DirectoryException("app_not_found", "no app " + appId);
    }
    servicePrincipals.keySet().removeIf(k -> k.appId().equals(app.appId()));
  }

  // ---- service principals and granted permissions

  /**
   * Grants exactly {@code roles} to the app in the tenant, creating its service principal there if it has none (what
   * admin consent does). An empty list leaves the app present but with nothing granted.
   */
  public synchronized ServicePrincipal grant(String tenantId, String appId, List<String> roles) {
    Tenant tenant = requireTenant(tenantId);
    AppRegistration app = requireApp(appId);
    return putServicePrincipal(tenant.id(), app.appId(), canonicalRoles(roles));
  }

  /** Removes the app from the tenant: its service principal and every permission granted there. */
  public synchronized void revoke(String tenantId, String appId) {
    Tenant tenant = requireTenant(tenantId);
    if (servicePrincipals.remove(new SpKey(tenant.id(), Identifiers.normalize(appId))) == null) {
      throw new DirectoryException(
          "service_principal_not_found", "app " + appId + " has no service principal in tenant " + tenant.id());
    }
  }

  public Optional<ServicePrincipal> servicePrincipal(String tenantId, String appId) {
    return Optional.ofNullable(
        servicePrincipals.get(new SpKey(Identifiers.normalize(tenantId), Identifiers.normalize(appId))));
  }

  public List<ServicePrincipal> servicePrincipals(String tenantId) {
    String id = Identifiers.normalize(tenantId);
    return servicePrincipals.values().stream()
        .filter(sp -> sp.tenantId().equals(id))
        .sorted(Comparator.comparing(ServicePrincipal::createdAt))
        .toList();
  }

  private ServicePrincipal putServicePrincipal(String tenantId, String appId, List<String> roles) {
    SpKey key = new SpKey(tenantId, appId);
    ServicePrincipal existing = servicePrincipals.get(key);
    ServicePrincipal sp =
        existing == null
            ? new ServicePrincipal(tenantId, appId, Identifiers.newGuid(), roles, clock.instant())
            : existing.withGrantedRoles(roles);
    servicePrincipals.put(key, sp);
    return sp;
  }

  private Tenant requireTenant(String id) {
    return findTenant(id).orElseThrow(() -> new DirectoryException("tenant_not_found", "no tenant " + id));
  }

  private AppRegistration requireApp(String appId) {
    return app(appId).orElseThrow(() -> new DirectoryException("app_not_found", "no app " + appId));
  }

  private static List<String> canonicalRoles(List<String> roles) {
    List<String> canonical = new ArrayList<>();
    for (String role : roles) {
      String value =
          GraphPermissions.canonical(role)
              .orElseThrow(
                  () ->
                      new DirectoryException(
                          "unknown_permission",
                          "'" + role + "' is not a Microsoft Graph application permission the emulator knows; known: "
                              + String.join(", ", GraphPermissions.all().keySet())));
      if (!canonical.contains(value)) {
        canonical.add(value);
      }
    }
    return canonical;
  }

  private static void requireRedirectUri(String uri) {
    java.net.URI parsed;
    try {
      parsed = java.net.URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new DirectoryException("invalid_redirect_uri", "'" + uri + "' is not a URI");
    }
    if (!parsed.isAbsolute() || parsed.getHost() == null || parsed.getFragment() != null) {
      throw new DirectoryException(
          "invalid_redirect_uri", "'" + uri + "' must be an absolute http(s) URI without a fragment");
    }
    String scheme = parsed.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new DirectoryException("invalid_redirect_uri", "'" + uri + "' must use http or https");
    }
  }

  private AppSecret newSecret(NewApp.NewSecret spec, Instant now) {
    return new AppSecret(
        Identifiers.newGuid(),
        spec.value().orElseGet(this::newSecretValue),
        spec.expiresAt().orElse(now.plus(DEFAULT_SECRET_LIFETIME)));
  }

  /** Entra-like secret values: 40 characters with the {@code ~} that real ones carry at position 4. */
  private String newSecretValue() {
    StringBuilder value = new StringBuilder(40);
    for (int i = 0; i < 40; i++) {
      value.append(i == 4 ? '~' : SECRET_ALPHABET.charAt(random.nextInt(SECRET_ALPHABET.length() - 1)));
    }
    return value.toString();
  }
}

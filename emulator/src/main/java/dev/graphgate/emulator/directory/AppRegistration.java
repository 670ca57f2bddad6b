package dev.graphgate.emulator.directory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application registered in Entra ID: the client whose id and credentials ask for tokens. It becomes usable in a
 * tenant once it has a {@link ServicePrincipal} there (in its home tenant at creation, elsewhere by admin consent or a
 * grant).
 *
 * @param requiredRoles the Microsoft Graph application permissions the registration asks for; admin consent grants
 *     exactly these
 */
public record AppRegistration(
    String appId,
    String displayName,
    boolean multiTenant,
    Optional<String> homeTenantId,
    List<String> redirectUris,
    List<String> requiredRoles,
    List<AppSecret> secrets,
    List<AppCertificate> certificates,
    boolean disabled,
    Instant createdAt) {

  public AppRegistration {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(homeTenantId, "homeTenantId");
    Objects.requireNonNull(createdAt, "createdAt");
    redirectUris = List.copyOf(redirectUris);
    requiredRoles = List.copyOf(requiredRoles);
    secrets = List.copyOf(secrets);
    certificates = List.copyOf(certificates);
  }

  public Optional<AppCertificate> certificateByX5t(String x5t) {
    return certificates.stream().filter(c -> c.x5t().equals(x5t)).findFirst();
  }

  public Optional<AppCertificate> certificateByX5tS256(String x5tS256) {
    return certificates.stream().filter(c -> c.x5tS256().equals(x5tS256)).findFirst();
  }

  /** Redirect URIs compare exactly, as Entra compares them (scheme, host, port, path). */
  public boolean hasRedirectUri(String uri) {
    return redirectUris.contains(uri);
  }

  public AppRegistration withSecret(AppSecret added) {
    List<AppSecret> all = new java.util.ArrayList<>(secrets);
    all.add(added);
    return new AppRegistration(
        appId, displayName, multiTenant, homeTenantId, redirectUris, requiredRoles, all, certificates, disabled, createdAt);
  }

  public AppRegistration withRequiredRoles(List<String> roles) {
    return new AppRegistration(
        appId, displayName, multiTenant, homeTenantId, redirectUris, roles, secrets, certificates, disabled, createdAt);
  }

  public AppRegistration withDisabled(boolean value) {
    return new AppRegistration(
        appId, displayName, multiTenant, homeTenantId, redirectUris, requiredRoles, secrets, certificates, value, createdAt);
  }
}

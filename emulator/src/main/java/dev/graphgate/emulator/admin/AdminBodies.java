package dev.graphgate.emulator.admin;

import dev.graphgate.emulator.directory.NewApp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** The JSON bodies of the admin API and the fixture file; absent members take the documented defaults. */
final class AdminBodies {

  private AdminBodies() {}

  record TenantBody(String id, String displayName, List<String> domains) {
    List<String> domainsOrEmpty() {
      return domains == null ? List.of() : domains;
    }
  }

  record SecretBody(String value, String expiresAt) {
    NewApp.NewSecret toNewSecret() {
      if (value != null && value.isBlank()) {
        throw new AdminException(400, "invalid_body", "a secret value cannot be blank; leave 'value' out to have one generated");
      }
      return new NewApp.NewSecret(Optional.ofNullable(value), Optional.ofNullable(expiresAt).map(SecretBody::instant));
    }

    private static Instant instant(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new AdminException(
            400, "invalid_body", "expiresAt must be an ISO-8601 UTC instant such as 2027-01-31T00:00:00Z, was '" + value + "'");
      }
    }

    @Override
    public String toString() {
      return "SecretBody[value=" + (value == null ? "(generate)" : "(given)") + ", expiresAt=" + expiresAt + "]";
    }
  }

  record CertificateBody(String pem) {}

  record AppBody(
      String appId,
      String displayName,
      Boolean multiTenant,
      String tenantId,
      List<String> redirectUris,
      List<String> requiredRoles,
      List<SecretBody> secrets,
      List<CertificateBody> certificates,
      Boolean disabled) {

    NewApp toNewApp() {
      if (displayName == null || displayName.isBlank()) {
        throw new AdminException(400, "invalid_body", "displayName is required");
      }
      List<CertificateBody> certs = certificates == null ? List.of() : certificates;
      for (CertificateBody cert : certs) {
        if (cert == null || cert.pem() == null || cert.pem().isBlank()) {
          throw new AdminException(400, "invalid_body", "each certificate needs a pem member");
        }
      }
      return new NewApp(
          Optional.ofNullable(appId),
          displayName,
          Boolean.TRUE.equals(multiTenant),
          Optional.ofNullable(tenantId),
          orEmpty(redirectUris),
          orEmpty(requiredRoles),
          orEmpty(secrets).stream().map(SecretBody::toNewSecret).toList(),
          certs.stream().map(CertificateBody::pem).toList(),
          Boolean.TRUE.equals(disabled));
    }
  }

  /** The members of an app that can change after registration; absent members stay as they are. */
  record AppPatchBody(String displayName, Boolean multiTenant, List<String> redirectUris, List<String> requiredRoles, Boolean disabled) {}

  record GrantBody(String tenantId, String appId, List<String> roles) {
    void validate() {
      if (tenantId == null || tenantId.isBlank()) {
        throw new AdminException(400, "invalid_body", "tenantId is required");
      }
      if (appId == null || appId.isBlank()) {
        throw new AdminException(400, "invalid_body", "appId is required");
      }
    }

    List<String> rolesOrEmpty() {
      return orEmpty(roles);
    }
  }

  /** {@code graph} is the Graph side's section (generated data, throttling, faults), read by the Graph data plane. */
  record FixtureBody(List<TenantBody> tenants, List<AppBody> apps, List<GrantBody> grants, com.fasterxml.jackson.databind.JsonNode graph) {}

  static <T> List<T> orEmpty(List<T> list) {
    if (list == null) {
      return List.of();
    }
    // List.of(...).contains(null) throws, so look at each element instead.
    if (list.stream().anyMatch(java.util.Objects::isNull)) {
      throw new AdminException(400, "invalid_body", "lists cannot contain null");
    }
    return list;
  }
}

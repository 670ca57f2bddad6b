package dev.graphgate.emulator.directory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What registering an app asks for; ids, secret values and expiries left empty are generated. */
public record NewApp(
    Optional<String> appId,
    String displayName,
    boolean multiTenant,
    Optional<String> homeTenantId,
    List<String> redirectUris,
    List<String> requiredRoles,
    List<NewSecret> secrets,
    List<String> certificatePems,
    boolean disabled) {

  public NewApp {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(homeTenantId, "homeTenantId");
    redirectUris = List.copyOf(redirectUris);
    requiredRoles = List.copyOf(requiredRoles);
    secrets = List.copyOf(secrets);
    certificatePems = List.copyOf(certificatePems);
  }

  /** A client secret to add; a missing value is generated, a missing expiry is {@link Directory#DEFAULT_SECRET_LIFETIME} away. */
  public record NewSecret(Optional<String> value, Optional<Instant> expiresAt) {
    public NewSecret {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public static NewSecret generated() {
      return new NewSecret(Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
      return "NewSecret[value=" + (value.isPresent() ? "(given)" : "(generated)") + ", expiresAt=" + expiresAt + "]";
    }
  }
}

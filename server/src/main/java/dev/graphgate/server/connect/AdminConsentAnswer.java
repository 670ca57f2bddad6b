package dev.graphgate.server.connect;

import java.util.Optional;
import java.util.function.Function;

/**
 * Entra's answer, as the query of the redirect to {@link AdminConsentLinks#CALLBACK}: on a grant
 * {@code admin_consent=True&tenant=<GUID>&scope=...&state=...}; on Cancel or an error
 * {@code error=...&error_description=...&state=...} (no tenant). Anyone can open the callback with any query, so
 * nothing here is believed before the state is verified. Blank values count as absent.
 */
public record AdminConsentAnswer(
    Optional<String> state, Optional<String> adminConsent, Optional<String> tenant, Optional<String> error, Optional<String> errorDescription) {

  public static AdminConsentAnswer from(Function<String, String> queryParam) {
    return new AdminConsentAnswer(value(queryParam, "state"), value(queryParam, "admin_consent"), value(queryParam, "tenant"),
        value(queryParam, "error"), value(queryParam, "error_description"));
  }

  /** Entra says the admin granted the app's permissions (it still has to be the link's tenant). */
  boolean claimsGrant() {
    return error.isEmpty() && adminConsent.map("true"::equalsIgnoreCase).orElse(false) && tenant.isPresent();
  }

  private static Optional<String> value(Function<String, String> queryParam, String name) {
    return Optional.ofNullable(queryParam.apply(name)).filter(v -> !v.isBlank());
  }
}

package dev.graphgate.emulator.entra;

import java.util.Objects;
import java.util.Optional;

/**
 * A client credentials token request as sent: every member optional, because telling what is missing is the token
 * endpoint's job. {@code clientId} and {@code clientSecret} may come from the form or from HTTP Basic.
 *
 * @param resource the v1.0 endpoint's {@code resource} parameter (v2.0 uses {@code scope})
 */
record TokenRequest(
    Optional<String> grantType,
    Optional<String> clientId,
    Optional<String> scope,
    Optional<String> resource,
    Optional<String> clientSecret,
    Optional<String> clientAssertionType,
    Optional<String> clientAssertion) {

  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  TokenRequest {
    Objects.requireNonNull(grantType, "grantType");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(clientAssertionType, "clientAssertionType");
    Objects.requireNonNull(clientAssertion, "clientAssertion");
  }

  @Override
  public String toString() {
    return "TokenRequest[grantType=" + grantType.orElse(null) + ", clientId=" + clientId.orElse(null)
        + ", scope=" + scope.orElse(null) + ", resource=" + resource.orElse(null)
        + ", clientSecret=" + (clientSecret.isPresent() ? "(given)" : "(none)")
        + ", clientAssertion=" + (clientAssertion.isPresent() ? "(given)" : "(none)") + "]";
  }
}

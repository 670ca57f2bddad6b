package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.AppSecret;
import dev.graphgate.emulator.token.CredentialKind;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Who is asking: the client proves it is the app named by {@code client_id} with a client secret (form body or HTTP
 * Basic) or a client assertion signed with a registered certificate's key. Exactly one of the two.
 */
final class ClientAuthenticator {

  private ClientAuthenticator() {}

  static CredentialKind authenticate(
      TokenRequest request, AppRegistration app, Predicate<String> audienceAccepted, Instant now) {
    boolean hasSecret = request.clientSecret().isPresent();
    boolean hasAssertion = request.clientAssertion().isPresent();
    if (hasSecret && hasAssertion) {
      throw EntraError.MALFORMED_REQUEST.with(
          "Send either 'client_secret' or 'client_assertion', not both: a client authenticates with one method.");
    }
    if (hasSecret) {
      checkSecret(request.clientSecret().orElseThrow(), app, now);
      return CredentialKind.SECRET;
    }
    if (hasAssertion) {
      String type = request.clientAssertionType().orElseThrow(() -> EntraError.MISSING_PARAMETER.with("client_assertion_type"));
      if (!type.equals(TokenRequest.JWT_BEARER)) {
        throw EntraError.MALFORMED_REQUEST.with(
            "The parameter 'client_assertion_type' must be '" + TokenRequest.JWT_BEARER + "'.");
      }
      ClientAssertionVerifier.verify(
          request.clientAssertion().orElseThrow(), request.clientId().orElseThrow(), app, audienceAccepted, now);
      return CredentialKind.CERTIFICATE;
    }
    throw EntraError.NO_CLIENT_CREDENTIAL.with();
  }

  /** A match with an expired secret is told apart (AADSTS7000222) from no match at all (AADSTS7000215). */
  private static void checkSecret(String presented, AppRegistration app, Instant now) {
    boolean matchedExpired = false;
    for (AppSecret secret : app.secrets()) {
      if (secret.matches(presented)) {
        if (!secret.isExpiredAt(now)) {
          return;
        }
        matchedExpired = true;
      }
    }
    throw matchedExpired
        ? EntraError.CLIENT_SECRET_EXPIRED.with(app.appId())
        : EntraError.INVALID_CLIENT_SECRET.with(app.appId());
  }
}

package dev.graphgate.server.auth;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * The app permissions an access token grants: its {@code roles} claim. Entra omits the claim when an admin granted
 * nothing, so a readable token without it means "consent missing". The token is read, not verified: it was just
 * received from Entra over TLS, and Microsoft asks clients to treat Graph tokens as opaque for anything else.
 */
public final class GrantedRoles {
  private GrantedRoles() {}

  /** The roles, an empty list when the claim is absent, or empty when the token is not a JWT. */
  public static Optional<List<String>> of(String accessToken) {
    try {
      JWT jwt = JWTParser.parse(accessToken);
      List<String> roles = jwt.getJWTClaimsSet().getStringListClaim("roles");
      return Optional.of(roles == null ? List.of() : List.copyOf(roles));
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

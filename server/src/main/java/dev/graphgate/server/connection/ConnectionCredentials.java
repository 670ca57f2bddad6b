package dev.graphgate.server.connection;

import dev.graphgate.server.provider.AuthMode;
import dev.graphgate.server.secret.Secret;
import java.util.Objects;
import java.util.Optional;

/** What a connection proves itself with at the token endpoint. Both variants print without their secret. */
public sealed interface ConnectionCredentials {
  String clientId();

  AuthMode authMode();

  /** A client secret ({@code microsoft-oauth2-cc}). */
  record ClientSecret(String clientId, Secret clientSecret) implements ConnectionCredentials {
    public ClientSecret {
      Objects.requireNonNull(clientId);
      Objects.requireNonNull(clientSecret);
    }

    @Override
    public AuthMode authMode() {
      return AuthMode.OAUTH2_CC;
    }
  }

  /**
   * A certificate ({@code microsoft-oauth2-cc-cert}): the PEM private key signs a client assertion whose
   * {@code x5t#S256} header is {@code thumbprint} (base64url SHA-256 of the certificate). {@code certificatePem} is kept
   * when the caller gave the certificate rather than its thumbprint.
   */
  record Certificate(String clientId, Secret privateKeyPem, String thumbprint, Optional<String> certificatePem)
      implements ConnectionCredentials {
    public Certificate {
      Objects.requireNonNull(clientId);
      Objects.requireNonNull(privateKeyPem);
      Objects.requireNonNull(thumbprint);
    }

    @Override
    public AuthMode authMode() {
      return AuthMode.TWO_STEP;
    }
  }
}

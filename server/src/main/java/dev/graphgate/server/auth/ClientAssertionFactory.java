package dev.graphgate.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.server.connection.ConnectionCredentials;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The client assertion of certificate credentials (Entra's certificate-credentials rules): a JWT signed PS256 with the
 * private key, {@code x5t#S256} naming the certificate, {@code iss = sub = client id}, {@code aud = token URL}, a fresh
 * {@code jti}, valid for {@value #LIFETIME_MINUTES} minutes. A new one per request, so none is ever replayed.
 */
public final class ClientAssertionFactory {
  static final long LIFETIME_MINUTES = 10;

  public String create(ConnectionCredentials.Certificate credentials, URI tokenUrl, Instant now) {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.PS256)
        .type(JOSEObjectType.JWT)
        .x509CertSHA256Thumbprint(new Base64URL(credentials.thumbprint()))
        .build();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(credentials.clientId())
        .subject(credentials.clientId())
        .audience(tokenUrl.toString())
        .jwtID(UUID.randomUUID().toString())
        .notBeforeTime(Date.from(now))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(LIFETIME_MINUTES))))
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(CertificateKeys.privateKey(credentials.privateKeyPem().reveal(), "privateKey")));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the client assertion: " + e.getClass().getSimpleName());
    }
    return jwt.serialize();
  }
}

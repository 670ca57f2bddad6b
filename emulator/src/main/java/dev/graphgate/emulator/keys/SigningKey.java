package dev.graphgate.emulator.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The key the emulator signs tokens with, published in its JWKS. As in Entra, {@code kid} and {@code x5t} are both the
 * base64url SHA-1 thumbprint of the key's certificate, and the JWKS entry carries the certificate in {@code x5c}.
 */
public final class SigningKey {

  private final RSAKey publicJwk;
  private final RSASSASigner signer;
  private final String keyId;

  private SigningKey(KeyPair keyPair, X509Certificate certificate) {
    try {
      byte[] der = certificate.getEncoded();
      this.keyId = Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(der)).toString();
      this.publicJwk =
          new RSAKey.Builder((RSAPublicKey) keyPair.getPublic())
              .keyUse(KeyUse.SIGNATURE)
              .keyID(keyId)
              .x509CertThumbprint(Base64URL.from(keyId))
              .x509CertChain(List.of(Base64.encode(der)))
              .build();
      this.signer = new RSASSASigner((RSAPrivateKey) keyPair.getPrivate());
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("signing key certificate", e);
    }
  }

  /** A fresh 2048-bit RSA key with a self-signed certificate valid for a year from {@code now}. */
  public static SigningKey generate(Instant now) {
    KeyPair pair = SelfSignedCertificates.newRsaKeyPair();
    X509Certificate certificate =
        SelfSignedCertificates.create(
            pair, List.of("accounts.emulator.graphgate.local"), now.minus(Duration.ofDays(1)), Duration.ofDays(366));
    return new SigningKey(pair, certificate);
  }

  public String keyId() {
    return keyId;
  }

  public RSAKey publicJwk() {
    return publicJwk;
  }

  /** The JWKS document entry, with the extra {@code issuer} member Entra adds. */
  public Map<String, Object> jwksEntry(String issuer) {
    Map<String, Object> entry = new java.util.LinkedHashMap<>(publicJwk.toJSONObject());
    entry.put("issuer", issuer);
    return entry;
  }

  /** Signs {@code claims} RS256 with {@code typ: JWT}, {@code kid} and {@code x5t} in the header, as v1.0 tokens have. */
  public String sign(JWTClaimsSet claims) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .type(JOSEObjectType.JWT)
            .keyID(keyId)
            .x509CertThumbprint(Base64URL.from(keyId))
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("RS256 signing with an in-memory RSA key", e);
    }
    return jwt.serialize();
  }
}

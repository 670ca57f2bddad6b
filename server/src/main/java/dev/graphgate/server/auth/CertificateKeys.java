package dev.graphgate.server.auth;

import dev.graphgate.server.GraphgateException.InvalidRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** PEM private keys and certificates for certificate credentials (BouncyCastle parses the PEM). */
public final class CertificateKeys {
  private CertificateKeys() {}

  /** An RSA private key from PEM (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}), unencrypted. */
  public static RSAPrivateCrtKey privateKey(String pem, String field) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      PrivateKey key;
      if (o instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else if (o instanceof PEMKeyPair pair) {
        key = converter.getKeyPair(pair).getPrivate();
      } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw InvalidRequest.bodyField("The private key is encrypted; give it without a passphrase (openssl pkcs8 -topk8 -nocrypt)", "credentials", field);
      } else {
        throw InvalidRequest.bodyField("Not a PEM private key: expected -----BEGIN PRIVATE KEY-----", "credentials", field);
      }
      if (!(key instanceof RSAPrivateCrtKey rsa)) {
        throw InvalidRequest.bodyField("The private key must be an RSA key (Entra signs client assertions with RSA)", "credentials", field);
      }
      return rsa;
    } catch (IOException e) {
      throw InvalidRequest.bodyField("Not a PEM private key: expected -----BEGIN PRIVATE KEY-----", "credentials", field);
    }
  }

  public static X509Certificate certificate(String pem, String field) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    } catch (CertificateException | ClassCastException e) {
      throw InvalidRequest.bodyField("Not a PEM certificate: expected -----BEGIN CERTIFICATE-----", "credentials", field);
    }
  }

  /** {@code x5t#S256}: base64url SHA-256 of the certificate's DER encoding. */
  public static String sha256Thumbprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the certificate's public key is the private key's. */
  public static boolean belongTogether(X509Certificate certificate, RSAPrivateCrtKey key) {
    return certificate.getPublicKey() instanceof RSAPublicKey pub
        && pub.getModulus().equals(key.getModulus()) && pub.getPublicExponent().equals(key.getPublicExponent());
  }
}

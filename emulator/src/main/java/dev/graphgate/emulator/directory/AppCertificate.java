package dev.graphgate.emulator.directory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A certificate credential of an app registration: the public half the client proves possession of with a signed
 * client assertion. Assertions name it by thumbprint ({@code x5t} is SHA-1, {@code x5t#S256} is SHA-256, both
 * base64url of the DER encoding).
 */
public record AppCertificate(String keyId, X509Certificate certificate, String x5t, String x5tS256) {

  public AppCertificate {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(x5t, "x5t");
    Objects.requireNonNull(x5tS256, "x5tS256");
  }

  /** Parses one PEM (or bare base64 DER) X.509 certificate holding an RSA public key. */
  public static AppCertificate fromPem(String keyId, String pem) {
    String base64 =
        pem.replace("-----BEGIN CERTIFICATE-----", "")
            .replace("-----END CERTIFICATE-----", "")
            .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new DirectoryException("invalid_certificate", "the certificate is not PEM or base64 DER: " + e.getMessage());
    }
    X509Certificate certificate;
    try {
      certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw new DirectoryException("invalid_certificate", "the certificate could not be parsed as X.509");
    }
    if (!(certificate.getPublicKey() instanceof RSAPublicKey)) {
      throw new DirectoryException(
          "invalid_certificate", "only RSA certificates are supported, as Entra requires for client assertions");
    }
    return new AppCertificate(keyId, certificate, thumbprint("SHA-1", certificate), thumbprint("SHA-256", certificate));
  }

  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  public boolean isValidAt(Instant now) {
    return !now.isBefore(notBefore()) && now.isBefore(notAfter());
  }

  public String pem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate can always be encoded again", e);
    }
  }

  static String thumbprint(String algorithm, X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(algorithm + " thumbprint of a parsed certificate", e);
    }
  }
}

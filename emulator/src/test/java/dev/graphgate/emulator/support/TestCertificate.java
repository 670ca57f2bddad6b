package dev.graphgate.emulator.support;

import dev.graphgate.emulator.keys.SelfSignedCertificates;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** A key and self-signed certificate a test registers on an app and signs client assertions with. */
public record TestCertificate(KeyPair keyPair, X509Certificate certificate) {

  public static TestCertificate create() {
    return validFrom(Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(365));
  }

  public static TestCertificate validFrom(Instant notBefore, Duration validity) {
    KeyPair pair = SelfSignedCertificates.newRsaKeyPair();
    return new TestCertificate(pair, SelfSignedCertificates.create(pair, List.of("graphgate-test-client"), notBefore, validity));
  }

  public RSAPrivateKey privateKey() {
    return (RSAPrivateKey) keyPair.getPrivate();
  }

  public String pem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String x5t() {
    return thumbprint("SHA-1");
  }

  public String x5tS256() {
    return thumbprint("SHA-256");
  }

  private String thumbprint(String algorithm) {
    try {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

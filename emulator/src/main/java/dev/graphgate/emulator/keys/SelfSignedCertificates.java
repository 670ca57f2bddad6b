package dev.graphgate.emulator.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed X.509 certificates for the emulator's own keys (token signing, TLS). The JDK has no public API to
 * build a certificate, which is why BouncyCastle is a dependency.
 */
public final class SelfSignedCertificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SelfSignedCertificates() {}

  public static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is always available in the JDK", e);
    }
  }

  /**
   * A certificate for {@code keyPair} signed by itself.
   *
   * @param subjectNames DNS names or IP literals; the first is the subject's common name, all go into
   *     subjectAltName (a TLS client checks those)
   */
  public static X509Certificate create(KeyPair keyPair, List<String> subjectNames, Instant notBefore, Duration validity) {
    X500Name subject = new X500Name("CN=" + subjectNames.getFirst());
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notBefore.plus(validity)),
              subject,
              keyPair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(subjectNames));
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("could not build a self-signed certificate for " + subjectNames, e);
    }
  }

  private static GeneralNames alternativeNames(List<String> names) {
    return new GeneralNames(
        names.stream()
            .map(n -> isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
            .toArray(GeneralName[]::new));
  }

  private static boolean isIpLiteral(String name) {
    return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.contains(":");
  }
}

package dev.graphgate.emulator.http;

import dev.graphgate.emulator.keys.SelfSignedCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Generates the TLS certificate the emulator serves with, and writes what clients need to trust it. */
public final class TlsMaterialFactory {

  /** The key store entry (and password) the TLS connectors read the server key from. */
  public static final String SERVER_KEY_ALIAS = "emulator";

  private TlsMaterialFactory() {}

  /**
   * A fresh key and certificate for {@code host} (plus localhost, 127.0.0.1 and ::1, so either spelling works), with
   * the trust material written under {@code trustDir}.
   */
  public static TrustMaterial generate(String host, Path trustDir, Instant now) {
    List<String> names = new ArrayList<>(List.of(host));
    for (String alias : List.of("localhost", "127.0.0.1", "::1")) {
      if (!names.contains(alias)) {
        names.add(alias);
      }
    }
    KeyPair pair = SelfSignedCertificates.newRsaKeyPair();
    X509Certificate certificate =
        SelfSignedCertificates.create(pair, names, now.minus(Duration.ofHours(1)), Duration.ofDays(30));
    try {
      char[] password = TrustMaterial.TRUST_STORE_PASSWORD.toCharArray();
      KeyStore server = KeyStore.getInstance("PKCS12");
      server.load(null, null);
      server.setKeyEntry(SERVER_KEY_ALIAS, pair.getPrivate(), password, new Certificate[] {certificate});

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(SERVER_KEY_ALIAS, certificate);

      Files.createDirectories(trustDir);
      Path pem = trustDir.resolve("emulator-ca.pem");
      Files.writeString(pem, toPem(certificate), StandardCharsets.US_ASCII);
      Path trustStore = trustDir.resolve("emulator-truststore.p12");
      try (OutputStream out = Files.newOutputStream(trustStore)) {
        trust.store(out, password);
      }
      return new TrustMaterial(pem, trustStore, server);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the emulator's trust material to " + trustDir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKCS12 key stores are always available in the JDK", e);
    }
  }

  private static String toPem(X509Certificate certificate) throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}

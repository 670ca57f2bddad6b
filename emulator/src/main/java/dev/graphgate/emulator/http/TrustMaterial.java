package dev.graphgate.emulator.http;

import java.nio.file.Path;
import java.security.KeyStore;

/**
 * What a client needs to trust the emulator's TLS listeners: the certificate as PEM, and a PKCS12 trust store (password
 * {@value #TRUST_STORE_PASSWORD}) for JVM clients ({@code -Djavax.net.ssl.trustStore=...}).
 */
public record TrustMaterial(Path certificatePem, Path trustStore, KeyStore serverKeyStore) {

  public static final String TRUST_STORE_PASSWORD = "changeit";

  /** Paths are kept absolute and normalized: they are printed for people to copy (no {@code /./} in them). */
  public TrustMaterial {
    certificatePem = certificatePem.toAbsolutePath().normalize();
    trustStore = trustStore.toAbsolutePath().normalize();
  }

  /** The JVM options that make a Java client trust the emulator. */
  public String jvmOptions() {
    return "-Djavax.net.ssl.trustStore=" + trustStore
        + " -Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD
        + " -Djavax.net.ssl.trustStoreType=PKCS12";
  }

  @Override
  public String toString() {
    return "TrustMaterial[certificatePem=" + certificatePem + ", trustStore=" + trustStore + "]";
  }
}

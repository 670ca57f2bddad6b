package dev.graphgate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.auth.CertificateKeys;
import dev.graphgate.server.testing.TestCertificates;
import dev.graphgate.server.testing.TestDatabase;
import dev.graphgate.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Connect UI's certificate reading, in the browser: what it finds in PEM and PKCS#12 files, and the thumbprints it
 * derives, compared with what the server computes from the same certificate.
 */
class CertificateReadingTest {
  @TempDir static Path dir;
  static TestDatabase db;
  static Graphgate graphgate;
  static Browsers browsers;
  static BrowserContext context;
  static Page page;
  static TestCertificates cert;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    graphgate = Graphgate.start(TestServers.config(db, dir).build());
    browsers = new Browsers();
    context = browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT);
    page = context.newPage();
    // The Connect UI's own page: a secure context (localhost) on Graphgate's origin, where its modules load.
    page.navigate("http://localhost:" + graphgate.port() + "/connect/");
    cert = TestCertificates.generate("graphgate-browser-test");
  }

  @AfterAll
  static void stop() {
    context.close();
    browsers.close();
    graphgate.close();
    db.close();
  }

  /** readCredentials of certificate.js on {@code files} (name → bytes) and {@code password}, as the page's form calls it. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Map<String, byte[]> files, String password) {
    List<Map<String, String>> arg = new ArrayList<>();
    files.forEach((name, bytes) -> arg.add(Map.of("name", name, "b64", Base64.getEncoder().encodeToString(bytes))));
    return (Map<String, Object>) page.evaluate("""
        async ([files, password, none]) => {
          const { readCredentials } = await import('/connect/assets/certificate.js');
          const given = files.map((f) => ({ name: f.name, bytes: Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0)) }));
          const r = await readCredentials(given, '', none ? null : password);
          return { keyPem: r.keyPem, needsPassword: r.needsPassword, problem: r.problems.length ? r.problems[0].code : null,
            thumbprint: r.certificate ? r.certificate.thumbprint : null, sha1: r.certificate ? r.certificate.sha1Hex : null,
            commonName: r.certificate ? r.certificate.commonName : null, certificatePem: r.certificate ? r.certificate.pem : null };
        }""", List.of(arg, password == null ? "" : password, password == null));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneFileWithKeyAndCertificateGivesTheKeyAndTheServersThumbprint() throws Exception {
    Map<String, Object> r = read(Map.of("both.pem", utf8(cert.privateKeyPem() + cert.certificatePem())), null);
    assertThat(r.get("problem")).isNull();
    assertThat(r.get("thumbprint")).isEqualTo(CertificateKeys.sha256Thumbprint(cert.certificate()));
    assertThat(r.get("sha1")).isEqualTo(HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.certificate().getEncoded())));
    assertThat(r.get("commonName")).isEqualTo("graphgate-browser-test");
    assertThat((String) r.get("keyPem")).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(CertificateKeys.belongTogether(CertificateKeys.certificate((String) r.get("certificatePem"), "certificate"),
        CertificateKeys.privateKey((String) r.get("keyPem"), "privateKey"))).isTrue();
  }

  @Test
  void aKeyFileAndACertificateFileTogetherAreReadAsOne() {
    Map<String, Object> r = read(Map.of("key.pem", utf8(cert.privateKeyPem()), "cert.pem", utf8(cert.certificatePem())), null);
    assertThat(r.get("problem")).isNull();
    assertThat(r.get("keyPem")).isNotNull();
    assertThat(r.get("thumbprint")).isEqualTo(CertificateKeys.sha256Thumbprint(cert.certificate()));
  }

  @Test
  void aPkcs1KeyIsMatchedToItsCertificateAndSentAsGiven() throws IOException {
    StringWriter pkcs1 = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(pkcs1)) {
      w.writeObject(cert.keyPair().getPrivate());
    }
    assertThat(pkcs1.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    Map<String, Object> r = read(Map.of("key.pem", utf8(pkcs1.toString()), "cert.pem", utf8(cert.certificatePem())), null);
    assertThat(r.get("problem")).isNull();
    assertThat(r.get("keyPem")).isEqualTo(pkcs1.toString().strip());
    assertThat(r.get("thumbprint")).isEqualTo(CertificateKeys.sha256Thumbprint(cert.certificate()));
  }

  @Test
  void aPfxIsOpenedWithItsPasswordAndAsksForItWithoutOne() throws Exception {
    byte[] pfx = pfx(cert, "s3cret-pfx");
    assertThat(read(Map.of("cert.pfx", pfx), null).get("needsPassword")).isEqualTo(true);
    assertThat(read(Map.of("cert.pfx", pfx), "wrong").get("problem")).isEqualTo("wrong_password");
    Map<String, Object> r = read(Map.of("cert.pfx", pfx), "s3cret-pfx");
    assertThat(r.get("problem")).isNull();
    assertThat(r.get("thumbprint")).isEqualTo(CertificateKeys.sha256Thumbprint(cert.certificate()));
    assertThat(CertificateKeys.privateKey((String) r.get("keyPem"), "privateKey").getModulus())
        .isEqualTo(((java.security.interfaces.RSAPrivateCrtKey) cert.keyPair().getPrivate()).getModulus());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    TestCertificates other = TestCertificates.generate("another");
    Map<String, Object> r = read(Map.of("key.pem", utf8(other.privateKeyPem()), "cert.pem", utf8(cert.certificatePem())), null);
    assertThat(r.get("problem")).isEqualTo("mismatch");
  }

  @Test
  void anEncryptedKeyAndAFileThatIsNeitherAreRefusedWithTheirReason() throws Exception {
    StringWriter encrypted = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(encrypted)) {
      w.writeObject(new JcaPKCS8Generator(cert.keyPair().getPrivate(),
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
              .setPassword("x".toCharArray()).build()));
    }
    assertThat(read(Map.of("key.pem", utf8(encrypted.toString())), null).get("problem")).isEqualTo("encrypted_key");
    assertThat(read(Map.of("notes.txt", utf8("just some text")), null).get("problem")).isEqualTo("unreadable");
  }

  @Test
  void aCertificateAloneGivesItsThumbprintAndNoKey() {
    Map<String, Object> r = read(Map.of("cert.pem", utf8(cert.certificatePem())), null);
    assertThat(r.get("problem")).isNull();
    assertThat(r.get("keyPem")).isNull();
    assertThat(r.get("thumbprint")).isEqualTo(CertificateKeys.sha256Thumbprint(cert.certificate()));
  }

  /** A PKCS#12 file as the JDK writes it (PBES2 with AES-256 and PBKDF2-SHA256, as Windows and OpenSSL 3 do by default). */
  static byte[] pfx(TestCertificates c, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("graphgate", c.keyPair().getPrivate(), password.toCharArray(), new Certificate[] {c.certificate()});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, password.toCharArray());
    return out.toByteArray();
  }
}

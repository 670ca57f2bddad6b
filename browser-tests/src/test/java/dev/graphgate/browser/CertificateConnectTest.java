package dev.graphgate.browser;

import static dev.graphgate.browser.ConnectRig.CERT_APP;
import static dev.graphgate.browser.ConnectRig.CONTOSO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import dev.graphgate.server.auth.CertificateKeys;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The certificate variant: the admin uploads the key and certificate as PEM; the thumbprint is derived in the page. */
class CertificateConnectTest {
  @TempDir static Path files;
  @RegisterExtension static final ConnectRigExtension connect = new ConnectRigExtension();

  @Test
  void anUploadedPemConnectsAndTheAppHearsConnect() throws Exception {
    Path key = Files.writeString(files.resolve("key.pem"), connect.rig().certificate.privateKeyPem());
    Path cert = Files.writeString(files.resolve("cert.pem"), connect.rig().certificate.certificatePem());
    String token = connect.rig().session("u-cert", "\"allowed_integrations\":[\"microsoft-cert\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Connect Microsoft 365 (certificate)");
      ui.getByLabel("Tenant ID").fill(CONTOSO);
      assertThat(ui.getByLabel("Scope").inputValue()).isEqualTo("https://graph.microsoft.com/.default");
      ui.getByLabel("Client ID").fill(CERT_APP);
      ui.getByLabel("Key and certificate files").setInputFiles(new Path[] {key, cert});
      String thumbprint = CertificateKeys.sha256Thumbprint(connect.rig().certificate.certificate());
      ui.locator(".found dd", new FrameLocator.LocatorOptions().setHasText(thumbprint)).waitFor();
      ui.locator(".found").scrollIntoViewIfNeeded();
      Browsers.screenshot(page, "11-form-certificate");
      Browsers.assertAccessible(page, "11-form-certificate", true);

      ui.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Connect").setExact(true)).click();
      JsonNode connected = ConnectRig.event(page, "connect");
      ConnectRig.heading(ui, "Connected");
      ApiClient.Response stored = connect.rig().connection("microsoft-cert", connected.path("connectionId").asText());
      assertThat(stored.status()).as(stored.body()).isEqualTo(200);
      assertThat(stored.json().path("credentials").path("clientId").asText()).isEqualTo(CERT_APP);
      assertThat(stored.json().path("credentials").path("certificateThumbprint").asText()).isEqualTo(thumbprint);
      assertThat(stored.json().path("status").asText()).isEqualTo("ok");
    }
  }

  @Test
  void aKeyOfAnotherCertificateIsCaughtBeforeAnythingIsSent() throws Exception {
    Path key = Files.writeString(files.resolve("other-key.pem"), TestCertificates.generate("other").privateKeyPem());
    Path cert = Files.writeString(files.resolve("app-cert.pem"), connect.rig().certificate.certificatePem());
    String token = connect.rig().session("u-cert-mismatch", "\"allowed_integrations\":[\"microsoft-cert\"]");
    try (BrowserContext context = connect.rig().browsers.context(Browsers.Window.DESKTOP, ColorScheme.LIGHT)) {
      Page page = context.newPage();
      FrameLocator ui = connect.rig().openInApp(page, token, null);
      ConnectRig.heading(ui, "Connect Microsoft 365 (certificate)");
      ui.getByLabel("Key and certificate files").setInputFiles(new Path[] {key, cert});
      ui.locator("[data-field=certificate] .error", new FrameLocator.LocatorOptions().setHasText("does not belong to this private key")).waitFor();
      Browsers.screenshot(page, "12-form-certificate-mismatch");
      Browsers.assertAccessible(page, "12-form-certificate-mismatch", true);
      ui.getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions().setName("Connect").setExact(true)).click();
      assertThat(ConnectRig.events(page, "error")).as("nothing was sent").isZero();
      assertThat(connect.rig().connectionsOf("u-cert-mismatch")).isEmpty();
    }
  }
}

package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.TestUpstream;
import dev.graphgate.server.testing.TestUpstream.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbound policy over real HTTP: every refusal answers Nango's {@code base_url_override_not_allowed} and sends
 * nothing, whether the URL came from {@code Base-Url-Override}, the path, or a redirect.
 */
class ProxyOutboundTest {
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream();
  static TestUpstream elsewhere;

  @BeforeAll
  static void start() {
    elsewhere = new TestUpstream();
  }

  @AfterAll
  static void stop() {
    elsewhere.close();
  }

  @BeforeEach
  void reset() {
    elsewhere.reset();
    rig.upstream().answer(r -> Reply.json(200, "{}"));
  }

  @Test
  void anOverrideToAnotherHostIsRefusedBeforeAnythingIsSent() {
    for (String override : new String[] {"https://evil.example", elsewhere.url().toString(), "http://contoso.sharepoint.com",
        "https://user:secret-password@contoso.sharepoint.com", "ftp://contoso.sharepoint.com"}) {
      ApiClient.Response r = rig.send(rig.proxy("/v1.0/users").header("Base-Url-Override", override).GET());
      assertThat(r.status()).as(override).isEqualTo(400);
      assertThat(r.code()).as(override).isEqualTo("base_url_override_not_allowed");
      assertThat(r.body()).doesNotContain("secret-password");
    }
    assertThat(rig.upstream().count()).isZero();
    assertThat(elsewhere.count()).isZero();
  }

  @Test
  void anEmptyOverrideMeansGraphAsTheNangoSdkSendsIt() {
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/users").header("Base-Url-Override", "").GET());
    assertThat(r.status()).isEqualTo(200);
    assertThat(rig.upstream().count()).isEqualTo(1);
  }

  @Test
  void absoluteUrlsAndDotSegmentsSmuggledIntoThePathAreRefused() throws IOException {
    for (String path : new String[] {"/proxy/https://evil.example/x", "/proxy//evil.example/x", "/proxy/v1.0/%2e%2e/%2e%2e/admin",
        "/proxy/v1.0/users/..%2f..%2fadmin", "/proxy/v1.0/../../admin", "/proxy/v1.0/%5c%5cevil.example"}) {
      String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + dev.graphgate.server.testing.TestServers.SECRET_KEY
          + "\r\nConnection-Id: " + ProxyRig.CONNECTION + "\r\nProvider-Config-Key: " + ProxyRig.INTEGRATION + "\r\nConnection: close\r\n\r\n");
      assertThat(answer).as(path).startsWith("HTTP/1.1 400");
      assertThat(answer).as(path).contains("base_url_override_not_allowed");
    }
    assertThat(rig.upstream().count()).isZero();
  }

  @Test
  void aRedirectToAnotherHostIsRefusedAndNotFollowed() {
    rig.upstream().answer(r -> new Reply(302, java.util.Map.of("Location", elsewhere.url() + "/steal"), InputStream.nullInputStream(), 0, false));
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/drives/1/items/2/content").GET());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("base_url_override_not_allowed");
    assertThat(r.json().path("error").path("message").asText()).contains("redirect");
    assertThat(elsewhere.count()).isZero();
  }

  @Test
  void aRedirectOnTheSameHostIsFollowedWithTheToken() {
    rig.upstream().answer(r -> r.rawPath().endsWith("/old")
        ? new Reply(307, java.util.Map.of("Location", "/v1.0/users/new"), InputStream.nullInputStream(), 0, false)
        : Reply.json(200, "{\"id\":\"new\"}"));
    ApiClient.Response r = rig.send(rig.proxy("/v1.0/users/old").GET());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"id\":\"new\"}");
    assertThat(rig.upstream().count()).isEqualTo(2);
    assertThat(rig.upstream().last().header("Authorization")).startsWith("Bearer ey");
  }

  @Test
  void aResourceTheTenantDoesNotHaveGetsTheConnectionsActionableError() {
    // The emulator's tenants hold no resource but Graph: Entra answers AADSTS500011 for any other scope.
    ApiClient.Response r;
    try (Graphgate other = Graphgate.start(rig.graphgate().config().toBuilder().port(0).databaseUrl(rig.graphgate().config().databaseUrl())
        .proxy(rig.graphgate().config().proxy().withExtraAllowedOrigins(java.util.List.of(elsewhere.url()))).build())) {
      r = new ApiClient(other.baseUrl(), dev.graphgate.server.testing.TestServers.SECRET_KEY).send(
          new ApiClient(other.baseUrl(), dev.graphgate.server.testing.TestServers.SECRET_KEY).request("/proxy/_api/web")
              .header("Connection-Id", ProxyRig.CONNECTION).header("Provider-Config-Key", ProxyRig.INTEGRATION)
              .header("Base-Url-Override", elsewhere.url().toString()).GET());
    }
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("server_error");
    assertThat(r.json().path("error").path("message").asText())
        .startsWith("Failed to get connection credentials:").contains(elsewhere.url() + "/.default").contains("does not exist in this tenant");
    assertThat(elsewhere.count()).isZero();
  }

  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", rig.graphgate().port())) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

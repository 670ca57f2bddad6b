package dev.graphgate.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Behind a TLS-terminating proxy (an {@code https} public URL), the session cookie is {@code Secure}. */
class DashboardCookieOverHttpsTest {
  @RegisterExtension
  static final GraphgateExtension gg = GraphgateExtension.h2().config(b -> b.publicUrl(URI.create("https://graphgate.example.com")));

  @Test
  void theSessionCookieIsSecureWhenThePublicUrlIsHttps() {
    DashboardClient c = new DashboardClient(gg.server().baseUrl());
    DashboardClient.Response r = c.signIn(TestServers.SECRET_KEY);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Set-Cookie").orElseThrow()).contains("Secure", "HttpOnly").containsIgnoringCase("SameSite=Strict");
  }
}

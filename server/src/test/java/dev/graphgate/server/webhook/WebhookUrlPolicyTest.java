package dev.graphgate.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound URL policy of webhooks (nango-api.md §5.4), by address class, with and without private destinations. */
class WebhookUrlPolicyTest {
  final WebhookUrlPolicy strict = new WebhookUrlPolicy(false);
  final WebhookUrlPolicy lenient = new WebhookUrlPolicy(true);

  @Test
  void publicHttpAndHttpsDestinationsAreAllowed() {
    for (String url : List.of("https://app.example.com/hooks", "http://app.example.com:8080/h?x=1", "https://203.0.113.7/h",
        "https://[2606:4700::1111]/h", "https://APP.EXAMPLE.COM./h")) {
      assertThat(strict.problem(url)).as(url).isEmpty();
    }
  }

  @Test
  void loopbackPrivateAndLinkLocalAreRefusedUnlessAllowed() {
    for (String url : List.of("http://127.0.0.1/h", "http://127.8.9.10/h", "http://localhost/h", "http://[::1]/h", "http://10.0.0.1/h",
        "http://172.16.0.1/h", "http://172.31.255.255/h", "http://192.168.1.1/h", "http://100.64.0.1/h", "http://169.254.10.1/h",
        "http://[fc00::1]/h", "http://[fd12::1]/h", "http://[fe80::1]/h", "http://[2001:0:53aa::1]/h", "http://[64:ff9b:1::1]/h",
        "http://[::ffff:192.168.0.1]/h", "http://[::ffff:127.0.0.1]/h", "http://[64:ff9b::a00:1]/h", "http://[2002:c0a8:101::1]/h")) {
      assertThat(strict.problem(url)).as(url).isPresent();
      assertThat(lenient.problem(url)).as(url + " with private destinations allowed").isEmpty();
    }
  }

  @Test
  void theUnspecifiedAddressMetadataEndpointsAndBadUrlsAreAlwaysRefused() {
    for (String url : List.of("http://0.0.0.0/h", "http://[::]/h", "http://169.254.169.254/latest/meta-data", "http://metadata.google.internal/",
        "http://[::ffff:169.254.169.254]/", "ftp://app.example.com/h", "file:///etc/passwd", "https://user:pw@app.example.com/h",
        "https://nango.dev/h", "https://api.nango.dev/h", "http:///nohost", "::not a url::", "https://224.0.0.1/h")) {
      assertThat(lenient.problem(url)).as(url).isPresent();
    }
  }

  @Test
  void atSendTimeEveryResolvedAddressIsChecked() {
    assertThat(strict.problemAtSend(URI.create("http://localhost:9/h"))).isPresent();
    assertThat(lenient.problemAtSend(URI.create("http://localhost:9/h"))).isEmpty();
  }

  @Test
  void aProblemNeverRepeatsThePathOrQuery() {
    assertThat(strict.problem("http://10.0.0.1/secret-path?token=abc")).hasValueSatisfying(p ->
        assertThat(p).doesNotContain("secret-path").doesNotContain("token=abc"));
  }
}

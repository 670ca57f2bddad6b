package dev.graphgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code GRAPHGATE_WEBHOOK_*} settings: defaults, each variable read, bad values named without echoing a key. */
class WebhookConfigTest {
  @Test
  void nothingSetMeansNangosScheduleNoDestinationsAndNoPrivateAddresses() {
    WebhookConfig w = GraphgateConfig.fromEnvironment(Map.of()).webhooks();
    assertThat(w.primaryUrl()).isEmpty();
    assertThat(w.secondaryUrl()).isEmpty();
    assertThat(w.switches()).isEmpty();
    assertThat(w.signingKey()).isEmpty();
    assertThat(w.allowPrivateUrls()).isFalse();
    assertThat(w.timeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(w.retryInitial()).isEqualTo(Duration.ofSeconds(3));
    assertThat(w.retryMax()).isEqualTo(Duration.ofHours(1));
    assertThat(w.maxAttempts()).isEqualTo(12);
    assertThat(w.signingKeyGrace()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void everyVariableIsRead() {
    WebhookConfig w = GraphgateConfig.fromEnvironment(Map.ofEntries(
        Map.entry("GRAPHGATE_WEBHOOK_PRIMARY_URL", "https://app.example.com/a"),
        Map.entry("GRAPHGATE_WEBHOOK_SECONDARY_URL", "https://app.example.com/b"),
        Map.entry("GRAPHGATE_WEBHOOK_ON_AUTH_CREATION", "false"),
        Map.entry("GRAPHGATE_WEBHOOK_ON_AUTH_REFRESH_ERROR", "true"),
        Map.entry("GRAPHGATE_WEBHOOK_SIGNING_KEY", "0123456789abcdef-key"),
        Map.entry("GRAPHGATE_WEBHOOK_SIGNING_KEY_GRACE", "10m"),
        Map.entry("GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS", "true"),
        Map.entry("GRAPHGATE_WEBHOOK_TIMEOUT", "5s"),
        Map.entry("GRAPHGATE_WEBHOOK_MAX_ATTEMPTS", "3"),
        Map.entry("GRAPHGATE_WEBHOOK_RETRY_INITIAL", "1s"),
        Map.entry("GRAPHGATE_WEBHOOK_RETRY_MAX", "2m"),
        Map.entry("GRAPHGATE_WEBHOOK_POLL_INTERVAL", "250ms"))).webhooks();
    assertThat(w.primaryUrl()).contains("https://app.example.com/a");
    assertThat(w.secondaryUrl()).contains("https://app.example.com/b");
    assertThat(w.switches()).isEqualTo(Map.of("on_auth_creation", false, "on_auth_refresh_error", true));
    assertThat(w.signingKey()).isEqualTo(Optional.of("0123456789abcdef-key"));
    assertThat(w.signingKeyGrace()).isEqualTo(Duration.ofMinutes(10));
    assertThat(w.allowPrivateUrls()).isTrue();
    assertThat(w.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(w.maxAttempts()).isEqualTo(3);
    assertThat(w.retryInitial()).isEqualTo(Duration.ofSeconds(1));
    assertThat(w.retryMax()).isEqualTo(Duration.ofMinutes(2));
    assertThat(w.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(w.toString()).doesNotContain("0123456789abcdef-key");
  }

  @Test
  void badValuesStopTheStartWithTheVariablesName() {
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_WEBHOOK_SIGNING_KEY", "short key")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_WEBHOOK_SIGNING_KEY").hasMessageNotContaining("short key");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_WEBHOOK_ON_SYNC_ERROR", "maybe")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_WEBHOOK_ON_SYNC_ERROR");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_WEBHOOK_MAX_ATTEMPTS", "0")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_WEBHOOK_MAX_ATTEMPTS");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_WEBHOOK_RETRY_MAX", "1s", "GRAPHGATE_WEBHOOK_RETRY_INITIAL", "5s")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_WEBHOOK_RETRY_MAX");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_WEBHOOK_TIMEOUT", "10m")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_WEBHOOK_TIMEOUT");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_WEBHOOK_PRIMARY_URL", "not a url")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_WEBHOOK_PRIMARY_URL");
  }
}

package dev.graphgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphgateConfigTest {

  @Test
  void emptyEnvironmentRunsTheEmbeddedDefaults() {
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of());
    assertThat(c.port()).isEqualTo(3003);
    assertThat(c.databaseUrl()).startsWith("jdbc:h2:file:").contains("data");
    assertThat(c.embeddedDatabase()).isTrue();
    assertThat(c.cloud()).isEqualTo(CloudConfig.GLOBAL);
    assertThat(c.tokenRefreshMargin()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.secretKey()).isEmpty();
  }

  @Test
  void customCloudPointsAtTheEmulator() {
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CLOUD", "custom",
        "GRAPHGATE_LOGIN_URL", "http://127.0.0.1:3901/", "GRAPHGATE_GRAPH_URL", "http://localhost:3902"));
    assertThat(c.cloud().loginUrl().toString()).isEqualTo("http://127.0.0.1:3901");
    assertThat(c.cloud().defaultScope()).isEqualTo("https://graph.microsoft.com/.default");
  }

  @Test
  void thePublicUrlForNotificationsIsOptionalAndChecked() {
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).notificationUrl()).isEmpty();
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).subscriptionPollInterval()).isEqualTo(Duration.ofSeconds(30));
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PUBLIC_URL", "https://graphgate.example.com",
        "GRAPHGATE_SUBSCRIPTION_POLL_INTERVAL", "5s"));
    assertThat(c.notificationUrl()).contains(java.net.URI.create("https://graphgate.example.com"));
    assertThat(c.subscriptionPollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PUBLIC_URL", "graphgate.example.com")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_PUBLIC_URL");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_SUBSCRIPTION_POLL_INTERVAL", "20m")))
        .hasMessageContaining("GRAPHGATE_SUBSCRIPTION_POLL_INTERVAL must be between 100ms and 10m");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_TOKEN_REFRESH_MARGIN", "10m")).tokenRefreshMargin()).isEqualTo(Duration.ofMinutes(10));
    assertThat(GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CACHE_SYNC_INTERVAL", "PT0.5S")).cacheSyncInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aDashboardPasswordIsOptionalAtLeastSixteenCharactersAndNeverEchoed() {
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).dashboardPassword()).isEmpty();
    String password = "correct horse battery";
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DASHBOARD_PASSWORD", password));
    assertThat(c.dashboardPassword()).contains(password);
    assertThat(c.toString()).contains("dashboardPassword=(set)").doesNotContain(password);
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DASHBOARD_PASSWORD", "hunter2")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_DASHBOARD_PASSWORD must be at least 16 characters")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aMetricsTokenIsOptionalAndCheckedAtStartWithoutBeingEchoed() {
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).metricsToken()).isEmpty();
    String token = "0123456789abcdef0123456789abcdef";
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_METRICS_TOKEN", token));
    assertThat(c.metricsToken()).contains(token);
    assertThat(c.toString()).contains("metricsToken=(set)").doesNotContain(token);
    String tooShort = "short-metrics-token";
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_METRICS_TOKEN", tooShort)))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_METRICS_TOKEN must be at least 32 characters")
        .hasMessageNotContaining(tooShort);
    String withSpace = "0123456789abcdef 0123456789abcdef";
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_METRICS_TOKEN", withSpace)))
        .hasMessageContaining("GRAPHGATE_METRICS_TOKEN").hasMessageContaining("not allowed").hasMessageNotContaining("0123456789abcdef");
  }

  @Test
  void invalidValuesNameTheSetting() {
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PORT", "eighty")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_PORT");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PORT", "70000")))
        .hasMessageContaining("GRAPHGATE_PORT must be between 0 and 65535");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CLOUD", "mars")))
        .hasMessageContaining("GRAPHGATE_CLOUD must be one of");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CLOUD", "custom")))
        .hasMessageContaining("GRAPHGATE_LOGIN_URL");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CLOUD", "custom",
        "GRAPHGATE_LOGIN_URL", "http://login.example.com", "GRAPHGATE_GRAPH_URL", "https://graph.example.com")))
        .hasMessageContaining("GRAPHGATE_LOGIN_URL must be an https URL");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_SECRET_KEY", "abc")))
        .hasMessageContaining("GRAPHGATE_SECRET_KEY must be a UUID v4");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DATABASE_URL", "jdbc:mysql://x")))
        .hasMessageContaining("GRAPHGATE_DATABASE_URL");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_TOKEN_REFRESH_MARGIN", "soon")))
        .hasMessageContaining("GRAPHGATE_TOKEN_REFRESH_MARGIN");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_TOKEN_REFRESH_MARGIN", "2h")))
        .hasMessageContaining("at most 50m");
  }

  @Test
  void proxySettingsHaveGraphMindedDefaultsAndAreReadFromTheEnvironment() {
    ProxyConfig defaults = GraphgateConfig.fromEnvironment(Map.of()).proxy();
    assertThat(defaults.defaultRetries()).isEqualTo(3);
    assertThat(defaults.retryBudget()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.mailbox()).isEqualTo(new ProxyConfig.GateLimits(4, 15));
    assertThat(defaults.mailbox().burst()).isEqualTo(100);
    assertThat(defaults.tenant()).isEqualTo(new ProxyConfig.GateLimits(0, 0));
    assertThat(defaults.logRetention()).isEqualTo(Duration.ofDays(7));

    ProxyConfig p = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PROXY_RETRIES", "5", "GRAPHGATE_PROXY_RETRY_BUDGET", "90s",
        "GRAPHGATE_PROXY_TIMEOUT", "2m", "GRAPHGATE_PROXY_TENANT_CONCURRENCY", "32", "GRAPHGATE_PROXY_MAILBOX_RATE", "10.5",
        "GRAPHGATE_PROXY_ALLOWED_ORIGINS", "https://api.powerbi.com, http://127.0.0.1:8080", "GRAPHGATE_LOG_RETENTION", "30d")).proxy();
    assertThat(p.defaultRetries()).isEqualTo(5);
    assertThat(p.retryBudget()).isEqualTo(Duration.ofSeconds(90));
    assertThat(p.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.tenant().concurrency()).isEqualTo(32);
    assertThat(p.mailbox()).isEqualTo(new ProxyConfig.GateLimits(4, 10.5));
    assertThat(p.extraAllowedOrigins()).extracting(java.net.URI::toString).containsExactly("https://api.powerbi.com", "http://127.0.0.1:8080");
    assertThat(p.logRetention()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void invalidProxySettingsNameTheSetting() {
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PROXY_RETRIES", "11")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_PROXY_RETRIES").hasMessageContaining("0 and 10");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PROXY_MAILBOX_CONCURRENCY", "-1")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_PROXY_MAILBOX_CONCURRENCY");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PROXY_ALLOWED_ORIGINS", "http://evil.example")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_PROXY_ALLOWED_ORIGINS");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PROXY_ALLOWED_ORIGINS", "https://host/with/path")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("no path");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PROXY_RETRY_BUDGET", "1h")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_PROXY_RETRY_BUDGET");
  }

  @Test
  void durationsOutOfRangeAreNamedInTheSettingsOwnNotation() {
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_LOG_RETENTION", "10s")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("GRAPHGATE_LOG_RETENTION must be a duration from 1m to 3650d (such as 500ms, 30s, 5m), got 10s");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_TOKEN_REFRESH_MARGIN", "90m")))
        .isInstanceOf(InvalidConfigException.class).hasMessageEndingWith("at most 50m (Entra tokens live about an hour), got 90m");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_LOG_RETENTION", "PT0.25S")))
        .isInstanceOf(InvalidConfigException.class).hasMessageEndingWith("got 250ms");
  }

  @Test
  void adminConsentLinksWorkForSevenDaysUnlessSetBetweenFiveMinutesAndNinetyDays() {
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).adminConsentLinkLifetime()).isEqualTo(Duration.ofDays(7));
    assertThat(GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME", "2d")).adminConsentLinkLifetime())
        .isEqualTo(Duration.ofDays(2));
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME", "1m")))
        .isInstanceOf(InvalidConfigException.class).hasMessage("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME must be between 5m and 90d, got 1m");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME", "365d")))
        .isInstanceOf(InvalidConfigException.class).hasMessageEndingWith("got 365d");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME", "a week")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_ADMIN_CONSENT_LINK_LIFETIME");
  }

  @Test
  void connectSessionsLastThirtyMinutesUnlessSetBetweenOneMinuteAndADay() {
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).connectSessionTtl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CONNECT_SESSION_TTL", "2h")).connectSessionTtl()).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CONNECT_SESSION_TTL", "30s")))
        .isInstanceOf(InvalidConfigException.class).hasMessage("GRAPHGATE_CONNECT_SESSION_TTL must be between 1m and 24h, got 30s");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CONNECT_SESSION_TTL", "2d")))
        .isInstanceOf(InvalidConfigException.class).hasMessageEndingWith("got 2d");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_CONNECT_SESSION_TTL", "half an hour")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("GRAPHGATE_CONNECT_SESSION_TTL");
  }

  @Test
  void previousSecretKeysAreACommaSeparatedListOfUuidV4s() {
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PREVIOUS_SECRET_KEYS",
        " 4b0e6f0a-1d2c-4e3f-9a8b-7c6d5e4f3a2b, 9D3C1A7E-5B2F-4E8D-A1C6-0F7E2D4B8A93 ,"));
    assertThat(c.previousSecretKeys()).containsExactly("4b0e6f0a-1d2c-4e3f-9a8b-7c6d5e4f3a2b", "9D3C1A7E-5B2F-4E8D-A1C6-0F7E2D4B8A93");
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).previousSecretKeys()).isEmpty();
  }

  @Test
  void aPreviousSecretKeyThatIsNotAUuidV4IsRefusedByPositionNeverEchoed() {
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_PREVIOUS_SECRET_KEYS",
        "4b0e6f0a-1d2c-4e3f-9a8b-7c6d5e4f3a2b,4b0e6f0a-1d2c-4e3f-9a8b-7c6d5e4f3a2")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("GRAPHGATE_PREVIOUS_SECRET_KEYS must be a comma-separated list of UUID v4s; entry 2 of 2 is not one");
  }

  @Test
  void toStringNeverShowsKeys() {
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_SECRET_KEY", "4b0e6f0a-1d2c-4e3f-9a8b-7c6d5e4f3a2b",
        "GRAPHGATE_PREVIOUS_SECRET_KEYS", "9d3c1a7e-5b2f-4e8d-a1c6-0f7e2d4b8a93",
        "GRAPHGATE_ENCRYPTION_KEY", "c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy1sb25n"));
    assertThat(c.toString()).doesNotContain("4b0e6f0a").doesNotContain("9d3c1a7e").doesNotContain("c2VjcmV0");
  }

  @Test
  void toStringNeverShowsADatabasePasswordWrittenIntoTheUrl() {
    GraphgateConfig c = GraphgateConfig.fromEnvironment(Map.of(
        "GRAPHGATE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=gg&password=hunter2-in-url&ssl=false"));
    assertThat(c.toString()).doesNotContain("hunter2-in-url").contains("password=(hidden)").contains("ssl=false");
  }

  @Test
  void plainHttpIsAllowedOnlyToLoopback() {
    assertThat(OutboundUrls.isAllowed(java.net.URI.create("http://127.0.0.1:1/x"))).isTrue();
    assertThat(OutboundUrls.isAllowed(java.net.URI.create("http://localhost:1/x"))).isTrue();
    assertThat(OutboundUrls.isAllowed(java.net.URI.create("http://[::1]:1/x"))).isTrue();
    assertThat(OutboundUrls.isAllowed(java.net.URI.create("http://10.0.0.1/x"))).isFalse();
    assertThat(OutboundUrls.isAllowed(java.net.URI.create("http://localhost.evil.com/x"))).isFalse();
    assertThat(OutboundUrls.isAllowed(java.net.URI.create("https://login.microsoftonline.com/x"))).isTrue();
    assertThat(OutboundUrls.isAllowed(java.net.URI.create("ftp://127.0.0.1/x"))).isFalse();
  }

  @Test
  void everyH2UrlGetsTheDurabilitySettingsAndOneThatWeakensThemIsRefused() {
    assertThat(GraphgateConfig.fromEnvironment(Map.of()).databaseUrl())
        .endsWith(";AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=5000");
    assertThat(GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DATABASE_URL", "jdbc:h2:file:/var/lib/gg/db;write_delay=0;MAX_COMPACT_TIME=100"))
        .databaseUrl()).as("a compaction time of its own is kept").isEqualTo("jdbc:h2:file:/var/lib/gg/db;write_delay=0;MAX_COMPACT_TIME=100;DB_CLOSE_ON_EXIT=FALSE");
    assertThat(GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DATABASE_URL", "jdbc:postgresql://db:5432/gg")).databaseUrl())
        .as("PostgreSQL URLs are left as given").isEqualTo("jdbc:postgresql://db:5432/gg");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DATABASE_URL", "jdbc:h2:file:/tmp/gg;WRITE_DELAY=500")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("GRAPHGATE_DATABASE_URL sets WRITE_DELAY=500; Graphgate needs WRITE_DELAY=0")
        .hasMessageContaining("lost when the process is killed");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DATABASE_URL", "jdbc:h2:file:/tmp/gg;DB_CLOSE_ON_EXIT=TRUE")))
        .hasMessageContaining("Graphgate needs DB_CLOSE_ON_EXIT=FALSE");
  }

  @Test
  void embeddedDatabaseDirectoryIsTheDataDirForTheDefaultUrlAndEmptyOtherwise() {
    GraphgateConfig c = GraphgateConfig.builder().dataDir(java.nio.file.Path.of("/var/lib/graphgate")).build();
    assertThat(c.embeddedDatabaseDirectory()).contains(java.nio.file.Path.of("/var/lib/graphgate"));
    assertThat(GraphgateConfig.builder().databaseUrl("jdbc:h2:mem:x").build().embeddedDatabaseDirectory()).isEmpty();
    assertThat(GraphgateConfig.builder().databaseUrl("jdbc:postgresql://db/gg").build().embeddedDatabaseDirectory()).isEmpty();
  }

  @Test
  void shutdownGraceAndDatabaseConnectionTimeoutHaveDefaultsAndBounds() {
    GraphgateConfig defaults = GraphgateConfig.fromEnvironment(Map.of());
    assertThat(defaults.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(defaults.databaseConnectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    GraphgateConfig set = GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_SHUTDOWN_GRACE", "45s", "GRAPHGATE_DATABASE_CONNECTION_TIMEOUT", "500ms"));
    assertThat(set.shutdownGrace()).isEqualTo(Duration.ofSeconds(45));
    assertThat(set.databaseConnectionTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_SHUTDOWN_GRACE", "0s")).shutdownGrace()).isZero();
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_SHUTDOWN_GRACE", "11m")))
        .hasMessage("GRAPHGATE_SHUTDOWN_GRACE must be between 0s and 10m, got 11m");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_SHUTDOWN_GRACE", "soon")))
        .hasMessageContaining("GRAPHGATE_SHUTDOWN_GRACE must be a duration");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DATABASE_CONNECTION_TIMEOUT", "100ms")))
        .hasMessage("GRAPHGATE_DATABASE_CONNECTION_TIMEOUT must be between 250ms and 1m, got 100ms");
    assertThatThrownBy(() -> GraphgateConfig.fromEnvironment(Map.of("GRAPHGATE_DATABASE_CONNECTION_TIMEOUT", "2m")))
        .hasMessage("GRAPHGATE_DATABASE_CONNECTION_TIMEOUT must be between 250ms and 1m, got 2m");
  }
}

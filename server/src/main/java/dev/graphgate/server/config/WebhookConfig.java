package dev.graphgate.server.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Outgoing webhooks to the customer's app: what the environment sets (destinations, switches, signing key; applied to
 * the stored settings at every start, see {@code webhook.WebhookSettingsService}) and how deliveries run. Every value
 * is checked here with the setting's name in the message.
 *
 * @param primaryUrl {@code GRAPHGATE_WEBHOOK_PRIMARY_URL}; empty leaves the stored one.
 * @param secondaryUrl {@code GRAPHGATE_WEBHOOK_SECONDARY_URL}; empty leaves the stored one.
 * @param switches Nango's switches ({@link #SWITCHES}) given in the environment ({@code GRAPHGATE_WEBHOOK_ON_AUTH_CREATION}, ...).
 * @param signingKey {@code GRAPHGATE_WEBHOOK_SIGNING_KEY}: 16 to 256 visible ASCII characters; empty leaves the stored one.
 * @param signingKeyGrace how long the previous signing key keeps signing a second header after a rotation. Default 1 hour.
 * @param allowPrivateUrls whether destinations may be loopback, private or link-local addresses (tests, a receiver on
 *     the same network). Default false.
 * @param timeout one attempt, connect to last byte of the answer's headers. Default 20 seconds (Nango's).
 * @param maxAttempts attempts per destination before a delivery is failed. Default 12.
 * @param retryInitial the wait before the first retry; each next one doubles. Default 3 seconds (Nango's).
 * @param retryMax the longest wait between two attempts. Default 1 hour.
 * @param pollInterval how often an instance looks for deliveries due (it also wakes at once after its own commits). Default 1 second.
 */
public record WebhookConfig(
    Optional<String> primaryUrl,
    Optional<String> secondaryUrl,
    Map<String, Boolean> switches,
    Optional<String> signingKey,
    Duration signingKeyGrace,
    boolean allowPrivateUrls,
    Duration timeout,
    int maxAttempts,
    Duration retryInitial,
    Duration retryMax,
    Duration pollInterval) {

  /** Nango's switches, by their API names. */
  public static final List<String> SWITCHES = List.of("on_auth_creation", "on_auth_refresh_error", "on_sync_completion_always",
      "on_sync_error", "on_async_action_completion");
  public static final Duration DEFAULT_SIGNING_KEY_GRACE = Duration.ofHours(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  public static final int DEFAULT_MAX_ATTEMPTS = 12;
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(3);
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofHours(1);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  public WebhookConfig {
    Objects.requireNonNull(primaryUrl);
    Objects.requireNonNull(secondaryUrl);
    Objects.requireNonNull(signingKey);
    switches = Map.copyOf(switches);
    for (String s : switches.keySet()) {
      if (!SWITCHES.contains(s)) {
        throw new IllegalArgumentException("unknown webhook switch " + s);
      }
    }
    if (signingKey.isPresent() && !isSigningKey(signingKey.get())) {
      // Its length only, never its value.
      throw new InvalidConfigException("GRAPHGATE_WEBHOOK_SIGNING_KEY must be 16 to 256 visible ASCII characters (for example the output of "
          + "`uuidgen -r`); the one given has " + signingKey.get().length() + " characters");
    }
    between(signingKeyGrace, Duration.ZERO, Duration.ofDays(7), "GRAPHGATE_WEBHOOK_SIGNING_KEY_GRACE");
    between(timeout, Duration.ofMillis(100), Duration.ofMinutes(2), "GRAPHGATE_WEBHOOK_TIMEOUT");
    between(retryInitial, Duration.ofMillis(10), Duration.ofHours(1), "GRAPHGATE_WEBHOOK_RETRY_INITIAL");
    between(retryMax, retryInitial, Duration.ofDays(1), "GRAPHGATE_WEBHOOK_RETRY_MAX");
    between(pollInterval, Duration.ofMillis(10), Duration.ofMinutes(1), "GRAPHGATE_WEBHOOK_POLL_INTERVAL");
    if (maxAttempts < 1 || maxAttempts > 50) {
      throw new InvalidConfigException("GRAPHGATE_WEBHOOK_MAX_ATTEMPTS must be between 1 and 50, got " + maxAttempts);
    }
  }

  public static WebhookConfig defaults() {
    return new WebhookConfig(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), DEFAULT_SIGNING_KEY_GRACE, false,
        DEFAULT_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX, DEFAULT_POLL_INTERVAL);
  }

  /** A signing key Graphgate accepts: 16 to 256 characters, visible ASCII only (it goes into HMACs and shell variables). */
  public static boolean isSigningKey(String s) {
    return s.length() >= 16 && s.length() <= 256 && s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  public WebhookConfig withUrls(Optional<String> primary, Optional<String> secondary) {
    return new WebhookConfig(primary, secondary, switches, signingKey, signingKeyGrace, allowPrivateUrls, timeout, maxAttempts, retryInitial,
        retryMax, pollInterval);
  }

  public WebhookConfig withSwitch(String name, boolean on) {
    Map<String, Boolean> s = new LinkedHashMap<>(switches);
    s.put(name, on);
    return new WebhookConfig(primaryUrl, secondaryUrl, s, signingKey, signingKeyGrace, allowPrivateUrls, timeout, maxAttempts, retryInitial,
        retryMax, pollInterval);
  }

  public WebhookConfig withSigningKey(Optional<String> key, Duration grace) {
    return new WebhookConfig(primaryUrl, secondaryUrl, switches, key, grace, allowPrivateUrls, timeout, maxAttempts, retryInitial, retryMax,
        pollInterval);
  }

  public WebhookConfig withAllowPrivateUrls(boolean allow) {
    return new WebhookConfig(primaryUrl, secondaryUrl, switches, signingKey, signingKeyGrace, allow, timeout, maxAttempts, retryInitial,
        retryMax, pollInterval);
  }

  /** The delivery schedule: attempts, the first wait and the longest wait. */
  public WebhookConfig withDelivery(Duration attemptTimeout, int attempts, Duration initial, Duration max, Duration poll) {
    return new WebhookConfig(primaryUrl, secondaryUrl, switches, signingKey, signingKeyGrace, allowPrivateUrls, attemptTimeout, attempts, initial,
        max, poll);
  }

  @Override
  public String toString() {
    return "WebhookConfig[primaryUrl=" + primaryUrl.isPresent() + ", secondaryUrl=" + secondaryUrl.isPresent() + ", switches=" + switches
        + ", signingKey=" + (signingKey.isPresent() ? "(set)" : "(unset)") + ", allowPrivateUrls=" + allowPrivateUrls + "]";
  }

  private static void between(Duration d, Duration min, Duration max, String name) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new InvalidConfigException(name + " must be between " + DurationText.of(min) + " and " + DurationText.of(max) + ", got "
          + DurationText.of(d));
    }
  }
}

package dev.graphgate.server.webhook;

import dev.graphgate.server.GraphgateException.WebhookRefused;
import dev.graphgate.server.config.InvalidConfigException;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.secret.Secret;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The environment's webhook settings: read, changed through the API ({@code PATCH /webhooks/settings}), set by the
 * environment at every start, and the signing key rotated ({@code POST /environment/webhook-signing-key/rotate}). A
 * new signing key replaces the current one at once; the old one keeps signing a second header,
 * {@value WebhookSignature#PREVIOUS_HMAC_HEADER}, for the grace period, so receivers can switch without losing events.
 * A first start without a configured key generates one (a UUID v4, as Nango's); it is shown only by a rotation.
 */
public final class WebhookSettingsService {
  private final WebhookSettingsRepository repository;
  private final WebhookUrlPolicy policy;
  private final InstantSource clock;
  private final SecureRandom random;
  private final Duration grace;

  public WebhookSettingsService(WebhookSettingsRepository repository, WebhookUrlPolicy policy, InstantSource clock, SecureRandom random,
      Duration grace) {
    this.repository = repository;
    this.policy = policy;
    this.clock = clock;
    this.random = random;
    this.grace = grace;
  }

  /**
   * What the environment says wins over what is stored, at every start: destinations, switches and the signing key
   * that it gives (what it leaves out stays as stored). A destination the policy refuses stops the start.
   */
  public void applyAtStart(WebhookConfig config) {
    config.primaryUrl().ifPresent(u -> requireAllowedAtStart("GRAPHGATE_WEBHOOK_PRIMARY_URL", u));
    config.secondaryUrl().ifPresent(u -> requireAllowedAtStart("GRAPHGATE_WEBHOOK_SECONDARY_URL", u));
    repository.initialize();
    repository.update(s -> {
      Map<String, Boolean> switches = new LinkedHashMap<>(s.switches());
      switches.putAll(config.switches());
      WebhookSettings next = new WebhookSettings(config.primaryUrl().or(s::primaryUrl), config.secondaryUrl().or(s::secondaryUrl), switches,
          s.signingKey(), s.previousKey(), s.previousKeyUntil(), now());
      Optional<Secret> key = config.signingKey().map(Secret::of);
      if (key.isPresent() && !key.equals(s.signingKey())) {
        return withKey(next, key.get());
      }
      if (next.signingKey().isEmpty()) {
        return new WebhookSettings(next.primaryUrl(), next.secondaryUrl(), switches, Optional.of(generateKey()), Optional.empty(),
            Optional.empty(), now());
      }
      boolean same = next.primaryUrl().equals(s.primaryUrl()) && next.secondaryUrl().equals(s.secondaryUrl())
          && WebhookConfig.SWITCHES.stream().allMatch(n -> next.on(n) == s.on(n));
      return same ? s : next;
    });
  }

  public WebhookSettings settings() {
    return repository.read();
  }

  /**
   * A change from the API. {@code primaryUrl}/{@code secondaryUrl}: absent keeps, present-and-empty clears.
   * {@code signingKey}: a key chosen by the caller (the previous one kept for the grace period). Every URL is checked
   * before anything is written.
   */
  public record Change(Optional<Optional<String>> primaryUrl, Optional<Optional<String>> secondaryUrl, Map<String, Boolean> switches,
      Optional<Secret> signingKey) {
    public Change {
      switches = Map.copyOf(switches);
    }
  }

  public WebhookSettings change(Change c) {
    c.primaryUrl().flatMap(u -> u).ifPresent(u -> requireAllowed("primary_url", u));
    c.secondaryUrl().flatMap(u -> u).ifPresent(u -> requireAllowed("secondary_url", u));
    return repository.update(s -> {
      Map<String, Boolean> switches = new LinkedHashMap<>(s.switches());
      switches.putAll(c.switches());
      WebhookSettings next = new WebhookSettings(c.primaryUrl().orElse(s.primaryUrl()), c.secondaryUrl().orElse(s.secondaryUrl()), switches,
          s.signingKey(), s.previousKey(), s.previousKeyUntil(), now());
      return c.signingKey().filter(k -> !Optional.of(k).equals(s.signingKey())).map(k -> withKey(next, k)).orElse(next);
    });
  }

  /** A new random signing key (a UUID v4), answered this once; the previous one signs a second header for the grace period. */
  public Secret rotate() {
    Secret key = generateKey();
    repository.update(s -> withKey(s, key));
    return key;
  }

  /** {@code url} may be a destination; else the coded 400 naming {@code field}. */
  public void requireAllowed(String field, String url) {
    policy.problem(url).ifPresent(reason -> {
      throw WebhookRefused.urlNotAllowed(field, reason);
    });
  }

  private void requireAllowedAtStart(String name, String url) {
    policy.problem(url).ifPresent(reason -> {
      throw new InvalidConfigException(name + " is not allowed as a webhook destination: " + reason
          + " (GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS=true allows loopback and private addresses)");
    });
  }

  private WebhookSettings withKey(WebhookSettings s, Secret key) {
    Instant now = now();
    return new WebhookSettings(s.primaryUrl(), s.secondaryUrl(), s.switches(), Optional.of(key), s.signingKey(),
        s.signingKey().map(k -> now.plus(grace)), now);
  }

  private Secret generateKey() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[i + 8] & 0xff);
    }
    return Secret.of(new UUID(hi, lo).toString());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}

package dev.graphgate.emulator.graph.throttle;

import dev.graphgate.emulator.graph.http.GraphException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces {@link ThrottleSettings}: fixed windows per (tenant, app) and per (tenant, app, mailbox), plus Outlook's
 * concurrency cap per mailbox. A window starts with the first request after the previous one ended, so when it ends
 * the whole budget is back: a client that waits the {@code Retry-After} it was given is served again.
 */
public final class Throttler {

  private final InstantSource clock;
  private volatile ThrottleSettings global;
  private final Map<String, ThrottleSettings> perTenant = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  /** Requests in flight per mailbox; a mailbox leaves the map when its last request is done. */
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

  public Throttler(InstantSource clock, ThrottleSettings initial) {
    this.clock = clock;
    this.global = initial;
  }

  public ThrottleSettings settings() {
    return global;
  }

  public Map<String, ThrottleSettings> tenantSettings() {
    return Map.copyOf(perTenant);
  }

  /** Replaces the settings for every tenant without its own; counters start over. */
  public void configure(ThrottleSettings settings) {
    global = settings;
    windows.clear();
  }

  /** Gives one tenant its own settings ({@code null} removes them); counters start over. */
  public void configure(String tenantId, ThrottleSettings settings) {
    if (settings == null) {
      perTenant.remove(tenantId);
    } else {
      perTenant.put(tenantId, settings);
    }
    windows.clear();
  }

  /** Released when the request is done; frees the mailbox's concurrency slot. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private static final Permit NOTHING = () -> {};

  /**
   * Counts a request and admits it, or throws the 429 Graph would send.
   *
   * @param mailbox the mailbox owner's key for Outlook requests, or null
   * @param directory whether the request is a directory one (its 429 names the app, as Entra's does)
   */
  public Permit admit(String tenantId, String appId, String mailbox, boolean directory) {
    ThrottleSettings settings = perTenant.getOrDefault(tenantId, global);
    Instant now = clock.instant();
    if (settings.appTenant().isPresent()) {
      Window window = windows.computeIfAbsent("app|" + tenantId + "|" + appId, k -> new Window());
      Duration wait = window.count(settings.appTenant().get(), now);
      if (wait != null) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", seconds(wait));
        if (directory) {
          headers.put("x-ms-throttle-scope", "Tenant_Application/ReadWrite/" + appId + "/" + tenantId);
          headers.put("x-ms-throttle-information", "ResourceUnitLimitExceeded");
          throw new GraphException(429, "TooManyRequests",
              "Too many requests from Identifier:" + appId + "+" + tenantId + " under category:throttle.aad.ags.appId.large. Please try again later.", headers);
        }
        throw new GraphException(429, "TooManyRequests", "Please retry again later.", headers);
      }
    }
    if (mailbox == null || settings.mailbox().isEmpty()) {
      return NOTHING;
    }
    ThrottleSettings.MailboxLimits limits = settings.mailbox().get();
    String key = tenantId + "|" + appId + "|" + mailbox;
    Duration wait = windows.computeIfAbsent("mailbox|" + key, k -> new Window()).count(limits.budget(), now);
    if (wait != null) {
      throw new GraphException(429, "ApplicationThrottled",
          "Application is over its MailboxRequests limit of " + limits.requests() + " requests per " + limits.window().toSeconds() + " seconds.",
          Map.of("Retry-After", seconds(wait)));
    }
    boolean[] admitted = {false};
    inFlight.compute(key, (k, running) -> {
      int count = running == null ? 0 : running;
      if (count >= limits.concurrent()) {
        return running;
      }
      admitted[0] = true;
      return count + 1;
    });
    if (!admitted[0]) {
      // When a slot frees depends on requests still running; one second is the honest lower bound Outlook also gives.
      throw new GraphException(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", Map.of("Retry-After", "1"));
    }
    return () -> inFlight.computeIfPresent(key, (k, running) -> running <= 1 ? null : running - 1);
  }

  private static String seconds(Duration wait) {
    long millis = Math.max(1, wait.toMillis());
    return Long.toString((millis + 999) / 1000);
  }

  /** One fixed window: when it started and how many requests it counted. */
  private static final class Window {
    private Instant start;
    private long count;

    /** Counts a request; returns how long until the window ends if it is over budget, else null. */
    synchronized Duration count(ThrottleSettings.Budget budget, Instant now) {
      if (start == null || !now.isBefore(start.plus(budget.window()))) {
        start = now;
        count = 0;
      }
      count++;
      if (count > budget.requests()) {
        return Duration.between(now, start.plus(budget.window()));
      }
      return null;
    }
  }
}

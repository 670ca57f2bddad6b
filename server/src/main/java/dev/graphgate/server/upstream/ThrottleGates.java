package dev.graphgate.server.upstream;

import dev.graphgate.server.config.ProxyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The gates of this instance: one per app and tenant (Graph's throttling scope for most workloads), and one per app
 * and mailbox for Outlook paths. A call passes its tenant gate, then its mailbox gate. Gates unused for a while are
 * forgotten by {@link #prune()}.
 */
public final class ThrottleGates {
  static final Duration IDLE = Duration.ofMinutes(10);

  private final ProxyConfig.GateLimits tenantLimits;
  private final ProxyConfig.GateLimits mailboxLimits;
  private final InstantSource clock;
  private final Sleeper sleeper;
  private final GateMeters tenantMeters;
  private final GateMeters mailboxMeters;
  private final ConcurrentMap<String, ThrottleGate> gates = new ConcurrentHashMap<>();

  public ThrottleGates(ProxyConfig.GateLimits tenant, ProxyConfig.GateLimits mailbox, InstantSource clock, Sleeper sleeper, MeterRegistry meters) {
    this.tenantLimits = tenant;
    this.mailboxLimits = mailbox;
    this.tenantMeters = new GateMeters(meters, "tenant");
    this.mailboxMeters = new GateMeters(meters, "mailbox");
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** The gates a call passes, in order: its tenant's, then its mailbox's when the path is an Outlook one. */
  public Route route(String tenant, String appId, String rawPath, boolean graph) {
    String tenantKey = "app " + appId + " in tenant " + tenant;
    ThrottleGate tenantGate = gates.computeIfAbsent(tenantKey, k -> new ThrottleGate(k, tenantLimits, tenantMeters, clock, sleeper));
    Optional<String> mailbox = graph ? MailboxPaths.mailbox(rawPath) : Optional.empty();
    if (mailbox.isEmpty()) {
      return new Route(tenantGate, Optional.empty());
    }
    String mailboxKey = "mailbox " + mailbox.get() + " (" + tenantKey + ")";
    return new Route(tenantGate, Optional.of(gates.computeIfAbsent(mailboxKey, k -> new ThrottleGate(k, mailboxLimits, mailboxMeters, clock, sleeper))));
  }

  /** The gates of one call. */
  public record Route(ThrottleGate tenant, Optional<ThrottleGate> mailbox) {

    /** Passes every gate in order; on a refusal, gives back what was already taken. */
    public Passage admit(Instant deadline) {
      List<ThrottleGate.Pass> passes = new ArrayList<>(2);
      Duration waited = Duration.ZERO;
      for (ThrottleGate gate : mailbox.isPresent() ? List.of(tenant, mailbox.get()) : List.of(tenant)) {
        switch (gate.admit(deadline)) {
          case ThrottleGate.Admission.Admitted a -> {
            passes.add(a.pass());
            waited = waited.plus(a.waited());
          }
          case ThrottleGate.Admission.Refused r -> {
            passes.forEach(ThrottleGate.Pass::release);
            return new Passage(List.of(), waited, Optional.of(r));
          }
        }
      }
      return new Passage(List.copyOf(passes), waited, Optional.empty());
    }

    /**
     * Microsoft answered 429. Outlook's own throttling ({@code ApplicationThrottled}, "Mailbox..." limits) closes the
     * mailbox's gate; anything else closes the tenant's, which every call of that tenant passes first.
     */
    public void throttled(Duration retryAfter, String bodyStart) {
      boolean mailboxLimit = bodyStart.contains("ApplicationThrottled") || bodyStart.contains("Mailbox");
      (mailbox.isPresent() && mailboxLimit ? mailbox.get() : tenant).closeFor(retryAfter);
    }
  }

  /** The result of passing a route's gates. */
  public record Passage(List<ThrottleGate.Pass> passes, Duration waited, Optional<ThrottleGate.Admission.Refused> refused) {
    public void release() {
      passes.forEach(ThrottleGate.Pass::release);
    }
  }

  /** Forgets gates that have been idle and open for {@link #IDLE}. */
  public void prune() {
    Instant before = clock.instant().minus(IDLE);
    gates.values().removeIf(g -> g.idleSince(before));
  }

  public int size() {
    return gates.size();
  }
}

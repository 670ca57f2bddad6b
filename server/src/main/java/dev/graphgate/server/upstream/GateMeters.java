package dev.graphgate.server.upstream;

import dev.graphgate.server.observe.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the throttle gates of one kind ({@code tenant} or {@code mailbox}) did, shared by every gate of that kind:
 * closures by Microsoft's 429, callers held back and for how long, callers refused. Tagged by kind only: a gate's
 * tenant or mailbox is never a tag.
 */
public final class GateMeters {
  private final Counter closures;
  private final Timer held;
  private final Counter refused;

  public GateMeters(MeterRegistry registry, String kind) {
    closures = Counter.builder(MeterNames.GATE_CLOSURES).description("429 answers that closed a throttle gate (or kept it closed longer), by gate kind")
        .tag("gate", kind).register(registry);
    held = Timer.builder(MeterNames.GATE_HELD).description("callers a throttle gate held back before they could start, and how long, by gate kind")
        .tag("gate", kind).register(registry);
    refused = Counter.builder(MeterNames.GATE_REFUSED)
        .description("callers a throttle gate refused because it would not let them start within their time budget, by gate kind")
        .tag("gate", kind).register(registry);
  }

  void closed() {
    closures.increment();
  }

  void held(Duration waited) {
    held.record(waited);
  }

  void refused() {
    refused.increment();
  }
}

package dev.graphgate.server.webhook;

import dev.graphgate.server.observe.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The webhook meters, registered up front so an outcome never reached still shows as 0. */
final class WebhookMeters {
  private static final List<String> RESULTS = List.of("2xx", "3xx", "4xx", "5xx", "transport_error");

  private final Map<Delivery.Status, Counter> finished = new LinkedHashMap<>();
  private final Map<String, Counter> attempts = new LinkedHashMap<>();
  private final AtomicLong backlog = new AtomicLong();

  WebhookMeters(MeterRegistry meters) {
    for (Delivery.Status s : List.of(Delivery.Status.DELIVERED, Delivery.Status.FAILED, Delivery.Status.SKIPPED)) {
      finished.put(s, Counter.builder(MeterNames.WEBHOOK_DELIVERIES).description("webhook deliveries finished, by outcome")
          .tag("outcome", s.wireName()).register(meters));
    }
    for (String r : RESULTS) {
      attempts.put(r, Counter.builder(MeterNames.WEBHOOK_ATTEMPTS).description("webhook attempts sent, by result")
          .tag("result", r).register(meters));
    }
    Gauge.builder(MeterNames.WEBHOOK_BACKLOG, backlog, AtomicLong::get)
        .description("webhook deliveries waiting or being sent, as this instance last counted them").register(meters);
  }

  void finished(Delivery.Status s) {
    finished.get(s).increment();
  }

  void answered(int status) {
    int family = Math.max(2, Math.min(5, status / 100));
    attempts.get(family + "xx").increment();
  }

  void transportFailed() {
    attempts.get("transport_error").increment();
  }

  void backlog(long n) {
    backlog.set(n);
  }
}

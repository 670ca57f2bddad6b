package dev.graphgate.server.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The meters of one Graphgate instance: a Prometheus registry that every component registers its {@code graphgate.*}
 * meters with ({@link MeterNames}), and the JVM's own (memory, garbage collection, threads, class loading, processor,
 * uptime, file descriptors where the operating system reports them). {@link #scrape} writes them all in Prometheus'
 * text format for {@code GET /metrics}.
 */
public final class Metrics implements AutoCloseable {
  /**
   * Prometheus' text exposition format 0.0.4, which every Prometheus version reads; the registry picks its writer
   * from this same string, so the body and the header always agree.
   */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Registers nothing where the operating system has no such counts (Windows).
    new FileDescriptorMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter, in {@link #CONTENT_TYPE}. */
  public void scrape(OutputStream out) throws IOException {
    registry.scrape(out, CONTENT_TYPE);
  }

  /** Stops listening to the JVM's garbage collection notifications. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}

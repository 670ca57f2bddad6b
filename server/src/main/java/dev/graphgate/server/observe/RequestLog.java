package dev.graphgate.server.observe;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request (method, path, status, time; never the query string, headers or body, which may carry
 * secrets) and a timer per route. Successful requests log at DEBUG so a busy server does not spend its time logging.
 */
public final class RequestLog {
  private static final Logger log = LoggerFactory.getLogger("dev.graphgate.server.requests");

  private final MeterRegistry meters;
  /** Registering a meter builds its id and tags each time: looked up once per route and status instead. */
  private final java.util.concurrent.ConcurrentMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  private record TimerKey(String method, String route, int status) {}

  public RequestLog(MeterRegistry meters) {
    this.meters = meters;
  }

  public void handle(Context ctx, Float millis) {
    int status = ctx.statusCode();
    String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
    timers.computeIfAbsent(new TimerKey(ctx.method().name(), route, status), k -> Timer.builder(MeterNames.HTTP_REQUESTS)
            .description("requests to the HTTP API, by method, route template (never the path itself) and status")
            .tag("method", k.method()).tag("route", k.route()).tag("status", String.valueOf(k.status())).register(meters))
        .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    if (status >= 500) {
      log.warn("{} {} {} {}ms", ctx.method(), ctx.path(), status, String.format("%.1f", millis));
    } else if (status >= 400) {
      log.info("{} {} {} {}ms", ctx.method(), ctx.path(), status, String.format("%.1f", millis));
    } else if (log.isDebugEnabled()) {
      log.debug("{} {} {} {}ms", ctx.method(), ctx.path(), status, String.format("%.1f", millis));
    }
  }
}

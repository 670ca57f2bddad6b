package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.ErrorCode;
import dev.graphgate.server.Json;
import dev.graphgate.server.health.Readiness;
import io.javalin.http.Context;
import java.util.stream.Collectors;

/**
 * The probes, without a key. {@code GET /health} and {@code GET /health/live}: liveness, the process answers (never
 * touches the database or Entra). {@code GET /health/ready}: readiness, 200 when every check passed, 503 naming the
 * checks that failed.
 */
final class HealthHandler {
  private final Readiness readiness;

  HealthHandler(Readiness readiness) {
    this.readiness = readiness;
  }

  void live(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    Responses.json(ctx, 200, Json.object().put("result", "ok"));
  }

  void ready(Context ctx) {
    Readiness.Report report = readiness.report();
    ObjectNode body = Json.object();
    if (report.ready()) {
      body.put("result", "ok");
    } else {
      body.putObject("error").put("code", ErrorCode.NOT_READY.wire()).put("message", "Not ready: " + report.results().stream()
          .filter(r -> !r.passed()).map(r -> r.name() + " (" + r.problem().get() + ")").collect(Collectors.joining("; ")) + ".");
    }
    body.put("checked_at", Timestamps.zulu(report.checkedAt()));
    ObjectNode checks = body.putObject("checks");
    for (Readiness.Result r : report.results()) {
      ObjectNode c = checks.putObject(r.name()).put("status", r.passed() ? "ok" : "failed");
      r.problem().ifPresent(p -> c.put("message", p));
      c.put("duration_ms", r.took().toMillis());
    }
    ctx.header("Cache-Control", "no-store");
    Responses.json(ctx, report.ready() ? 200 : 503, body);
  }
}

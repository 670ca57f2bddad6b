package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.action.ActionService;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /action/trigger}, with Nango's headers ({@code Connection-Id}, {@code Provider-Config-Key}) and body
 * ({@code {"action_name", "input"}}); the action's output is the whole answer. Actions run synchronously:
 * {@code X-Async: true} is refused rather than answered in another shape than the caller asked for.
 * {@code X-Max-Retries} (0 to 5) is accepted and has no effect: a write is retried only when Graph cannot have
 * applied it, whatever the header says.
 */
final class ActionsHandler {
  static final int MAX_RETRIES_HEADER = 5;

  private final ActionService actions;

  ActionsHandler(ActionService actions) {
    this.actions = actions;
  }

  void trigger(Context ctx) {
    List<FieldError> headers = new ArrayList<>();
    String connection = header(ctx, "Connection-Id", headers);
    String key = header(ctx, "Provider-Config-Key", headers);
    String async = ctx.header("X-Async");
    if (async != null && !async.isBlank() && !async.trim().equalsIgnoreCase("false")) {
      headers.add(new FieldError(FieldError.Kind.INVALID_VALUE, "Graphgate runs actions synchronously: send X-Async: false, or no X-Async header",
          List.of("x-async")));
    }
    String retries = ctx.header("X-Max-Retries");
    if (retries != null && !retries.isBlank() && !retries.trim().matches("[0-" + MAX_RETRIES_HEADER + "]")) {
      headers.add(new FieldError(FieldError.Kind.INVALID_VALUE, "Expected a whole number from 0 to " + MAX_RETRIES_HEADER, List.of("x-max-retries")));
    }
    if (!headers.isEmpty()) {
      throw InvalidRequest.headers("Send the Connection-Id and Provider-Config-Key headers (and valid X-Async, X-Max-Retries if any)", headers);
    }
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("action_name", "input"));
    String name = f.requiredString("action_name", 1, 255);
    JsonNode input = f.any("input").orElse(null);
    f.done();
    Responses.json(ctx, 200, actions.trigger(key, connection, name, input));
  }

  private static String header(Context ctx, String name, List<FieldError> errors) {
    String v = ctx.header(name);
    if (v == null || v.isBlank()) {
      errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received undefined", List.of(name.toLowerCase(java.util.Locale.ROOT))));
      return null;
    }
    return v.trim();
  }
}

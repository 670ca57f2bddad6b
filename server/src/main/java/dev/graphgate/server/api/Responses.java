package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import io.javalin.http.Context;

final class Responses {
  private Responses() {}

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  static void success(Context ctx) {
    json(ctx, 200, Json.object().put("success", true));
  }
}

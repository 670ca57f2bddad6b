package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.Json;
import dev.graphgate.server.provider.Provider;
import dev.graphgate.server.provider.ProviderRegistry;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Set;

/** {@code GET /providers} and {@code GET /providers/{provider}}. */
final class ProvidersHandler {
  private final ProviderRegistry providers;
  private final ApiJson json;

  ProvidersHandler(ProviderRegistry providers, ApiJson json) {
    this.providers = providers;
    this.json = json;
  }

  void list(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("search"), Set.of());
    String search = Requests.query(ctx, "search").map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
    ObjectNode body = Json.object();
    ArrayNode data = body.putArray("data");
    for (Provider p : providers.all()) {
      if (p.name().contains(search) || p.displayName().toLowerCase(Locale.ROOT).contains(search)) {
        data.add(json.provider(p));
      }
    }
    Responses.json(ctx, 200, body);
  }

  void get(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    String name = ctx.pathParam("provider");
    Provider p = providers.find(name).orElseThrow(() -> new NotFound("Unknown provider " + name));
    ObjectNode body = Json.object();
    body.set("data", json.provider(p));
    Responses.json(ctx, 200, body);
  }
}

package dev.graphgate.emulator.graph.route;

import dev.graphgate.emulator.graph.auth.Caller;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.http.GraphRequest;
import java.util.Map;

/** A request matched to a route: the request, who made it, the tenant's data and the path parameters. */
public record GraphCall(GraphRequest request, Caller caller, TenantData data, Map<String, String> params) {

  public GraphCall {
    params = Map.copyOf(params);
  }

  public String param(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no parameter " + name);
    }
    return value;
  }
}

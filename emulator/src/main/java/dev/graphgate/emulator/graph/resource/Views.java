package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the resource handlers: single-entity answers and {@code @odata.context} values. */
final class Views {

  private Views() {}

  static GraphResponse entity(GraphRequest request, int status, String context, Map<String, Object> view) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", request.root() + "/$metadata#" + context);
    body.putAll(view);
    return GraphResponse.json(status, body);
  }

  /** {@code users} or {@code users(id,displayName)} when a $select was given. */
  static String withSelect(String context, List<String> select) {
    return select == null ? context : context + "(" + String.join(",", select) + ")";
  }

  static String quoted(String id) {
    return "('" + id.replace("'", "''") + "')";
  }
}

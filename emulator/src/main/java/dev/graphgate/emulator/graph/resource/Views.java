package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.store.Hashing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small helpers shared by the resource handlers: single-entity answers, {@code @odata.context} values, and what Outlook
 * items (messages, events) share.
 */
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

  /**
   * The {@code changeKey}, {@code @odata.etag} and {@code lastModifiedDateTime} an Outlook item gets with each write;
   * the change key (prefixed by item type, as Exchange's are) differs per write and per item.
   */
  static Map<String, Object> outlookStamp(String changeKeyPrefix, TenantData data, long salt) {
    String changeKey = changeKeyPrefix + Long.toHexString(Hashing.hash(data.changes().head() + 1, salt)).toUpperCase(Locale.ROOT);
    return Map.of("@odata.etag", "W/\"" + changeKey + "\"", "changeKey", changeKey, "lastModifiedDateTime", data.now());
  }

  /** An HTML body as plain text on one line, what {@code bodyPreview} is made of. */
  static String plainText(String html) {
    return html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
  }
}

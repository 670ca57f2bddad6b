package dev.graphgate.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code POST .../$batch} body, read once (it is small: at most 20 requests) for two reasons.
 *
 * <p><b>SDK item URLs.</b> Microsoft's Java SDK writes each item's {@code url} as the request path minus its first
 * five characters, assuming the path starts with {@code /v1.0} or {@code /beta}. Behind {@code /proxy} the path
 * {@code /proxy/v1.0/users} becomes {@code y/v1.0/users}, which Graph would read as {@code /v1.0/y/v1.0/users}. Items
 * that start with exactly that mangled prefix (or with the full {@code /proxy/v1.0/}) are given back their path
 * relative to the version root. A real Graph URL never starts with {@code y/v1.0/}, so nothing else is touched.
 *
 * <p><b>Idempotency.</b> A batch whose items are all GET (or HEAD) changes nothing, so it is retried like a GET.
 */
record BatchRequests(byte[] body, boolean readOnly) {

  /**
   * @param body the batch as the client sent it
   * @param clientVersionRoot the version root as the client addressed it through the proxy, e.g. {@code /proxy/v1.0}
   */
  static BatchRequests prepare(byte[] body, String clientVersionRoot) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return new BatchRequests(body, false);
    }
    if (root == null || !root.path("requests").isArray()) {
      return new BatchRequests(body, false);
    }
    String full = clientVersionRoot + "/";
    String mangled = full.length() > 5 ? full.substring(5) : null;
    boolean changed = false;
    boolean readOnly = !root.path("requests").isEmpty();
    for (JsonNode item : root.path("requests")) {
      String method = item.path("method").asText("").toUpperCase(Locale.ROOT);
      readOnly &= method.equals("GET") || method.equals("HEAD");
      Optional<String> fixed = fix(item.path("url").asText(null), full, mangled);
      if (fixed.isPresent() && item instanceof ObjectNode o) {
        o.put("url", fixed.get());
        changed = true;
      }
    }
    if (!changed) {
      return new BatchRequests(body, readOnly);
    }
    try {
      return new BatchRequests(Json.MAPPER.writeValueAsBytes(root), readOnly);
    } catch (IOException e) {
      return new BatchRequests(body, readOnly);
    }
  }

  private static Optional<String> fix(String url, String full, String mangled) {
    if (url == null) {
      return Optional.empty();
    }
    if (url.startsWith(full)) {
      return Optional.of("/" + url.substring(full.length()));
    }
    if (mangled != null && !mangled.isEmpty() && url.startsWith(mangled)) {
      return Optional.of("/" + url.substring(mangled.length()));
    }
    return Optional.empty();
  }
}

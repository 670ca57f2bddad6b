package dev.graphgate.server.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.Json;
import dev.graphgate.server.graph.PermissionCheck;
import dev.graphgate.server.permission.PermissionService;
import dev.graphgate.server.proxy.GraphProxy;
import dev.graphgate.server.proxy.ProxyCall;
import dev.graphgate.server.proxy.ProxyExchange;
import dev.graphgate.server.proxy.ProxyRequest;
import dev.graphgate.server.proxy.RequestHeaders;
import dev.graphgate.server.proxy.ResponseSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Explorer's one call: a Graph request written in the dashboard, sent through {@link GraphProxy} exactly as
 * {@code /proxy} sends one (the same connection lookup, token, retries, gates and request log entry), with the answer
 * captured for the page: status, headers, body (at most {@link #MAX_BODY} bytes kept), attempts, waits and time.
 */
public final class Explorer {
  /** The largest answer body the page is shown; the rest is counted and dropped. */
  public static final int MAX_BODY = 2 * 1024 * 1024;
  static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
  static final List<String> VERSIONS = List.of("v1.0", "beta");

  private final GraphProxy proxy;
  private final PermissionService permissions;

  public Explorer(GraphProxy proxy, PermissionService permissions) {
    this.proxy = proxy;
    this.permissions = permissions;
  }

  /**
   * What the request needs by Graphgate's permission table, and whether the connection's token carries it: shown
   * before the request is sent, and with Graph's 403 after.
   */
  public ObjectNode permissions(String integrationKey, String connectionId, String method, String version, String pathAndQuery) {
    return json(permissions.check(integrationKey, connectionId, method.toUpperCase(Locale.ROOT), "/" + version + pathAndQuery), false);
  }

  private static ObjectNode json(PermissionService.RequestCheck request, boolean refused) {
    PermissionCheck check = request.check();
    ObjectNode n = Json.object().put("verdict", check.verdict().name().toLowerCase(Locale.ROOT))
        .put("sentence", refused ? check.refusalSentence() : check.sentence());
    check.template().ifPresent(t -> n.put("template", t));
    check.accepted().forEach(n.putArray("accepted")::add);
    check.carried().forEach(n.putArray("carried")::add);
    check.docs().forEach(n.putArray("docs")::add);
    request.adminConsentUrl().ifPresent(u -> n.put("admin_consent_url", u));
    return n;
  }

  /** What the page asked to send. {@code pathAndQuery} is relative to the version, such as {@code /users?$top=5}. */
  public record Call(String integrationKey, String connectionId, String method, String version, String pathAndQuery,
      Map<String, String> headers, Optional<String> body) {}

  /** Sends {@code call}; a refusal by the proxy (unknown connection, no token) is an answer too, with its code. */
  public ObjectNode send(Call call, String publicBase) {
    String method = call.method().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw GraphgateException.InvalidRequest.bodyField("Expected one of " + METHODS, "method");
    }
    if (!VERSIONS.contains(call.version())) {
      throw GraphgateException.InvalidRequest.bodyField("Expected v1.0 or beta", "version");
    }
    String pq = call.pathAndQuery().trim();
    if (!pq.startsWith("/") || pq.startsWith("//") || pq.contains("\\") || pq.contains("#") || pq.chars().anyMatch(c -> c <= ' ')) {
      throw GraphgateException.InvalidRequest.bodyField("Expected a path such as /users?$top=5, without spaces (encode them as %20)", "path");
    }
    int q = pq.indexOf('?');
    String path = "/" + call.version() + (q < 0 ? pq : pq.substring(0, q));
    String query = q < 0 ? null : pq.substring(q + 1);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    call.headers().forEach((k, v) -> headers.put(k, List.of(v)));
    headers.put("Connection-Id", List.of(call.connectionId()));
    headers.put("Provider-Config-Key", List.of(call.integrationKey()));
    byte[] body = call.body().map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
    if (body.length > 0 && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
      headers.put("Content-Type", List.of("application/json"));
    }
    ObjectNode out = Json.object();
    out.put("method", method).put("url", path + (query == null ? "" : "?" + query));
    long started = System.nanoTime();
    try {
      ProxyRequest request = ProxyRequest.parse(method, path, query, new MapHeaders(headers));
      ProxyExchange exchange = proxy.forward(new ProxyCall(request, new ByteArrayInputStream(body), body.length, body.length > 0, publicBase));
      Captured captured = new Captured();
      try {
        exchange.writeTo(captured, false);
      } catch (IOException e) {
        out.put("broken_off", "Microsoft's answer broke off after " + captured.counted + " bytes");
      }
      out.put("status", captured.status);
      out.put("attempts", exchange.attempts());
      out.put("waited_ms", exchange.waited().toMillis());
      ObjectNode h = out.putObject("headers");
      captured.headers.forEach((k, v) -> h.put(k, String.join(", ", v)));
      out.put("body", captured.out.toString(StandardCharsets.UTF_8));
      out.put("body_bytes", captured.counted);
      out.put("truncated", captured.counted > MAX_BODY);
      if (captured.status == 403) {
        out.set("permission_check", permissionsAfterRefusal(call, method));
      }
    } catch (GraphgateException e) {
      // Refused before or instead of Graph's answer: shown as the API would answer it.
      out.put("status", e.status());
      out.put("attempts", 0);
      out.put("waited_ms", 0);
      out.putObject("headers");
      out.putObject("error").put("code", e.code()).put("message", e.getMessage());
      out.put("body", Json.write(Json.object().set("error", Json.object().put("code", e.code()).put("message", e.getMessage()))));
    }
    out.put("duration_ms", (System.nanoTime() - started) / 1_000_000);
    return out;
  }

  private ObjectNode permissionsAfterRefusal(Call call, String method) {
    try {
      return json(permissions.check(call.integrationKey(), call.connectionId(), method, "/" + call.version() + call.pathAndQuery().trim()), true);
    } catch (GraphgateException e) {
      // No token to judge by right now: the answer stands without the diagnosis.
      return Json.object().put("verdict", "unknown").put("sentence", e.getMessage());
    }
  }

  private record MapHeaders(Map<String, List<String>> map) implements RequestHeaders {
    @Override
    public Iterable<String> names() {
      return map.keySet();
    }

    @Override
    public List<String> values(String name) {
      for (Map.Entry<String, List<String>> e : map.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return List.of();
    }
  }

  /** The answer, kept in memory up to {@link #MAX_BODY} bytes. */
  private static final class Captured implements ResponseSink {
    int status;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    long counted;

    @Override
    public void status(int s) {
      status = s;
    }

    @Override
    public void header(String name, String value) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }

    @Override
    public void contentLength(long length) {}

    @Override
    public OutputStream body() {
      return new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          long room = MAX_BODY - counted;
          if (room > 0) {
            out.write(b, off, (int) Math.min(room, len));
          }
          counted += len;
        }
      };
    }
  }
}

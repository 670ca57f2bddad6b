package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.graph.PermissionCheck;
import dev.graphgate.server.permission.PermissionService;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /connections/{connectionId}/permissions?provider_config_key=…}: what the connection's token grants, what
 * the enabled syncs and the actions need, what is missing (docs/connections-and-tokens.md); with {@code method} and
 * {@code path}, also whether that one Graph request would be allowed.
 */
final class PermissionsHandler {
  private static final Set<String> QUERY = Set.of("provider_config_key", "method", "path");
  private static final Pattern METHOD = Pattern.compile("GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS");

  private final PermissionService permissions;

  PermissionsHandler(PermissionService permissions) {
    this.permissions = permissions;
  }

  void get(Context ctx) {
    Requests.onlyQuery(ctx, QUERY, Set.of());
    String key = Requests.requiredQuery(ctx, "provider_config_key");
    Optional<String> method = Requests.query(ctx, "method").map(m -> m.toUpperCase(Locale.ROOT));
    Optional<String> path = Requests.query(ctx, "path");
    if (method.isPresent() != path.isPresent()) {
      throw InvalidRequest.query(FieldError.Kind.INVALID_TYPE, "Invalid input: method and path go together", method.isPresent() ? "path" : "method");
    }
    if (method.isPresent() && !METHOD.matcher(method.get()).matches()) {
      throw InvalidRequest.query(FieldError.Kind.INVALID_ENUM_VALUE, "Invalid enum value. Expected one of GET, POST, PUT, PATCH, DELETE, HEAD,"
          + " OPTIONS", "method");
    }
    if (path.isPresent() && !path.get().startsWith("/")) {
      throw InvalidRequest.query(FieldError.Kind.INVALID_STRING, "Invalid input: a Graph path such as /v1.0/users", "path");
    }
    String connectionId = ctx.pathParam("connectionId");
    PermissionService.Report report = permissions.report(key, connectionId);
    ObjectNode body = Json.object();
    body.put("connection_id", report.connection().connectionId());
    body.put("provider_config_key", report.connection().integrationKey());
    body.put("tenant_id", report.connection().tenantId().value());
    if (report.rolesReadable()) {
      strings(body.putArray("roles"), report.roles());
    } else {
      body.putNull("roles");
    }
    work(body.putArray("syncs"), report.syncs());
    work(body.putArray("actions"), report.actions());
    strings(body.putArray("missing"), report.missing());
    body.put("admin_consent_url", report.adminConsentUrl().orElse(null));
    if (method.isPresent()) {
      PermissionService.RequestCheck r = permissions.check(key, connectionId, method.get(), path.get());
      body.set("request", check(r));
    }
    Responses.json(ctx, 200, body);
  }

  private static void work(ArrayNode out, List<PermissionService.Work> work) {
    for (PermissionService.Work w : work) {
      ObjectNode n = out.addObject();
      n.put("name", w.name());
      n.put("satisfied", w.satisfied());
      ArrayNode needs = n.putArray("needs");
      for (PermissionService.Need need : w.needs()) {
        ObjectNode o = needs.addObject();
        o.put("purpose", need.purpose());
        strings(o.putArray("one_of"), need.oneOf());
        o.put("satisfied", need.satisfied());
      }
    }
  }

  /** The Explorer's check as JSON (the dashboard renders the same fields). */
  static ObjectNode check(PermissionService.RequestCheck r) {
    PermissionCheck c = r.check();
    ObjectNode n = Json.object();
    n.put("method", c.method());
    n.put("verdict", c.verdict().name().toLowerCase(Locale.ROOT));
    n.put("allowed", c.allowed());
    n.put("family", c.family().orElse(null));
    n.put("template", c.template().orElse(null));
    strings(n.putArray("accepted"), c.accepted());
    strings(n.putArray("carried"), c.carried());
    strings(n.putArray("docs"), c.docs());
    n.put("sentence", c.sentence());
    n.put("admin_consent_url", r.adminConsentUrl().orElse(null));
    return n;
  }

  private static void strings(ArrayNode out, List<String> values) {
    values.forEach(out::add);
  }
}

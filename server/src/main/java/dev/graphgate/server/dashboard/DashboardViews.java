package dev.graphgate.server.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.Json;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionKey;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.ConnectionSummary;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.observe.ProxyLogEntry;
import dev.graphgate.server.observe.ProxyLogQuery;
import dev.graphgate.server.observe.RequestLogReader;
import dev.graphgate.server.permission.PermissionService;
import dev.graphgate.server.sync.SyncService;
import dev.graphgate.server.sync.SyncState;
import dev.graphgate.server.webhook.Delivery;
import dev.graphgate.server.webhook.Webhooks;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard's pages show, as JSON for their scripts: read from the services (connections and tokens from
 * memory where the API serves them from memory), and the request log through its one query. Nothing here writes.
 */
public final class DashboardViews {
  /** Connections per page of the connections list. */
  public static final int PAGE_SIZE = 50;
  static final int RECENT = 20;

  private final IntegrationService integrations;
  private final ConnectionService connections;
  private final SyncService syncs;
  private final Webhooks webhooks;
  private final RequestLogReader logs;
  private final AdminConsentLinks consentLinks;
  private final PermissionService permissions;
  private final InstantSource clock;

  public DashboardViews(IntegrationService integrations, ConnectionService connections, SyncService syncs, Webhooks webhooks,
      RequestLogReader logs, AdminConsentLinks consentLinks, PermissionService permissions, InstantSource clock) {
    this.permissions = permissions;
    this.integrations = integrations;
    this.connections = connections;
    this.syncs = syncs;
    this.webhooks = webhooks;
    this.logs = logs;
    this.consentLinks = consentLinks;
    this.clock = clock;
  }

  public ObjectNode integrations() {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("integrations");
    integrations.list().stream().sorted(Comparator.comparing(Integration::uniqueKey)).forEach(i -> {
      ObjectNode n = list.addObject().put("unique_key", i.uniqueKey()).put("provider", i.provider())
          .put("display_name", i.displayName().orElse(i.uniqueKey())).put("shared_credentials", i.sharedCredentials().isPresent())
          .put("created_at", i.createdAt().toString());
      ArrayNode enabled = n.putArray("syncs");
      syncs.offered(i.uniqueKey()).stream().filter(SyncService.Offered::enabled).forEach(o -> enabled.add(o.sync().name()));
    });
    return out;
  }

  /**
   * A page of connections, newest first, whose connection id starts with {@code search} (case-sensitive), continuing
   * after the connection {@code cursor} names (the {@code next_cursor} of the page before).
   */
  public ObjectNode connections(Optional<String> search, Optional<String> integration, Optional<Long> cursor) {
    List<ConnectionSummary> rows = connections.browse(search, integration, cursor, PAGE_SIZE + 1);
    boolean more = rows.size() > PAGE_SIZE;
    rows = rows.subList(0, Math.min(rows.size(), PAGE_SIZE));
    ObjectNode out = Json.object().put("page_size", PAGE_SIZE).put("has_more", more)
        .put("next_cursor", more ? Long.toString(rows.get(rows.size() - 1).id()) : null);
    ArrayNode list = out.putArray("connections");
    for (ConnectionSummary s : rows) {
      ObjectNode n = list.addObject().put("connection_id", s.connectionId()).put("provider_config_key", s.integrationKey())
          .put("status", s.status().wireName()).put("created_at", s.createdAt().toString());
      s.endUser().ifPresent(u -> n.set("end_user", u));
      ObjectNode tags = n.putObject("tags");
      s.tags().forEach(tags::put);
      // Token facts from memory, when this instance holds the connection.
      connections.cached(new ConnectionKey(s.integrationKey(), s.connectionId())).ifPresent(c -> {
        n.put("tenant_id", c.tenantId().value());
        c.token().ifPresent(t -> token(n, t));
      });
    }
    return out;
  }

  /** Everything the connection page shows: the connection, its syncs, recent webhook deliveries and requests. */
  public ObjectNode connection(String integrationKey, String connectionId) {
    Connection c = connections.get(integrationKey, connectionId);
    ObjectNode out = Json.object();
    ObjectNode n = out.putObject("connection").put("connection_id", c.connectionId()).put("provider_config_key", c.integrationKey())
        .put("provider", c.provider()).put("tenant_id", c.tenantId().value()).put("client_id", c.credentials().clientId())
        .put("status", c.health().status().wireName()).put("message", c.health().message().orElse(null))
        .put("created_at", c.createdAt().toString()).put("updated_at", c.updatedAt().toString());
    c.health().lastRefreshSuccess().ifPresent(t -> n.put("last_refresh_success", t.toString()));
    c.health().lastRefreshFailure().ifPresent(t -> n.put("last_refresh_failure", t.toString()));
    if (c.health().needsAdminConsent()) {
      n.put("admin_consent_url", consentLinks.forConnection(c));
    }
    c.endUser().ifPresent(u -> n.set("end_user", u));
    ObjectNode tags = n.putObject("tags");
    c.tags().forEach(tags::put);
    c.token().ifPresent(t -> token(n, t));
    out.set("syncs", syncs(integrationKey, connectionId));
    permissions(out.putObject("permissions"), integrationKey, connectionId);
    ArrayNode deliveries = out.putArray("webhook_deliveries");
    webhooks.deliveriesOf(integrationKey, connectionId, RECENT).forEach(d -> delivery(deliveries.addObject(), d));
    out.set("requests", logs(new ProxyLogQuery(Optional.of(integrationKey), Optional.of(connectionId), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), RECENT)).path("logs"));
    return out;
  }

  /** What the enabled syncs and the actions need that the token lacks (GET /connections/{id}/permissions' report). */
  private void permissions(ObjectNode n, String integrationKey, String connectionId) {
    PermissionService.Report report;
    try {
      report = permissions.report(integrationKey, connectionId);
    } catch (GraphgateException e) {
      // No token to judge by (Entra refused, or unreachable): the status above says why.
      n.put("unavailable", e.getMessage());
      return;
    }
    report.missing().forEach(n.putArray("missing")::add);
    report.adminConsentUrl().ifPresent(u -> n.put("admin_consent_url", u));
    ArrayNode unmet = n.putArray("unmet");
    for (PermissionService.Work w : concat(report.syncs(), report.actions())) {
      for (PermissionService.Need need : w.needs()) {
        if (!need.satisfied()) {
          ObjectNode u = unmet.addObject().put("kind", w.kind()).put("name", w.name()).put("purpose", need.purpose());
          need.oneOf().forEach(u.putArray("one_of")::add);
        }
      }
    }
  }

  private static List<PermissionService.Work> concat(List<PermissionService.Work> a, List<PermissionService.Work> b) {
    List<PermissionService.Work> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private ArrayNode syncs(String integrationKey, String connectionId) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (SyncService.Status s : syncs.status(integrationKey, Optional.of(connectionId), List.of())) {
      SyncState st = s.state();
      ObjectNode n = list.addObject().put("name", s.sync().name()).put("model", s.sync().model()).put("running", s.running())
          .put("paused", st.paused()).put("frequency_seconds", st.frequency().toSeconds()).put("records", s.recordCount())
          .put("requested", st.runRequested());
      String state = st.paused() ? "paused" : s.running() || st.running() ? "running" : st.lastStatus().map(String::toLowerCase).orElse("not run yet");
      n.put("state", state);
      s.nextRun().ifPresent(t -> n.put("next_run", t.toString()));
      if (st.running()) {
        ObjectNode run = n.putObject("current_run").put("started_at", st.runStartedAt().get().toString()).put("type", st.runType().orElse(null));
        counters(run, st.run());
      }
      st.lastStatus().ifPresent(v -> {
        ObjectNode last = n.putObject("last_run").put("status", v).put("type", st.lastType().orElse(null));
        st.lastFinishedAt().ifPresent(t -> last.put("finished_at", t.toString()));
        // Its added, updated and deleted are kept; its pages and records are not (so not shown as zeros).
        st.last().ifPresent(r -> last.put("added", r.added()).put("updated", r.updated()).put("deleted", r.deleted()));
      });
      st.errorCode().ifPresent(code -> n.putObject("error").put("code", code).put("message", st.errorMessage().orElse(null)));
    }
    return list;
  }

  private static void counters(ObjectNode n, SyncState.RunCounters r) {
    n.put("pages", r.pages()).put("records", r.records()).put("added", r.added()).put("updated", r.updated()).put("deleted", r.deleted());
    r.estimatedTotal().ifPresent(t -> n.put("estimated_total", t));
  }

  private void token(ObjectNode n, AccessToken t) {
    Instant now = clock.instant();
    n.put("token_expires_at", t.expiresAt().toString()).put("token_valid", t.isValidAt(now)).put("token_obtained_at", t.obtainedAt().toString());
    ArrayNode roles = n.putArray("granted_permissions");
    t.roles().orElse(List.of()).stream().sorted().forEach(roles::add);
  }

  public static void delivery(ObjectNode n, Delivery d) {
    n.put("id", Long.toString(d.id())).put("event_id", d.eventId()).put("type", d.eventType()).put("operation", d.operation().orElse(null))
        .put("destination", d.destination()).put("status", d.status().wireName()).put("attempts", d.attempts())
        .put("attempt_limit", d.attemptLimit()).put("next_attempt_at", d.nextAttemptAt().toString()).put("created_at", d.createdAt().toString());
    d.lastStatus().ifPresent(s -> n.put("last_status", s));
    d.lastError().ifPresent(e -> n.put("last_error", e));
    d.deliveredAt().ifPresent(t -> n.put("delivered_at", t.toString()));
  }

  /** A page of the request log, newest first; {@code next_cursor} continues it. */
  public ObjectNode logs(ProxyLogQuery q) {
    List<ProxyLogEntry> page = logs.page(q);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("logs");
    for (ProxyLogEntry e : page) {
      list.addObject().put("id", Long.toString(e.id())).put("created_at", e.createdAt().toString())
          .put("provider_config_key", e.integrationKey().orElse(null)).put("connection_id", e.connectionId().orElse(null))
          .put("method", e.method()).put("path", e.path()).put("base_url", e.baseUrl().orElse(null)).put("status", e.status())
          .put("attempts", e.attempts()).put("waited_ms", e.waitedMillis()).put("duration_ms", e.durationMillis())
          .put("request_bytes", e.requestBytes()).put("response_bytes", e.responseBytes())
          .put("upstream_request_id", e.upstreamRequestId().orElse(null)).put("error", e.errorCode().orElse(null))
          .put("permission_hint", e.permissionHint().orElse(null));
    }
    out.put("next_cursor", page.size() == q.limit() && !page.isEmpty() ? Long.toString(page.get(page.size() - 1).id()) : null);
    return out;
  }
}

package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.InvalidJson;
import dev.graphgate.server.Json;
import dev.graphgate.server.notification.NotificationReceiver;
import dev.graphgate.server.notification.Notifications;
import dev.graphgate.server.notification.Subscription;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Graph's side: {@code POST /webhook/{environment}/{integration}} (no API key: Graph holds none; each notification is
 * checked against its subscription's clientState instead), the validation handshake answered {@code text/plain} with
 * exactly the token, never HTML; a batch answered {@code 202} once stored. The API's side:
 * {@code GET /connections/{connectionId}/subscriptions}, the Graph subscriptions Graphgate keeps for a connection.
 */
final class NotificationsHandler {
  static final String WEBHOOK = "/webhook/";

  private final Notifications notifications;

  NotificationsHandler(Notifications notifications) {
    this.notifications = notifications;
  }

  void receive(Context ctx) {
    NotificationReceiver receiver = notifications.receiver();
    String environment = ctx.pathParam("environment");
    String integration = ctx.pathParam("integration");
    String token = ctx.queryParam("validationToken");
    if (token != null) {
      String echoed = receiver.handshake(environment, integration, token);
      // The exact token as the whole body; nosniff so no browser ever reads it as HTML.
      ctx.status(200).header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store")
          .contentType("text/plain; charset=utf-8").result(echoed.getBytes(StandardCharsets.UTF_8));
      return;
    }
    JsonNode body = RequestJson.read(ctx.bodyAsBytes());
    if (body == null) {
      throw new InvalidJson("Expected Graph's {\"value\":[…]} of change notifications, or a validationToken query parameter");
    }
    NotificationReceiver.Accepted accepted = receiver.receive(environment, integration, body);
    Responses.json(ctx, 202, Json.object().put("stored", accepted.stored()).put("duplicates", accepted.duplicates())
        .put("dropped", accepted.dropped()));
  }

  void subscriptions(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("provider_config_key"), Set.of());
    String key = Requests.query(ctx, "provider_config_key").or(() -> Optional.ofNullable(ctx.header("Provider-Config-Key")))
        .orElseThrow(dev.graphgate.server.GraphgateException.SyncRefused::missingProviderConfigKey);
    ObjectNode body = Json.object();
    body.put("enabled", notifications.enabled());
    body.set("subscriptions", json(notifications.forConnection(key, ctx.pathParam("connectionId"))));
    Responses.json(ctx, 200, body);
  }

  /** The subscriptions as the API shows them (never the clientState). */
  static ArrayNode json(List<Subscription> subscriptions) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (Subscription s : subscriptions) {
      ObjectNode n = list.addObject();
      n.put("sync", s.syncName()).put("resource", s.resource()).put("change_type", s.changeType());
      n.put("subscription_id", s.graphId().orElse(null)).put("status", s.status().wire());
      n.put("expires_at", s.expiresAt().map(Timestamps::zulu).orElse(null));
      n.put("next_action", s.action().wire()).put("next_action_at", Timestamps.zulu(s.dueAt()));
      n.put("renewals", s.renewals()).put("failures", s.failures()).put("last_error", s.lastError().orElse(null));
      n.put("created_at", Timestamps.zulu(s.createdAt())).put("updated_at", Timestamps.zulu(s.updatedAt()));
    }
    return list;
  }
}

package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.webhook.Delivery;
import dev.graphgate.server.webhook.WebhookSettings;
import dev.graphgate.server.webhook.WebhookSettingsService;
import dev.graphgate.server.webhook.WebhookUrlPolicy;
import dev.graphgate.server.webhook.Webhooks;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Graphgate's webhook routes (secret key): the settings ({@code GET}/{@code PATCH /webhooks/settings}), Nango's key
 * rotation ({@code POST /environment/webhook-signing-key/rotate}), the deliveries ({@code GET /webhooks/deliveries})
 * and a retry ({@code POST /webhooks/deliveries/{id}/retry}). The signing key is never answered, except the new one a
 * rotation makes, once.
 */
final class WebhooksHandler {
  static final String SETTINGS = "/webhooks/settings";
  static final String ROTATE = "/environment/webhook-signing-key/rotate";
  static final String DELIVERIES = "/webhooks/deliveries";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  private static final Set<String> PATCH_KEYS;

  static {
    Set<String> keys = new HashSet<>(WebhookConfig.SWITCHES);
    keys.addAll(List.of("primary_url", "secondary_url", "signing_key"));
    PATCH_KEYS = Set.copyOf(keys);
  }

  private final Webhooks webhooks;
  private final InstantSource clock;

  WebhooksHandler(Webhooks webhooks, InstantSource clock) {
    this.webhooks = webhooks;
    this.clock = clock;
  }

  void settings(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Requests.noBody(ctx);
    Responses.json(ctx, 200, settingsJson(webhooks.settings().settings()));
  }

  /**
   * {@code PATCH /webhooks/settings}: absent keys keep what is stored; {@code ""} or {@code null} clears a URL. Every
   * field is checked before anything is written.
   */
  void patch(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Fields f = Fields.body(Requests.jsonObject(ctx), PATCH_KEYS);
    Optional<Optional<String>> primary = url(f, "primary_url");
    Optional<Optional<String>> secondary = url(f, "secondary_url");
    Map<String, Boolean> switches = new LinkedHashMap<>();
    for (String s : WebhookConfig.SWITCHES) {
      f.bool(s).ifPresent(v -> switches.put(s, v));
    }
    Optional<Secret> key = f.string("signing_key", 16, 256).map(s -> {
      if (!WebhookConfig.isSigningKey(s)) {
        f.error(FieldError.Kind.INVALID_STRING, "Invalid signing key: use visible ASCII characters only (no spaces)", "signing_key");
      }
      return Secret.of(s);
    });
    f.done();
    WebhookSettings stored = webhooks.settings().change(new WebhookSettingsService.Change(primary, secondary, switches, key));
    Responses.json(ctx, 200, settingsJson(stored));
  }

  /** Nango's route and answer: the new key, this once. */
  void rotate(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Secret key = webhooks.settings().rotate();
    ObjectNode body = Json.object();
    body.putObject("data").put("webhook_signing_key", key.reveal());
    Responses.json(ctx, 200, body);
  }

  void deliveries(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("status", "limit", "page"), Set.of());
    Optional<Delivery.Status> status = Requests.query(ctx, "status").map(s -> Delivery.Status.fromWireName(s).orElseThrow(() ->
        InvalidRequest.query(FieldError.Kind.INVALID_ENUM_VALUE,
            "Invalid option: expected one of \"pending\"|\"sending\"|\"delivered\"|\"failed\"|\"skipped\"", "status")));
    int limit = Requests.intQuery(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    int page = Requests.intQuery(ctx, "page", 0, 1_000_000, 0);
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("data");
    webhooks.deliveries(status, limit, page).forEach(d -> list.add(deliveryJson(d)));
    Responses.json(ctx, 200, body);
  }

  void retry(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw InvalidRequest.uriParams(FieldError.Kind.INVALID_TYPE, "Expected the numeric id of a delivery, as GET /webhooks/deliveries lists it",
          "id");
    }
    ObjectNode body = Json.object();
    body.set("data", deliveryJson(webhooks.retry(id)));
    Responses.json(ctx, 200, body);
  }

  private static Optional<Optional<String>> url(Fields f, String key) {
    if (f.isExplicitNull(key)) {
      return Optional.of(Optional.empty());
    }
    return f.string(key, 0, WebhookUrlPolicy.MAX_URL_LENGTH).map(s -> s.isEmpty() ? Optional.<String>empty() : Optional.of(s));
  }

  private ObjectNode settingsJson(WebhookSettings s) {
    ObjectNode body = Json.object();
    ObjectNode d = body.putObject("data");
    d.put("primary_url", s.primaryUrl().orElse(null));
    d.put("secondary_url", s.secondaryUrl().orElse(null));
    WebhookConfig.SWITCHES.forEach(name -> d.put(name, s.on(name)));
    d.put("signing_key_set", s.signingKey().isPresent());
    d.put("previous_signing_key_until", s.previousKeyAt(clock.instant()).isPresent()
        ? Timestamps.zulu(s.previousKeyUntil().orElseThrow()) : null);
    return body;
  }

  private static ObjectNode deliveryJson(Delivery d) {
    ObjectNode n = Json.object();
    n.put("id", d.id());
    n.put("event_id", d.eventId());
    n.put("event_type", d.eventType());
    n.put("operation", d.operation().orElse(null));
    n.put("destination", d.destination());
    n.put("status", d.status().wireName());
    n.put("attempts", d.attempts());
    n.put("max_attempts", d.attemptLimit());
    n.put("next_attempt_at", d.status() == Delivery.Status.PENDING ? Timestamps.zulu(d.nextAttemptAt()) : null);
    n.put("last_status", d.lastStatus().orElse(null));
    n.put("last_error", d.lastError().orElse(null));
    n.put("delivered_at", d.deliveredAt().map(Timestamps::zulu).orElse(null));
    n.put("created_at", Timestamps.zulu(d.createdAt()));
    return n;
  }
}

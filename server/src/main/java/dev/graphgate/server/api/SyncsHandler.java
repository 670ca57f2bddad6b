package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.SyncRefused;
import dev.graphgate.server.Json;
import dev.graphgate.server.notification.Notifications;
import dev.graphgate.server.notification.Subscription;
import dev.graphgate.server.sync.SyncFrequency;
import dev.graphgate.server.sync.SyncService;
import dev.graphgate.server.sync.SyncState;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sync routes, with Nango's bodies and headers: {@code POST /sync/trigger}, {@code /sync/start}, {@code /sync/pause},
 * {@code GET /sync/status}, {@code PUT /sync/update-connection-frequency}; and Graphgate's own
 * {@code GET|PUT /integrations/{key}/syncs}, which say which pre-built syncs an integration runs.
 */
final class SyncsHandler {
  static final int MAX_SYNCS = 256;
  private static final String VARIANT = "base";

  private final SyncService syncs;
  private final Notifications notifications;

  SyncsHandler(SyncService syncs, Notifications notifications) {
    this.syncs = syncs;
    this.notifications = notifications;
  }

  void offered(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Responses.json(ctx, 200, offeredJson(syncs.offered(ctx.pathParam("key"))));
  }

  void enable(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("syncs"));
    List<String> names = names(f, true);
    f.done();
    Responses.json(ctx, 200, offeredJson(syncs.enable(ctx.pathParam("key"), names)));
  }

  private static ObjectNode offeredJson(List<SyncService.Offered> offered) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("syncs");
    for (SyncService.Offered o : offered) {
      list.addObject().put("name", o.sync().name()).put("model", o.sync().model()).put("permission", o.sync().permission())
          .put("enabled", o.enabled());
    }
    return body;
  }

  void trigger(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("syncs", "provider_config_key", "connection_id", "opts", "sync_mode", "full_resync"));
    List<String> names = names(f, false);
    Optional<String> key = f.string("provider_config_key", 1, 255).or(() -> header(ctx, "Provider-Config-Key"));
    Optional<String> connection = f.string("connection_id", 1, 255).or(() -> header(ctx, "Connection-Id"));
    boolean reset = false;
    Optional<Fields> opts = f.nested("opts", Set.of("reset", "emptyCache"));
    if (opts.isPresent()) {
      if (f.has("sync_mode") || f.has("full_resync")) {
        f.error(FieldError.Kind.INVALID_VALUE, "opts cannot be combined with the deprecated sync_mode or full_resync", "opts");
      }
      reset = opts.get().bool("reset").orElse(false) || opts.get().bool("emptyCache").orElse(false);
    }
    Optional<String> mode = f.string("sync_mode", 1, 50);
    if (mode.isPresent()) {
      switch (mode.get()) {
        case "incremental" -> { }
        case "full_refresh", "full_refresh_and_clear_cache" -> reset = true;
        default -> f.error(FieldError.Kind.INVALID_ENUM_VALUE, "Expected incremental, full_refresh or full_refresh_and_clear_cache", "sync_mode");
      }
    }
    reset |= f.bool("full_resync").orElse(false);
    f.done();
    syncs.trigger(key.orElseThrow(SyncRefused::missingProviderConfigKey), connection, names, reset);
    Responses.success(ctx);
  }

  void start(Context ctx) {
    paused(ctx, false);
  }

  void pause(Context ctx) {
    paused(ctx, true);
  }

  private void paused(Context ctx, boolean paused) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("syncs", "provider_config_key", "connection_id"));
    List<String> names = names(f, true);
    String key = f.requiredString("provider_config_key", 1, 255);
    Optional<String> connection = f.string("connection_id", 1, 255);
    f.done();
    syncs.setPaused(key, connection, names, paused);
    Responses.success(ctx);
  }

  void status(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("syncs", "provider_config_key", "connection_id"), Set.of());
    String list = Requests.requiredQuery(ctx, "syncs");
    String key = Requests.requiredQuery(ctx, "provider_config_key");
    Optional<String> connection = Requests.query(ctx, "connection_id");
    List<String> names = new ArrayList<>();
    if (!list.equals("*")) {
      for (String part : list.split(",")) {
        String name = part.trim();
        int variant = name.indexOf("::");
        if (variant >= 0) {
          if (!name.substring(variant + 2).equals(VARIANT)) {
            continue;
          }
          name = name.substring(0, variant);
        }
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      if (names.isEmpty()) {
        Responses.json(ctx, 200, statusJson(List.of()));
        return;
      }
    }
    Responses.json(ctx, 200, statusJson(syncs.status(key, connection, names)));
  }

  private ObjectNode statusJson(List<SyncService.Status> all) {
    ObjectNode body = Json.object();
    Map<Long, List<Subscription>> subscriptions = new HashMap<>();
    ArrayNode list = body.putArray("syncs");
    for (SyncService.Status s : all) {
      SyncState st = s.state();
      ObjectNode n = list.addObject();
      n.put("id", st.connectionId() + ":" + st.syncName());
      n.put("connection_id", s.connectionId());
      n.put("name", st.syncName());
      n.put("variant", VARIANT);
      n.put("type", st.runType().or(st::lastType).orElse("INITIAL"));
      n.put("status", st.paused() ? "PAUSED" : s.running() ? "RUNNING" : st.lastStatus().orElse("PENDING"));
      n.put("finishedAt", st.lastFinishedAt().map(Timestamps::zulu).orElse(null));
      n.put("nextScheduledSyncAt", st.paused() ? null : s.nextRun().map(Timestamps::zulu).orElse(null));
      n.put("frequency", SyncFrequency.format(st.frequency()));
      ObjectNode latest = n.putObject("latestResult");
      st.last().ifPresent(c -> latest.putObject(s.sync().model()).put("added", c.added()).put("updated", c.updated()).put("deleted", c.deleted()));
      n.put("latestExecutionStatus", st.lastStatus().orElse(null));
      n.putObject("recordCount").put(s.sync().model(), s.recordCount());
      n.putNull("checkpoint");
      // Graphgate's addition: the Graph subscriptions that trigger this sync on changes (docs/notifications.md).
      n.set("subscriptions", NotificationsHandler.json(subscriptions.computeIfAbsent(st.connectionId(), notifications::forConnection).stream()
          .filter(x -> x.syncName().equals(st.syncName())).toList()));
      if (st.running()) {
        SyncState.RunCounters r = st.run();
        ObjectNode progress = n.putObject("progress");
        progress.put("started_at", Timestamps.zulu(st.runStartedAt().orElseThrow())).put("pages", r.pages()).put("records", r.records())
            .put("added", r.added()).put("updated", r.updated()).put("deleted", r.deleted());
        if (r.estimatedTotal().isPresent()) {
          progress.put("estimated_total", r.estimatedTotal().getAsLong());
        } else {
          progress.putNull("estimated_total");
        }
      }
      if (st.errorCode().isPresent()) {
        n.putObject("error").put("code", st.errorCode().get()).put("message", st.errorMessage().orElse(""));
      }
    }
    return body;
  }

  void frequency(Context ctx) {
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("sync_name", "sync_variant", "provider_config_key", "connection_id", "frequency"));
    String name = f.requiredString("sync_name", 1, 255);
    Optional<String> variant = f.string("sync_variant", 1, 255);
    String key = f.requiredString("provider_config_key", 1, 255);
    String connection = f.requiredString("connection_id", 1, 255);
    Optional<Duration> frequency = Optional.empty();
    if (!f.isExplicitNull("frequency")) {
      String text = f.requiredString("frequency", 1, 100);
      if (text != null) {
        frequency = SyncFrequency.parse(text);
        if (frequency.isEmpty()) {
          f.error(FieldError.Kind.INVALID_STRING, "Expected a frequency such as \"every hour\" or \"every 30 minutes\", from 30 seconds to 7 days",
              "frequency");
        }
      }
    }
    if (variant.isPresent() && !variant.get().equals(VARIANT)) {
      f.error(FieldError.Kind.INVALID_VALUE, "Pre-built syncs have only the variant \"base\"", "sync_variant");
    }
    f.done();
    Duration now = syncs.frequency(key, connection, name, frequency);
    ObjectNode body = Json.object();
    body.put("frequency", SyncFrequency.format(now));
    Responses.json(ctx, 200, body);
  }

  /** {@code syncs}: names, or {@code {"name", "variant"}} objects; {@code name::variant} strings are split. Only the base variant exists. */
  private static List<String> names(Fields f, boolean required) {
    Optional<JsonNode> given = f.any("syncs");
    List<String> names = new ArrayList<>();
    if (given.isEmpty() || given.get().isNull()) {
      if (required) {
        f.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected array, received undefined", "syncs");
      }
      return names;
    }
    if (!given.get().isArray()) {
      f.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected array", "syncs");
      return names;
    }
    if (given.get().size() > MAX_SYNCS) {
      f.error(FieldError.Kind.TOO_BIG, "Too big: expected array to have <=" + MAX_SYNCS + " items", "syncs");
      return names;
    }
    for (int i = 0; i < given.get().size(); i++) {
      JsonNode item = given.get().get(i);
      String name;
      String variant = VARIANT;
      if (item.isTextual()) {
        name = item.asText();
        int split = name.indexOf("::");
        if (split >= 0) {
          variant = name.substring(split + 2);
          name = name.substring(0, split);
        }
      } else if (item.isObject() && item.path("name").isTextual() && (!item.has("variant") || item.path("variant").isTextual())
          && item.size() <= 2) {
        name = item.path("name").asText();
        variant = item.path("variant").asText(VARIANT);
      } else {
        f.error(FieldError.Kind.INVALID_TYPE, "Expected a sync name, or {\"name\": ..., \"variant\": ...}", "syncs", i);
        continue;
      }
      if (name.isEmpty() || name.length() > 255) {
        f.error(FieldError.Kind.INVALID_STRING, "Expected a sync name of 1 to 255 characters", "syncs", i);
      } else if (!variant.equals(VARIANT)) {
        f.error(FieldError.Kind.INVALID_VALUE, "Pre-built syncs have only the variant \"base\"", "syncs", i);
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private static Optional<String> header(Context ctx, String name) {
    String v = ctx.header(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}

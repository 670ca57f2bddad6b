package dev.graphgate.emulator.graph.notify;

import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /subscriptions}: create (after the validation handshake), list, get, renew or change the URL (PATCH), delete,
 * reauthorize. The permission depends on the subscribed resource, so the routes need none and
 * {@link ChangeNotifications} checks the resource's.
 */
public final class SubscriptionResources {

  private final ChangeNotifications notifications;

  public SubscriptionResources(ChangeNotifications notifications) {
    this.notifications = notifications;
  }

  public void register(Router router) {
    router.add(Route.of("POST", "subscriptions", Permission.NONE, this::create));
    router.add(Route.of("GET", "subscriptions", Permission.NONE, this::list));
    router.add(Route.of("GET", "subscriptions/{id}", Permission.NONE, this::get));
    router.add(Route.of("PATCH", "subscriptions/{id}", Permission.NONE, this::update));
    router.add(Route.of("DELETE", "subscriptions/{id}", Permission.NONE, this::delete));
    router.add(Route.of("POST", "subscriptions/{id}/reauthorize", Permission.NONE, this::reauthorize));
  }

  private GraphResponse create(GraphCall call) {
    Subscription created = notifications.create(call.caller(), call.data(), GraphJson.readObject(call.request().body()));
    return entity(call, 201, created);
  }

  private GraphResponse list(GraphCall call) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", call.request().root() + "/$metadata#subscriptions");
    body.put("value", notifications.list(call.caller(), call.data()).stream().map(ChangeNotifications::view).toList());
    return GraphResponse.json(200, body);
  }

  private GraphResponse get(GraphCall call) {
    return entity(call, 200, notifications.get(call.caller(), call.data(), call.param("id")));
  }

  private GraphResponse update(GraphCall call) {
    Map<String, Object> changes = GraphJson.readObject(call.request().body());
    return entity(call, 200, notifications.update(call.caller(), call.data(), call.param("id"), changes));
  }

  private GraphResponse delete(GraphCall call) {
    notifications.delete(call.caller(), call.data(), call.param("id"));
    return GraphResponse.empty(204);
  }

  private GraphResponse reauthorize(GraphCall call) {
    notifications.reauthorize(call.caller(), call.data(), call.param("id"));
    return GraphResponse.empty(204);
  }

  private static GraphResponse entity(GraphCall call, int status, Subscription subscription) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", call.request().root() + "/$metadata#subscriptions/$entity");
    body.putAll(ChangeNotifications.view(subscription));
    return GraphResponse.json(status, body);
  }
}

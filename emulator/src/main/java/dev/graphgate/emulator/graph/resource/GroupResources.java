package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.CollectionPages;
import dev.graphgate.emulator.graph.odata.Dialect;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Paging;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.store.Entity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /groups} and {@code /groups/{id}/members}, with member references added and removed through {@code $ref}. */
public final class GroupResources {

  private static final Writable WRITABLE = new Writable("group", properties(), GraphException::directoryBadRequest);
  /** The last segment of an {@code @odata.id} in key syntax: {@code users('id')}. */
  private static final Pattern KEY_SYNTAX = Pattern.compile("^[^(]*\\('(.*)'\\)$");

  public void register(Router router) {
    router.add(Route.of("GET", "groups", Permission.GROUPS_READ, this::list));
    router.add(Route.of("POST", "groups", Permission.GROUPS_WRITE, this::create));
    router.add(Route.of("GET", "groups/$count", Permission.GROUPS_READ,
        call -> UserResources.countOf(call, EntityType.GROUP, call.data().groups().store()::ascending)));
    router.add(Route.of("GET", "groups/{group}", Permission.GROUPS_READ, this::get));
    router.add(Route.of("PATCH", "groups/{group}", Permission.GROUPS_WRITE, this::update));
    router.add(Route.of("DELETE", "groups/{group}", Permission.GROUPS_WRITE, this::delete));
    router.add(Route.of("GET", "groups/{group}/members", Permission.GROUP_MEMBERS_READ, this::members));
    router.add(Route.of("GET", "groups/{group}/members/$count", Permission.GROUP_MEMBERS_READ, this::memberCount));
    router.add(Route.of("POST", "groups/{group}/members/$ref", Permission.GROUP_MEMBERS_WRITE, this::addMember));
    router.add(Route.of("DELETE", "groups/{group}/members/{member}/$ref", Permission.GROUP_MEMBERS_WRITE, this::removeMember));
  }

  static Entity require(GraphCall call) {
    String id = call.param("group");
    return call.data().groups().find(id).orElseThrow(() -> GraphException.directoryNotFound(id));
  }

  private GraphResponse list(GraphCall call) {
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.GROUP, Dialect.DIRECTORY, Paging.DIRECTORY, null);
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.DIRECTORY, call.data().groups().store(),
        Views.withSelect("groups", options.select()), g -> EntityType.GROUP.render(g.props(), options.select(), false)));
  }

  private GraphResponse get(GraphCall call) {
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.GROUP);
    return Views.entity(call.request(), 200, Views.withSelect("groups", select) + "/$entity",
        EntityType.GROUP.render(require(call).props(), select, false));
  }

  private GraphResponse members(GraphCall call) {
    Entity group = require(call);
    TenantData data = call.data();
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.USER, Dialect.DIRECTORY, Paging.DIRECTORY, null);
    Iterable<Long> keys = () -> data.groups().members(group);
    Map<String, Object> page = CollectionPages.page(call.request(), options, Dialect.DIRECTORY,
        CollectionPages.keyed(keys, k -> data.users().get(k).orElse(null)), "directoryObjects", user -> member(call, user, options.select()));
    return GraphResponse.json(200, page);
  }

  static Map<String, Object> member(GraphCall call, Entity user, List<String> select) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("@odata.type", "#microsoft.graph.user");
    view.putAll(UserResources.view(call.caller(), user, select));
    return view;
  }

  private GraphResponse memberCount(GraphCall call) {
    Entity group = require(call);
    Iterable<Long> keys = () -> call.data().groups().members(group);
    return UserResources.countOf(call, EntityType.USER, CollectionPages.keyed(keys, k -> call.data().users().get(k).orElse(null)));
  }

  private GraphResponse addMember(GraphCall call) {
    Entity group = require(call);
    Object reference = GraphJson.readObject(call.request().body()).get("@odata.id");
    if (!(reference instanceof String ref) || ref.isBlank()) {
      throw GraphException.directoryBadRequest("A value is required for property '@odata.id' of the member reference.");
    }
    String last = ref.substring(ref.lastIndexOf('/') + 1);
    Matcher key = KEY_SYNTAX.matcher(last);
    String memberId = key.matches() ? key.group(1) : last;
    Entity user = call.data().users().find(memberId).orElseThrow(() -> GraphException.directoryNotFound(memberId));
    if (!call.data().addMember(group, user)) {
      throw GraphException.directoryBadRequest("One or more added object references already exist for the following modified properties: 'members'.");
    }
    return GraphResponse.empty(204);
  }

  private GraphResponse removeMember(GraphCall call) {
    Entity group = require(call);
    String memberId = call.param("member");
    Entity user = call.data().users().find(memberId).orElseThrow(() -> GraphException.directoryNotFound(memberId));
    if (!call.data().removeMember(group, user)) {
      throw GraphException.directoryNotFound(memberId);
    }
    return GraphResponse.empty(204);
  }

  private GraphResponse create(GraphCall call) {
    TenantData data = call.data();
    Map<String, Object> body = WRITABLE.check(GraphJson.readObject(call.request().body()));
    Writable.require(body, "Group", GraphException::directoryBadRequest, "displayName", "mailNickname", "mailEnabled", "securityEnabled");
    List<?> types = body.get("groupTypes") instanceof List<?> list ? list : List.of();
    boolean unified = types.stream().anyMatch(t -> "Unified".equalsIgnoreCase(String.valueOf(t)));
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("deletedDateTime", null);
    props.put("classification", null);
    props.put("createdDateTime", data.now());
    props.put("description", null);
    props.put("displayName", null);
    props.put("groupTypes", new ArrayList<>(types));
    props.put("mail", unified ? body.get("mailNickname") + "@" + data.tenant().initialDomain() : null);
    props.put("mailEnabled", null);
    props.put("mailNickname", null);
    props.put("securityEnabled", null);
    props.put("visibility", unified ? "Public" : null);
    props.putAll(body);
    Entity created = data.createGroup(props);
    return Views.entity(call.request(), 201, "groups/$entity", EntityType.GROUP.render(created.props(), null, false));
  }

  private GraphResponse update(GraphCall call) {
    Entity group = require(call);
    call.data().updateGroup(group, WRITABLE.check(GraphJson.readObject(call.request().body())));
    return GraphResponse.empty(204);
  }

  private GraphResponse delete(GraphCall call) {
    call.data().deleteGroup(require(call));
    return GraphResponse.empty(204);
  }

  private static Map<String, Writable.Kind> properties() {
    Map<String, Writable.Kind> p = new LinkedHashMap<>();
    for (String name : List.of("displayName", "description", "mailNickname", "visibility", "classification")) {
      p.put(name, Writable.Kind.STRING);
    }
    p.put("mailEnabled", Writable.Kind.BOOLEAN);
    p.put("securityEnabled", Writable.Kind.BOOLEAN);
    p.put("groupTypes", Writable.Kind.STRING_LIST);
    return p;
  }
}

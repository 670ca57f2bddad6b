package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.auth.Caller;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code /users}: list, count, get by id or user principal name, create, update, delete. */
public final class UserResources {

  private static final Writable WRITABLE = new Writable("user", properties(), GraphException::directoryBadRequest);
  private static final Set<String> FULL_READ = Set.of("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");

  public void register(Router router) {
    router.add(Route.of("GET", "users", Permission.USERS_READ, this::list));
    router.add(Route.of("POST", "users", Permission.USERS_WRITE, this::create));
    router.add(Route.of("GET", "users/$count", Permission.USERS_READ, this::count));
    router.add(Route.of("GET", "users/{user}", Permission.USERS_READ, this::get));
    router.add(Route.of("PATCH", "users/{user}", Permission.USERS_WRITE, this::update));
    router.add(Route.of("DELETE", "users/{user}", Permission.USERS_WRITE, this::delete));
  }

  /** A user by id or user principal name, or Graph's directory 404. */
  public static Entity require(GraphCall call, String param) {
    String value = call.param(param);
    return call.data().users().find(value).orElseThrow(() -> GraphException.directoryNotFound(value));
  }

  /** The user as the caller may see it: {@code User.ReadBasic.All} alone sees only the basic properties. */
  public static Map<String, Object> view(Caller caller, Entity user, List<String> select) {
    return view(caller, user, select, false);
  }

  /** @param withId whether {@code id} is returned even when not selected (delta always returns it) */
  public static Map<String, Object> view(Caller caller, Entity user, List<String> select, boolean withId) {
    Map<String, Object> view = EntityType.USER.render(user.props(), select, withId);
    if (!caller.hasAnyRole(FULL_READ)) {
      view.keySet().retainAll(EntityType.USER_BASIC);
    }
    return view;
  }

  private GraphResponse list(GraphCall call) {
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.USER, Dialect.DIRECTORY, Paging.DIRECTORY, null);
    Map<String, Object> page = CollectionPages.page(call.request(), options, Dialect.DIRECTORY, call.data().users().store(),
        Views.withSelect("users", options.select()), user -> view(call.caller(), user, options.select()));
    return GraphResponse.json(200, page);
  }

  static GraphResponse countOf(GraphCall call, EntityType type, CollectionPages.Source source) {
    if (!"eventual".equalsIgnoreCase(call.request().header("ConsistencyLevel"))) {
      throw GraphException.unsupportedQuery(
          "$count is not supported without the ConsistencyLevel: eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information");
    }
    QueryOptions options = QueryOptions.parse(call.request(), type, Dialect.DIRECTORY, Paging.DIRECTORY, null);
    long count = 0;
    for (Iterator<Entity> it = source.from(-1); it.hasNext(); ) {
      if (options.matches(it.next().props())) {
        count++;
      }
    }
    return GraphResponse.text(200, Long.toString(count));
  }

  private GraphResponse count(GraphCall call) {
    return countOf(call, EntityType.USER, call.data().users().store()::ascending);
  }

  private GraphResponse get(GraphCall call) {
    Entity user = require(call, "user");
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.USER);
    return Views.entity(call.request(), 200, Views.withSelect("users", select) + "/$entity", view(call.caller(), user, select));
  }

  private GraphResponse create(GraphCall call) {
    TenantData data = call.data();
    Map<String, Object> body = WRITABLE.check(GraphJson.readObject(call.request().body()));
    Writable.require(body, "User", GraphException::directoryBadRequest, "accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile");
    Object password = ((Map<?, ?>) body.get("passwordProfile")).get("password");
    if (!(password instanceof String p) || p.isBlank()) {
      throw GraphException.directoryBadRequest("A value is required for property 'password' of resource 'PasswordProfile'.");
    }
    String upn = body.get("userPrincipalName").toString();
    Map<String, Object> props = new LinkedHashMap<>();
    for (String name : EntityType.USER.defaults()) {
      props.put(name, name.equals("businessPhones") ? List.of() : null);
    }
    body.remove("passwordProfile");
    props.putAll(body);
    props.put("createdDateTime", data.now());
    props.putIfAbsent("userType", "Member");
    // The name check and the insert hold the tenant's write lock together, so two creates cannot share a name.
    Entity created = data.write(() -> {
      checkName(data, upn, null);
      return data.createUser(props);
    });
    return Views.entity(call.request(), 201, "users/$entity", view(call.caller(), created, null));
  }

  private GraphResponse update(GraphCall call) {
    TenantData data = call.data();
    Entity user = require(call, "user");
    Map<String, Object> changes = WRITABLE.check(GraphJson.readObject(call.request().body()));
    changes.remove("passwordProfile");
    Object upn = changes.get("userPrincipalName");
    if (changes.containsKey("userPrincipalName") && upn == null) {
      throw GraphException.directoryBadRequest("Invalid value specified for property 'userPrincipalName' of resource 'User'.");
    }
    data.write(() -> {
      if (upn != null) {
        checkName(data, upn.toString(), user);
      }
      return data.updateUser(user, changes);
    });
    return GraphResponse.empty(204);
  }

  private GraphResponse delete(GraphCall call) {
    call.data().deleteUser(require(call, "user"));
    return GraphResponse.empty(204);
  }

  private static void checkName(TenantData data, String upn, Entity self) {
    int at = upn.indexOf('@');
    if (at <= 0 || !data.tenant().domains().contains(upn.substring(at + 1).toLowerCase(Locale.ROOT))) {
      throw GraphException.directoryBadRequest(
          "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.");
    }
    data.users().findByName(upn).filter(existing -> self == null || existing.key() != self.key()).ifPresent(existing -> {
      throw GraphException.directoryBadRequest("Another object with the same value for property userPrincipalName already exists.");
    });
  }

  private static Map<String, Writable.Kind> properties() {
    Map<String, Writable.Kind> p = new LinkedHashMap<>();
    for (String name : List.of("displayName", "givenName", "surname", "jobTitle", "department", "officeLocation", "mobilePhone",
        "city", "country", "usageLocation", "preferredLanguage", "companyName", "employeeId", "mail", "mailNickname",
        "userPrincipalName", "userType")) {
      p.put(name, Writable.Kind.STRING);
    }
    p.put("accountEnabled", Writable.Kind.BOOLEAN);
    p.put("businessPhones", Writable.Kind.STRING_LIST);
    p.put("passwordProfile", Writable.Kind.OBJECT);
    return p;
  }
}

package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.generate.Generation;
import dev.graphgate.emulator.graph.http.GraphException;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Read-only views of the emulated Entra directory: {@code /organization}, {@code /applications} (apps registered in
 * the tenant) and {@code /servicePrincipals} (apps present in the tenant, plus Microsoft Graph's own, whose app roles
 * are the permission catalogue). Alternate keys {@code (appId='...')} work on both.
 */
public final class TenantResources {

  private final Directory directory;

  public TenantResources(Directory directory) {
    this.directory = directory;
  }

  public void register(Router router) {
    router.add(Route.of("GET", "organization", Permission.ORGANIZATION_READ, this::organizations));
    router.add(Route.of("GET", "organization/{id}", Permission.ORGANIZATION_READ, this::organization));
    router.add(Route.of("GET", "applications", Permission.APPLICATIONS_READ, call -> list(call, EntityType.APPLICATION, "applications", applications(call))));
    router.add(Route.of("GET", "applications/{id}", Permission.APPLICATIONS_READ, call -> one(call, EntityType.APPLICATION, "applications", applications(call))));
    router.add(Route.of("GET", "servicePrincipals", Permission.APPLICATIONS_READ, call -> list(call, EntityType.SERVICE_PRINCIPAL, "servicePrincipals", servicePrincipals(call))));
    router.add(Route.of("GET", "servicePrincipals/{id}", Permission.APPLICATIONS_READ, call -> one(call, EntityType.SERVICE_PRINCIPAL, "servicePrincipals", servicePrincipals(call))));
  }

  private GraphResponse organizations(GraphCall call) {
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.ORGANIZATION, Dialect.DIRECTORY, Paging.DIRECTORY, null);
    Entity org = organization(call.data().tenant());
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.DIRECTORY, CollectionPages.of(List.of(org)),
        Views.withSelect("organization", options.select()), e -> EntityType.ORGANIZATION.render(e.props(), options.select(), false)));
  }

  private GraphResponse organization(GraphCall call) {
    Entity org = organization(call.data().tenant());
    if (!org.id().equalsIgnoreCase(call.param("id"))) {
      throw GraphException.directoryNotFound(call.param("id"));
    }
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.ORGANIZATION);
    return Views.entity(call.request(), 200, "organization/$entity", EntityType.ORGANIZATION.render(org.props(), select, false));
  }

  private GraphResponse list(GraphCall call, EntityType type, String name, List<Entity> entities) {
    QueryOptions options = QueryOptions.parse(call.request(), type, Dialect.DIRECTORY, Paging.DIRECTORY, null);
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.DIRECTORY, CollectionPages.of(entities),
        Views.withSelect(name, options.select()), e -> type.render(e.props(), options.select(), false)));
  }

  private GraphResponse one(GraphCall call, EntityType type, String name, List<Entity> entities) {
    String key = call.param("id");
    Function<Entity, Boolean> matches;
    if (key.regionMatches(true, 0, "appId=", 0, 6)) {
      String appId = key.substring(6);
      matches = e -> appId.equalsIgnoreCase(String.valueOf(e.get("appId")));
    } else {
      matches = e -> e.id().equalsIgnoreCase(key);
    }
    Entity entity = entities.stream().filter(matches::apply).findFirst().orElseThrow(() -> GraphException.directoryNotFound(key));
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), type);
    return Views.entity(call.request(), 200, name + "/$entity", type.render(entity.props(), select, false));
  }

  static Entity organization(Tenant tenant) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", tenant.id());
    p.put("deletedDateTime", null);
    p.put("businessPhones", List.of("+1 425 555 0100"));
    p.put("city", "Redmond");
    p.put("country", null);
    p.put("countryLetterCode", "US");
    p.put("createdDateTime", Generation.timestamp(tenant.createdAt()));
    p.put("displayName", tenant.displayName());
    p.put("onPremisesSyncEnabled", null);
    p.put("postalCode", "98052");
    p.put("preferredLanguage", "en");
    p.put("state", "WA");
    p.put("street", "1 Microsoft Way");
    p.put("tenantType", "AAD");
    p.put("technicalNotificationMails", List.of("admin@" + tenant.initialDomain()));
    p.put("assignedPlans", List.of());
    List<Map<String, Object>> domains = new ArrayList<>();
    for (String domain : tenant.domains()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("capabilities", "Email, OfficeCommunicationsOnline");
      d.put("isDefault", domain.equals(tenant.domains().getFirst()));
      d.put("isInitial", domain.endsWith(".onmicrosoft.com") && domain.equals(tenant.domains().stream().filter(x -> x.endsWith(".onmicrosoft.com")).findFirst().orElse("")));
      d.put("name", domain);
      d.put("type", "Managed");
      domains.add(d);
    }
    p.put("verifiedDomains", domains);
    return new Entity(0, tenant.id(), p);
  }

  private List<Entity> applications(GraphCall call) {
    String tenantId = call.data().tenant().id();
    List<Entity> out = new ArrayList<>();
    long key = 0;
    for (AppRegistration app : directory.apps()) {
      if (!app.homeTenantId().map(tenantId::equals).orElse(false)) {
        continue;
      }
      Map<String, Object> p = new LinkedHashMap<>();
      String id = nameId("application", app.appId());
      p.put("id", id);
      p.put("deletedDateTime", null);
      p.put("appId", app.appId());
      p.put("createdDateTime", Generation.timestamp(app.createdAt()));
      p.put("displayName", app.displayName());
      p.put("publisherDomain", call.data().tenant().initialDomain());
      p.put("signInAudience", app.multiTenant() ? "AzureADMultipleOrgs" : "AzureADMyOrg");
      List<Map<String, Object>> access = new ArrayList<>();
      for (String role : app.requiredRoles()) {
        access.add(Map.of("id", GraphPermissions.appRoleId(role).orElse(""), "type", "Role"));
      }
      p.put("requiredResourceAccess", access.isEmpty() ? List.of() : List.of(Map.of("resourceAppId", GraphPermissions.GRAPH_APP_ID, "resourceAccess", access)));
      p.put("passwordCredentials", app.secrets().stream().map(s -> {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("customKeyIdentifier", null);
        c.put("displayName", "secret");
        c.put("endDateTime", Generation.timestamp(s.expiresAt()));
        c.put("hint", s.hint());
        c.put("keyId", s.keyId());
        c.put("secretText", null);
        return c;
      }).toList());
      p.put("keyCredentials", app.certificates().stream().map(c -> {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("customKeyIdentifier", c.x5t());
        k.put("endDateTime", Generation.timestamp(c.notAfter()));
        k.put("keyId", c.keyId());
        k.put("startDateTime", Generation.timestamp(c.notBefore()));
        k.put("type", "AsymmetricX509Cert");
        k.put("usage", "Verify");
        return k;
      }).toList());
      p.put("web", Map.of("redirectUris", app.redirectUris()));
      out.add(new Entity(key++, id, p));
    }
    return out;
  }

  private List<Entity> servicePrincipals(GraphCall call) {
    Tenant tenant = call.data().tenant();
    List<Entity> out = new ArrayList<>();
    out.add(graphServicePrincipal(tenant));
    long key = 1;
    for (ServicePrincipal sp : directory.servicePrincipals(tenant.id())) {
      AppRegistration app = directory.app(sp.appId()).orElse(null);
      String name = app == null ? sp.appId() : app.displayName();
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", sp.objectId());
      p.put("deletedDateTime", null);
      p.put("accountEnabled", app == null || !app.disabled());
      p.put("appDisplayName", name);
      p.put("appId", sp.appId());
      p.put("appOwnerOrganizationId", app == null ? null : app.homeTenantId().orElse(null));
      p.put("appRoleAssignmentRequired", false);
      p.put("appRoles", List.of());
      p.put("displayName", name);
      p.put("servicePrincipalNames", List.of(sp.appId()));
      p.put("servicePrincipalType", "Application");
      p.put("signInAudience", app != null && app.multiTenant() ? "AzureADMultipleOrgs" : "AzureADMyOrg");
      p.put("tags", List.of("WindowsAzureActiveDirectoryIntegratedApp"));
      out.add(new Entity(key++, sp.objectId(), p));
    }
    return out;
  }

  private static Entity graphServicePrincipal(Tenant tenant) {
    String id = nameId("graph-service-principal", tenant.id());
    List<Map<String, Object>> roles = new ArrayList<>();
    GraphPermissions.all().forEach((value, roleId) -> {
      Map<String, Object> role = new LinkedHashMap<>();
      role.put("allowedMemberTypes", List.of("Application"));
      role.put("description", "Allows the app to use " + value + " without a signed-in user.");
      role.put("displayName", value);
      role.put("id", roleId);
      role.put("isEnabled", true);
      role.put("origin", "Application");
      role.put("value", value);
      roles.add(role);
    });
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", id);
    p.put("deletedDateTime", null);
    p.put("accountEnabled", true);
    p.put("appDisplayName", "Microsoft Graph");
    p.put("appId", GraphPermissions.GRAPH_APP_ID);
    p.put("appOwnerOrganizationId", "f8cdef31-a31e-4b4a-93e4-5f571e91255a");
    p.put("appRoleAssignmentRequired", false);
    p.put("appRoles", roles);
    p.put("displayName", "Microsoft Graph");
    p.put("servicePrincipalNames", List.of(GraphPermissions.GRAPH_APP_ID, GraphPermissions.GRAPH_RESOURCE));
    p.put("servicePrincipalType", "Application");
    p.put("signInAudience", "AzureADMultipleOrgs");
    p.put("tags", List.of());
    return new Entity(0, id, p);
  }

  private static String nameId(String kind, String value) {
    return UUID.nameUUIDFromBytes((kind + ":" + value.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8)).toString();
  }
}

package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.auth.Permission;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** SharePoint sites: {@code /sites?search=}, {@code /sites/root}, by id or by path ({@code /sites/host:/sites/name}). */
public final class SiteResources {

  public void register(Router router) {
    router.add(Route.of("GET", "sites", Permission.SITES_READ, this::search));
    router.add(Route.of("GET", "sites/{site}", Permission.SITES_READ, this::get));
    router.add(Route.of("GET", "sites/{host}/{:path}", Permission.SITES_READ, this::byPath));
    router.add(Route.of("GET", "sites/{site}/sites", Permission.SITES_READ, this::subsites));
  }

  private GraphResponse search(GraphCall call) {
    String term = call.request().param("search");
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.SITE, Dialect.SITES, Paging.SITES, null);
    List<Entity> matches = new ArrayList<>();
    String lower = term == null ? "*" : term.trim().replace("\"", "").toLowerCase(Locale.ROOT);
    for (Iterator<Entity> it = call.data().sites().store().ascending(-1); it.hasNext(); ) {
      Entity site = it.next();
      if (lower.isEmpty() || lower.equals("*") || contains(site, "displayName", lower) || contains(site, "name", lower) || contains(site, "description", lower)) {
        matches.add(site);
      }
    }
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.SITES, CollectionPages.of(matches),
        Views.withSelect("sites", options.select()), s -> EntityType.SITE.render(s.props(), options.select(), false)));
  }

  private GraphResponse get(GraphCall call) {
    String id = call.param("site");
    Entity site = call.data().sites().find(id).orElseThrow(() -> GraphException.itemNotFound("Requested site could not be found"));
    return one(call, site);
  }

  private GraphResponse byPath(GraphCall call) {
    Entity site = call.data().sites().byPath(call.param("host"), call.param("path"))
        .orElseThrow(() -> GraphException.itemNotFound("Requested site could not be found"));
    return one(call, site);
  }

  private GraphResponse subsites(GraphCall call) {
    String id = call.param("site");
    call.data().sites().find(id).orElseThrow(() -> GraphException.itemNotFound("Requested site could not be found"));
    return GraphResponse.json(200, Map.of("@odata.context", call.request().root() + "/$metadata#sites", "value", List.of()));
  }

  private GraphResponse one(GraphCall call, Entity site) {
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.SITE);
    return Views.entity(call.request(), 200, "sites/$entity", EntityType.SITE.render(site.props(), select, false));
  }

  private static boolean contains(Entity site, String property, String term) {
    Object value = site.get(property);
    return value != null && value.toString().toLowerCase(Locale.ROOT).contains(term);
  }
}

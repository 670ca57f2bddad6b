package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.util.List;
import java.util.Optional;

/**
 * {@code sites} → model {@code Site}: the tenant's SharePoint sites from {@code /sites?search=*}. Graph has no delta
 * query for sites, so every run is a full round (its checkpoint stays empty): unchanged sites count as nothing,
 * changed ones as updated, and the sites the round did not see are deleted at its end.
 */
public final class SitesSync implements TenantSync {
  /** The Site model's fields: Graph's property names. */
  public static final List<String> FIELDS = List.of("id", "name", "displayName", "description", "webUrl", "createdDateTime",
      "lastModifiedDateTime", "siteCollection", "root");

  @Override
  public String name() {
    return "sites";
  }

  @Override
  public String model() {
    return "Site";
  }

  @Override
  public String permission() {
    return "Sites.Read.All";
  }

  @Override
  public List<String> satisfiedBy() {
    return List.of("Sites.Read.All", "Sites.ReadWrite.All");
  }

  @Override
  public String initialLink() {
    return "/v1.0/sites?search=*&$select=" + String.join(",", FIELDS);
  }

  @Override
  public ObjectNode toRecord(JsonNode item, Optional<ObjectNode> known) {
    ObjectNode r = Json.object();
    for (String field : FIELDS) {
      JsonNode v = item.get(field);
      r.set(field, v == null ? Json.MAPPER.nullNode() : v.deepCopy());
    }
    return r;
  }
}

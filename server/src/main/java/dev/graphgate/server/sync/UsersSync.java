package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.util.List;
import java.util.Optional;

/**
 * {@code users} → model {@code User}: the tenant's directory from {@code /users/delta}. Graph sends every selected
 * property of a changed user (not only those that changed), so each item replaces the record; a property Graph omits
 * (never set, or cleared) is {@code null} in the record.
 */
public final class UsersSync implements TenantSync {
  /** The User model's fields: Graph's property names, which the records keep as they are. */
  public static final List<String> FIELDS = List.of("id", "displayName", "givenName", "surname", "userPrincipalName", "mail", "jobTitle",
      "department", "officeLocation", "mobilePhone", "businessPhones", "accountEnabled");

  @Override
  public String name() {
    return "users";
  }

  @Override
  public String model() {
    return "User";
  }

  @Override
  public String permission() {
    return "User.Read.All";
  }

  @Override
  public List<String> satisfiedBy() {
    return List.of("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
  }

  @Override
  public String initialLink() {
    return "/v1.0/users/delta?$select=" + String.join(",", FIELDS);
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

package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code groups} → model {@code Group}: the tenant's groups from {@code /groups/delta}, with the ids of their members
 * ({@code memberIds}, sorted). Membership arrives as {@code members@delta}: in a full round the complete list, a large
 * group split over several items with one slice each; in a later round only the members added or removed
 * ({@code @removed}). So an item's members are merged into what the round already knows of the group, and the
 * properties it carries replace the known ones.
 */
public final class GroupsSync implements TenantSync {
  /** The Group model's fields besides {@code memberIds}: Graph's property names. */
  public static final List<String> FIELDS = List.of("id", "displayName", "description", "mail", "mailEnabled", "mailNickname",
      "securityEnabled", "groupTypes", "visibility", "createdDateTime");

  @Override
  public String name() {
    return "groups";
  }

  @Override
  public String model() {
    return "Group";
  }

  @Override
  public String permission() {
    return "GroupMember.Read.All";
  }

  @Override
  public List<String> satisfiedBy() {
    return List.of("GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
  }

  @Override
  public String initialLink() {
    return "/v1.0/groups/delta?$select=" + String.join(",", FIELDS) + ",members";
  }

  @Override
  public ObjectNode toRecord(JsonNode item, Optional<ObjectNode> known) {
    ObjectNode r = Json.object();
    for (String field : FIELDS) {
      JsonNode v = item.get(field);
      JsonNode before = known.map(k -> k.get(field)).orElse(null);
      r.set(field, v != null ? v.deepCopy() : before != null ? before : Json.MAPPER.nullNode());
    }
    TreeSet<String> members = new TreeSet<>();
    known.map(k -> k.path("memberIds")).ifPresent(ids -> ids.forEach(id -> members.add(id.asText())));
    for (JsonNode member : item.path("members@delta")) {
      String id = member.path("id").asText();
      if (member.has("@removed")) {
        members.remove(id);
      } else if (!id.isEmpty()) {
        members.add(id);
      }
    }
    ArrayNode ids = r.putArray("memberIds");
    members.forEach(ids::add);
    return r;
  }
}

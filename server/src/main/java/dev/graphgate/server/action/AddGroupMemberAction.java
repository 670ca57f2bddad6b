package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.RequiredPermission;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code add-group-member}: adds a directory object (a user, or another group) to a group's members
 * ({@code POST /groups/{groupId}/members/$ref} with a reference to {@code /directoryObjects/{memberId}} on the
 * cloud's Graph host). Graph answers 204: the output is {@code {"groupId", "memberId", "added": true}}. A member the
 * group already has is Graph's 400.
 */
final class AddGroupMemberAction implements PreBuiltAction {

  @Override
  public String name() {
    return "add-group-member";
  }

  @Override
  public RequiredPermission permission() {
    return RequiredPermission.anyOf("GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All");
  }

  @Override
  public Set<String> fields() {
    return Set.of("groupId", "memberId");
  }

  @Override
  public Prepared prepare(ActionInput in, String graphOrigin) {
    String group = in.requiredId("groupId");
    String member = in.requiredId("memberId");
    if (in.hasErrors()) {
      return null;
    }
    ObjectNode ref = Json.object();
    ref.put("@odata.id", graphOrigin + "/v1.0/directoryObjects/" + GraphPaths.segment(member));
    return new Prepared(GraphWrite.json("POST", "/v1.0/groups/" + GraphPaths.segment(group) + "/members/$ref",
        Json.write(ref).getBytes(StandardCharsets.UTF_8)), applied -> {
          ObjectNode out = Json.object();
          out.put("groupId", group).put("memberId", member).put("added", true);
          return out;
        });
  }
}

package dev.graphgate.server.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Json;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.PermissionLookup;
import dev.graphgate.server.graph.PermissionTable;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each pre-built action's declared permissions agree with the shipped permission table for the write it sends: the
 * same permissions, least privileged first, so {@code permission_missing} and the proxy's hint never disagree.
 */
class ActionPermissionsTableTest {
  private static final Map<String, String> INPUTS = Map.of(
      "send-mail", "{\"userId\":\"u1\",\"subject\":\"s\",\"body\":\"b\",\"to\":[\"a@contoso.com\"]}",
      "create-event", "{\"userId\":\"u1\",\"subject\":\"s\",\"start\":\"2025-04-01T09:30:00\",\"end\":\"2025-04-01T10:00:00\",\"timeZone\":\"UTC\"}",
      "create-user", "{\"displayName\":\"New Hire\",\"userPrincipalName\":\"new@contoso.com\",\"password\":\"Str0ng-Secret-Pass!\"}",
      "add-group-member", "{\"groupId\":\"g1\",\"memberId\":\"m1\"}",
      "upload-file", "{\"userId\":\"u1\",\"path\":\"Reports/Q1 summary.txt\",\"content\":\"x\"}");

  @Test
  void everyActionDeclaresWhatTheTableSaysItsWriteNeeds() {
    ActionCatalog catalog = ActionCatalog.standard();
    assertThat(INPUTS.keySet()).containsExactlyInAnyOrderElementsOf(catalog.names());
    for (String name : catalog.names()) {
      PreBuiltAction action = catalog.find(name).orElseThrow();
      ActionInput in = ActionInput.read(Json.parse(INPUTS.get(name)), action.fields());
      GraphWrite write = action.prepare(in, "https://graph.microsoft.com").write();
      assertThat(in.hasErrors()).as(name).isFalse();
      PermissionLookup lookup = PermissionTable.shipped().lookup(write.method(), write.path());
      assertThat(lookup).as(name + ": " + write.method() + " " + write.path()).isInstanceOf(PermissionLookup.Listed.class);
      assertThat(action.permission().satisfiedBy()).as(name).containsExactlyElementsOf(((PermissionLookup.Listed) lookup).family().permissions());
    }
  }
}

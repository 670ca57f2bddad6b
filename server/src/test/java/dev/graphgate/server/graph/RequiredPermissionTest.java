package dev.graphgate.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequiredPermissionTest {
  private static final String TENANT = "7d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";

  @Test
  void anyOneOfThePermissionsAllowsTheWorkAndTheConsentLinkIsNotAskedFor() {
    AtomicInteger links = new AtomicInteger();
    RequiredPermission p = RequiredPermission.anyOf("GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All");
    assertThat(p.problem(new GraphAccess.Granted(List.of("User.Read.All", "Directory.ReadWrite.All")), "add members", TENANT,
        () -> "link-" + links.incrementAndGet())).isEmpty();
    assertThat(links).hasValue(0);
  }

  @Test
  void aMissingPermissionNamesTheLeastPrivilegedOneItsAlternativesAndTheConsentLink() {
    RequiredPermission several = RequiredPermission.anyOf("GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All");
    assertThat(several.problem(new GraphAccess.Granted(List.of("Group.Read.All")), "run the action 'add-group-member'", TENANT, () -> "https://consent"))
        .contains("The app has no application permission to run the action 'add-group-member' in tenant " + TENANT
            + ": grant GroupMember.ReadWrite.All (or one of Group.ReadWrite.All, Directory.ReadWrite.All) to the app registration, then have the"
            + " tenant's admin consent again: https://consent");
    RequiredPermission one = RequiredPermission.anyOf("Mail.Send");
    assertThat(one.problem(new GraphAccess.Granted(List.of()), "run the action 'send-mail'", TENANT, () -> "https://consent").orElseThrow())
        .contains("grant Mail.Send to the app registration").doesNotContain("or one of");
  }
}

package dev.graphgate.server.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionTableTest {
  private final PermissionTable table = PermissionTable.shipped();

  private String family(String method, String path) {
    PermissionLookup l = table.lookup(method, path);
    assertThat(l).as(method + " " + path).isInstanceOf(PermissionLookup.Listed.class);
    return ((PermissionLookup.Listed) l).family().name();
  }

  @Test
  void pathsWithIdsQueriesAndEitherVersionFindTheirFamily() {
    assertThat(family("GET", "/v1.0/users?$select=id,mail&$top=999")).isEqualTo("users");
    assertThat(family("GET", "/beta/users/adele@contoso.com")).isEqualTo("users");
    assertThat(family("get", "/v1.0/USERS/1f2e")).isEqualTo("users");
    assertThat(family("GET", "/v1.0/users/delta?$select=id")).isEqualTo("users delta");
    assertThat(family("POST", "/v1.0/users")).isEqualTo("create user");
    assertThat(family("GET", "/v1.0/groups/delta")).isEqualTo("groups");
    assertThat(family("GET", "/v1.0/groups/g1/members?$top=5")).isEqualTo("group members");
    assertThat(family("POST", "/v1.0/groups/g1/members/$ref")).isEqualTo("add group member");
    assertThat(family("POST", "/v1.0/groups/g1/members/%24ref")).isEqualTo("add group member");
    assertThat(family("GET", "/v1.0/users/u1/mailFolders/inbox/messages/delta")).isEqualTo("messages");
    assertThat(family("GET", "/v1.0/users/u1/messages/m1")).isEqualTo("messages");
    assertThat(family("GET", "/v1.0/users/u1/mailFolders")).isEqualTo("mail folders");
    assertThat(family("GET", "/v1.0/users/u1/mailFolders('inbox')/messages?$select=subject")).isEqualTo("messages");
    assertThat(family("GET", "/v1.0/users('u1')/calendarView/delta()")).isEqualTo("events");
    assertThat(family("POST", "/v1.0/users/u1/sendMail")).isEqualTo("send mail");
    assertThat(family("GET", "/v1.0/users/u1/calendarView?startDateTime=a&endDateTime=b")).isEqualTo("events");
    assertThat(family("GET", "/v1.0/users/u1/calendarView/delta?startDateTime=a")).isEqualTo("events");
    assertThat(family("POST", "/v1.0/users/u1/events")).isEqualTo("create event");
    assertThat(family("GET", "/v1.0/users/u1/drive/root/children")).isEqualTo("drive items");
    assertThat(family("GET", "/v1.0/drives/d1/root/delta?token=abc")).isEqualTo("drive items");
    assertThat(family("GET", "/v1.0/sites/s1/drive/root:/Reports/q1.xlsx:/content")).isEqualTo("drive items");
    assertThat(family("PUT", "/v1.0/users/u1/drive/root:/Reports/Q1%20summary.txt:/content")).isEqualTo("upload file");
    assertThat(family("PUT", "/v1.0/drives/d1/items/i1%3A/new.txt%3A/content")).isEqualTo("upload file");
    assertThat(family("GET", "/v1.0/sites?search=*")).isEqualTo("sites");
    assertThat(family("POST", "/v1.0/subscriptions")).isEqualTo("subscriptions");
  }

  @Test
  void meIsRefusedAsNotAppOnlyAndUnknownPathsAreUnlisted() {
    assertThat(table.lookup("GET", "/v1.0/me/messages")).isInstanceOfSatisfying(PermissionLookup.NotAppOnly.class,
        n -> assertThat(n.reason()).contains("/v1.0/users/{id or userPrincipalName}/messages"));
    assertThat(table.lookup("GET", "/v1.0/me")).isInstanceOf(PermissionLookup.NotAppOnly.class);
    assertThat(table.lookup("GET", "/v1.0/me/drive/root:/a.txt:/content")).isInstanceOf(PermissionLookup.NotAppOnly.class);
    assertThat(table.lookup("GET", "/v1.0/security/alerts")).isInstanceOf(PermissionLookup.Unlisted.class);
    assertThat(table.lookup("DELETE", "/v1.0/users/u1/sendMail")).isInstanceOf(PermissionLookup.Unlisted.class);
    assertThat(table.lookup("GET", "/users")).isInstanceOf(PermissionLookup.Unlisted.class);
    assertThat(table.lookup("GET", "/v2.0/users")).isInstanceOf(PermissionLookup.Unlisted.class);
    assertThat(table.lookup("GET", "/v1.0/users/u1/drive/items/i1:/x.txt:")).isInstanceOf(PermissionLookup.Unlisted.class);
  }

  @Test
  void theCheckSaysWhatTheTokenCarriesAndWhatToGrant() {
    PermissionCheck missing = PermissionCheck.of("GET", table.lookup("GET", "/v1.0/users/u1/messages"), List.of("User.Read.All"));
    assertThat(missing.verdict()).isEqualTo(PermissionCheck.Verdict.MISSING);
    assertThat(missing.accepted()).containsExactly("Mail.ReadBasic.All", "Mail.Read", "Mail.ReadWrite");
    assertThat(missing.sentence()).isEqualTo("GET /v1.0/users/{user}/messages needs one of the application permissions Mail.ReadBasic.All,"
        + " Mail.Read, Mail.ReadWrite (least privileged first); the connection's token carries none of them: grant Mail.ReadBasic.All to the"
        + " app registration and have the tenant's admin consent again.");
    assertThat(missing.refusalSentence()).isEqualTo(missing.sentence());

    PermissionCheck allowed = PermissionCheck.of("GET", table.lookup("GET", "/v1.0/users/u1/messages"), List.of("Mail.Read", "User.Read.All"));
    assertThat(allowed.allowed()).isTrue();
    assertThat(allowed.carried()).containsExactly("Mail.Read");
    assertThat(allowed.refusalSentence()).contains("the connection's token carries Mail.Read, so Graph refused it for another reason");
    assertThat(allowed.docs()).contains("https://learn.microsoft.com/graph/api/user-list-messages");

    assertThat(PermissionCheck.of("POST", table.lookup("POST", "/v1.0/subscriptions"), List.of()).verdict())
        .isEqualTo(PermissionCheck.Verdict.DEPENDS_ON_RESOURCE);
    assertThat(PermissionCheck.of("GET", table.lookup("GET", "/v1.0/me"), List.of()).verdict()).isEqualTo(PermissionCheck.Verdict.NOT_APP_ONLY);
  }

  @Test
  void whatARequestNeedsIsTheRequiredPermissionSyncsAndActionsCheck() {
    assertThat(table.required("POST", "/v1.0/users/u1/sendMail")).contains(RequiredPermission.anyOf("Mail.Send"));
    assertThat(table.required("POST", "/v1.0/subscriptions")).isEmpty();
    assertThat(table.required("GET", "/v1.0/me/messages")).isEmpty();
    String longMe = "/v1.0/me/" + "a/".repeat(300);
    assertThat(((PermissionLookup.NotAppOnly) table.lookup("GET", longMe)).reason()).hasSizeLessThan(400);
  }

  @Test
  void aTableWithAVersionedPathIsRefusedAtLoad() {
    String yaml = "families:\n  - name: x\n    method: GET\n    paths: [\"/v1.0/users\"]\n    permissions: [User.Read.All]\n    docs: user-list\n";
    assertThatThrownBy(() -> PermissionTable.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("has no version");
  }

  @Test
  void everyFamilyNamesItsDocsAndNoPermissionTwice() {
    for (PathFamily f : table.families()) {
      assertThat(f.docs()).as(f.name()).isNotEmpty();
      assertThat(f.permissions()).as(f.name()).doesNotHaveDuplicates();
      assertThat(f.permissions().isEmpty()).as(f.name() + ": a family without permissions says why").isEqualTo(f.note().isPresent() && f.permissions().isEmpty());
    }
  }
}

package dev.graphgate.emulator.directory;

import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The application permissions (app roles) of Microsoft Graph that the emulator knows, by value and app-role id. The
 * ids are those of Microsoft Graph's service principal ({@code 00000003-0000-0000-c000-000000000000}); see
 * shared/reference/microsoft.md section 13.
 */
public final class GraphPermissions {

  /** The appId of Microsoft Graph, the resource of every token the emulator issues. */
  public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

  public static final String GRAPH_RESOURCE = "https://graph.microsoft.com";

  private static final SequencedMap<String, String> ROLES = new LinkedHashMap<>();

  static {
    ROLES.put("User.Read.All", "df021288-bdef-4463-88db-98f22de89214");
    ROLES.put("User.ReadBasic.All", "97235f07-e226-4f63-ace3-39588e11d3a1");
    ROLES.put("User.ReadWrite.All", "741f803b-c850-494e-b5df-cde7c675a1ca");
    ROLES.put("Directory.Read.All", "7ab1d382-f21e-4acd-a863-ba3e13f7da61");
    ROLES.put("Directory.ReadWrite.All", "19dbc75e-c2e2-444c-a770-ec69d8559fc7");
    ROLES.put("Group.Read.All", "5b567255-7703-4780-807c-7be8301ae99b");
    ROLES.put("Group.ReadWrite.All", "62a82d76-70ea-41e2-9197-370581804d09");
    ROLES.put("GroupMember.Read.All", "98830695-27a2-44f7-8c18-0c3ebc9698f6");
    ROLES.put("GroupMember.ReadWrite.All", "dbaae8cf-10b5-4b86-a4a1-f871c94c6695");
    ROLES.put("Organization.Read.All", "498476ce-e0fe-48b0-b801-37ba7e2685c6");
    ROLES.put("Application.Read.All", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30");
    ROLES.put("Mail.ReadBasic.All", "693c5e45-0940-467d-9b8a-1022fb9d42ef");
    ROLES.put("Mail.Read", "810c84a8-4a9e-49e6-bf7d-12d183f40d01");
    ROLES.put("Mail.ReadWrite", "e2a3a72e-5f79-4c64-b1b1-878b674786c9");
    ROLES.put("Mail.Send", "b633e1c5-b582-4048-a93e-9f11b44c7e96");
    ROLES.put("Calendars.Read", "798ee544-9d2d-430c-a058-570e29e34338");
    ROLES.put("Calendars.ReadWrite", "ef54d2bf-783f-4e0f-bca1-3210c0444d99");
    ROLES.put("Contacts.Read", "089fe4d0-434a-44c5-8827-41ba8a0b17f5");
    ROLES.put("Files.Read.All", "01d4889c-1287-42c6-ac1f-5d1e02578ef6");
    ROLES.put("Files.ReadWrite.All", "75359482-378d-4052-8f01-80520e7db3cd");
    ROLES.put("Sites.Read.All", "332a536c-c7ef-4017-ab91-336970924f0d");
    ROLES.put("Sites.ReadWrite.All", "9492366f-7969-46a4-8d15-ed1a20078fff");
    ROLES.put("Sites.Selected", "883ea226-0bf2-4a8f-9f9d-92c9162a727d");
  }

  private GraphPermissions() {}

  /** Every known permission value, in catalogue order, with its app-role id. */
  public static SequencedMap<String, String> all() {
    return java.util.Collections.unmodifiableSequencedMap(ROLES);
  }

  /** The catalogue spelling of a permission value; Entra compares role values case-insensitively on input. */
  public static Optional<String> canonical(String value) {
    return ROLES.keySet().stream().filter(k -> k.equalsIgnoreCase(value)).findFirst();
  }

  public static Optional<String> appRoleId(String value) {
    return canonical(value).map(ROLES::get);
  }
}

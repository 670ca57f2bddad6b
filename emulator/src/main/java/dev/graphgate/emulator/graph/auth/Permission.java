package dev.graphgate.emulator.graph.auth;

import java.util.Set;

/**
 * What an operation needs: any one of {@code anyOf} (least privileged first, as the reference's section 13 lists
 * them), refused in {@code family}'s words.
 */
public record Permission(Family family, Set<String> anyOf) {

  public Permission {
    anyOf = Set.copyOf(anyOf);
  }

  public static final Permission NONE = new Permission(Family.NONE, Set.of());

  public static final Permission USERS_READ = new Permission(Family.DIRECTORY, Set.of(
      "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"));
  /**
   * {@code users/delta}: User.ReadBasic.All is not enough, unlike a plain read of users (Microsoft's user-delta page lists
   * User.Read.All as the least privileged application permission).
   */
  public static final Permission USERS_DELTA = new Permission(Family.DIRECTORY, Set.of(
      "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"));
  public static final Permission USERS_WRITE = new Permission(Family.DIRECTORY, Set.of("User.ReadWrite.All", "Directory.ReadWrite.All"));
  public static final Permission GROUPS_READ = new Permission(Family.DIRECTORY, Set.of(
      "GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"));
  /** Listing a group's members: GroupMember.ReadWrite.All reads them too (Microsoft's group-list-members page). */
  public static final Permission GROUP_MEMBERS_READ = new Permission(Family.DIRECTORY, Set.of(
      "GroupMember.Read.All", "GroupMember.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All",
      "Directory.ReadWrite.All"));
  public static final Permission GROUPS_WRITE = new Permission(Family.DIRECTORY, Set.of("Group.ReadWrite.All", "Directory.ReadWrite.All"));
  /** Adding and removing members ({@code members/$ref}): GroupMember.ReadWrite.All is the least privileged, as in Graph. */
  public static final Permission GROUP_MEMBERS_WRITE = new Permission(Family.DIRECTORY, Set.of(
      "GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"));
  public static final Permission ORGANIZATION_READ = new Permission(Family.DIRECTORY, Set.of(
      "Organization.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"));
  public static final Permission APPLICATIONS_READ = new Permission(Family.DIRECTORY, Set.of(
      "Application.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"));
  public static final Permission MAIL_READ = new Permission(Family.MAIL, Set.of("Mail.ReadBasic.All", "Mail.Read", "Mail.ReadWrite"));
  public static final Permission MAIL_WRITE = new Permission(Family.MAIL, Set.of("Mail.ReadWrite"));
  public static final Permission MAIL_SEND = new Permission(Family.MAIL, Set.of("Mail.Send"));
  public static final Permission CALENDAR_READ = new Permission(Family.CALENDAR, Set.of("Calendars.Read", "Calendars.ReadWrite"));
  public static final Permission CALENDAR_WRITE = new Permission(Family.CALENDAR, Set.of("Calendars.ReadWrite"));
  public static final Permission FILES_READ = new Permission(Family.FILES, Set.of(
      "Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"));
  public static final Permission FILES_WRITE = new Permission(Family.FILES, Set.of("Files.ReadWrite.All", "Sites.ReadWrite.All"));
  public static final Permission SITES_READ = new Permission(Family.SITES, Set.of("Sites.Read.All", "Sites.ReadWrite.All"));
  public static final Permission SITES_WRITE = new Permission(Family.SITES, Set.of("Sites.ReadWrite.All"));

  public void check(Caller caller) {
    if (family != Family.NONE && !caller.hasAnyRole(anyOf)) {
      throw family.accessDenied(caller);
    }
  }
}

package dev.graphgate.emulator.graph.notify;

import dev.graphgate.emulator.graph.auth.Family;
import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.data.ChangeScope;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.generate.DriveGenerator.DriveRef;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.ChangeType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a subscription watches, resolved once at creation: its permission, the change types Graph allows on it, its
 * longest lifetime, and, for each change in its tenant, the notification it gives (reference section 11).
 */
public sealed interface SubscribedResource {

  Set<String> ALL_CHANGE_TYPES = Set.of("created", "updated", "deleted");

  /** What Graph allows of a subscription on this kind of resource. */
  Terms terms();

  /** The read permission of the resource (subscription-post-subscriptions.md, reference section 13). */
  default Permission permission() {
    return terms().permission();
  }

  default Set<String> allowedChangeTypes() {
    return terms().changeTypes();
  }

  default Duration maxLifetime(NotificationSettings settings) {
    return terms().outlook() ? settings.outlookMaxLifetime() : terms().maxLifetime();
  }

  /** Outlook resources also get {@code subscriptionRemoved} and {@code missed}; every resource gets {@code reauthorizationRequired}. */
  default boolean outlook() {
    return terms().outlook();
  }

  /**
   * A kind of resource's permission, change types and longest lifetime; an Outlook resource's lifetime is the
   * emulator's setting ({@link NotificationSettings#outlookMaxLifetime}), so {@code maxLifetime} is unused for it.
   */
  record Terms(Permission permission, Set<String> changeTypes, Duration maxLifetime, boolean outlook) {
    static Terms directory(Permission permission) {
      return new Terms(permission, Set.of("updated", "deleted"), DIRECTORY_MAX, false);
    }

    static Terms outlook(Permission permission) {
      return new Terms(permission, ALL_CHANGE_TYPES, Duration.ZERO, true);
    }
  }

  /** The notification this resource gives for {@code change} in {@code scope}, or empty when the change is not its. */
  Optional<Notified> notified(TenantData data, ChangeScope scope, Change change);

  /** One change as a notification shows it. */
  record Notified(String changeType, String resource, Map<String, Object> resourceData) {}

  Duration DIRECTORY_MAX = Duration.ofMinutes(41_760);
  Duration DRIVE_MAX = Duration.ofMinutes(42_300);

  record Users() implements SubscribedResource {
    static final Terms TERMS = Terms.directory(new Permission(Family.DIRECTORY, Set.of("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")));

    @Override
    public Terms terms() {
      return TERMS;
    }

    @Override
    public Optional<Notified> notified(TenantData data, ChangeScope scope, Change change) {
      if (!(scope instanceof ChangeScope.Users)) {
        return Optional.empty();
      }
      return Optional.of(directory("User", "Users", data.users().idOf(change.key()), data, change));
    }
  }

  record Groups() implements SubscribedResource {
    static final Terms TERMS = Terms.directory(new Permission(Family.DIRECTORY, Set.of("Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")));

    @Override
    public Terms terms() {
      return TERMS;
    }

    @Override
    public Optional<Notified> notified(TenantData data, ChangeScope scope, Change change) {
      if (!(scope instanceof ChangeScope.Groups)) {
        return Optional.empty();
      }
      return Optional.of(directory("Group", "Groups", data.groups().idOf(change.key()), data, change));
    }
  }

  /** A mailbox's messages, in every folder ({@code folder} null) or in one. */
  record Messages(long userKey, String userId, WellKnownFolder folder) implements SubscribedResource {
    static final Terms TERMS = Terms.outlook(new Permission(Family.MAIL, Set.of("Mail.ReadBasic", "Mail.ReadBasic.All", "Mail.Read", "Mail.ReadWrite")));

    @Override
    public Terms terms() {
      return TERMS;
    }

    @Override
    public Optional<Notified> notified(TenantData data, ChangeScope scope, Change change) {
      if (!(scope instanceof ChangeScope.MailFolder mail) || mail.userKey() != userKey || (folder != null && mail.folder() != folder)) {
        return Optional.empty();
      }
      return Optional.of(outlookItem("Message", "Messages", userId, data.mail().messageId(userKey, change.key()), change));
    }
  }

  /** The events of a user's default calendar. */
  record Events(long userKey, String userId) implements SubscribedResource {
    static final Terms TERMS = Terms.outlook(new Permission(Family.CALENDAR, Set.of("Calendars.Read", "Calendars.ReadWrite")));

    @Override
    public Terms terms() {
      return TERMS;
    }

    @Override
    public Optional<Notified> notified(TenantData data, ChangeScope scope, Change change) {
      if (!(scope instanceof ChangeScope.Calendar calendar) || calendar.userKey() != userKey) {
        return Optional.empty();
      }
      return Optional.of(outlookItem("Event", "Events", userId, data.calendars().eventId(userKey, change.key()), change));
    }
  }

  /**
   * A drive's root: any change anywhere in the drive is one {@code updated} notification on the root, as OneDrive
   * sends them (the receiver then reads the drive's delta to learn what changed).
   */
  record DriveRoot(DriveRef drive, String driveId, String rootId) implements SubscribedResource {
    /** OneDrive for Business subscriptions need Files.ReadWrite.All even to watch (subscription-post-subscriptions.md). */
    static final Terms TERMS = new Terms(new Permission(Family.FILES, Set.of("Files.ReadWrite.All")), Set.of("updated"), DRIVE_MAX, false);

    @Override
    public Terms terms() {
      return TERMS;
    }

    @Override
    public Optional<Notified> notified(TenantData data, ChangeScope scope, Change change) {
      if (!(scope instanceof ChangeScope.Drive changed) || !changed.drive().equals(drive)) {
        return Optional.empty();
      }
      String resource = "drives/" + driveId + "/root";
      Map<String, Object> resourceData = new LinkedHashMap<>();
      resourceData.put("@odata.type", "#Microsoft.Graph.DriveItem");
      resourceData.put("@odata.id", resource);
      resourceData.put("id", rootId);
      return Optional.of(new Notified("updated", resource, resourceData));
    }
  }

  /** Users and groups: a creation is notified as {@code updated}, the only other change type Graph has for them. */
  private static Notified directory(String type, String collection, String id, TenantData data, Change change) {
    String resource = collection + "/" + id;
    Map<String, Object> resourceData = new LinkedHashMap<>();
    resourceData.put("@odata.type", "#Microsoft.Graph." + type);
    resourceData.put("@odata.id", resource);
    resourceData.put("id", id);
    resourceData.put("organizationId", data.tenant().id());
    return new Notified(change.type() == ChangeType.DELETED ? "deleted" : "updated", resource, resourceData);
  }

  private static Notified outlookItem(String type, String collection, String userId, String id, Change change) {
    String resource = "Users/" + userId + "/" + collection + "/" + id;
    Map<String, Object> resourceData = new LinkedHashMap<>();
    resourceData.put("@odata.type", "#Microsoft.Graph." + type);
    resourceData.put("@odata.id", resource);
    resourceData.put("id", id);
    String changeType = switch (change.type()) {
      case CREATED -> "created";
      case UPDATED -> "updated";
      case DELETED -> "deleted";
    };
    return new Notified(changeType, resource, resourceData);
  }
}

package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.generate.DirectoryGenerator;
import dev.graphgate.emulator.graph.generate.DriveGenerator;
import dev.graphgate.emulator.graph.generate.DriveGenerator.DriveRef;
import dev.graphgate.emulator.graph.generate.EventGenerator;
import dev.graphgate.emulator.graph.generate.Generation;
import dev.graphgate.emulator.graph.generate.MailGenerator;
import dev.graphgate.emulator.graph.store.ChangeLog;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.IdKind;
import dev.graphgate.emulator.graph.store.Keys;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * All Graph data of one tenant: users, groups, mailboxes, calendars, drives and sites over one generation, with one
 * change log. Reads are lock-free; every write goes through {@link #write}, which serializes the tenant's writes so the
 * change log's order is the order in which changes became visible.
 *
 * <p>{@code epoch} changes when the tenant is generated again: delta and skip tokens of another epoch are refused.
 */
public final class TenantData {

  private final Tenant tenant;
  private final Generation generation;
  private volatile long epoch;
  private final InstantSource clock;
  private final ChangeLog log;
  private final ReentrantLock lock = new ReentrantLock();
  private final UserDirectory users;
  private final GroupDirectory groups;
  private final Mailboxes mail;
  private final Calendars calendars;
  private final Drives drives;
  private final Sites sites;

  public TenantData(Generation generation, long epoch, InstantSource clock, Duration changeRetention) {
    this.tenant = generation.tenant();
    this.generation = generation;
    this.epoch = epoch;
    this.clock = clock;
    this.log = new ChangeLog(clock, changeRetention);
    DirectoryGenerator directory = new DirectoryGenerator(generation);
    DriveGenerator driveGenerator = new DriveGenerator(generation);
    this.users = new UserDirectory(directory, generation.ids(), log);
    this.groups = new GroupDirectory(directory, generation.ids(), log, users);
    this.mail = new Mailboxes(new MailGenerator(generation, directory), generation.ids(), log);
    this.calendars = new Calendars(new EventGenerator(generation, directory), generation.ids(), log);
    this.drives = new Drives(driveGenerator, generation.ids(), log);
    this.sites = new Sites(driveGenerator, generation.ids(), log);
  }

  public Tenant tenant() {
    return tenant;
  }

  public Generation generation() {
    return generation;
  }

  public long epoch() {
    return epoch;
  }

  /** Invalidates every delta and skip token issued so far (clients then get 410 and start over). */
  public void resetDeltaTokens(long newEpoch) {
    this.epoch = newEpoch;
  }

  public InstantSource clock() {
    return clock;
  }

  public ChangeLog changes() {
    return log;
  }

  public UserDirectory users() {
    return users;
  }

  public GroupDirectory groups() {
    return groups;
  }

  public Mailboxes mail() {
    return mail;
  }

  public Calendars calendars() {
    return calendars;
  }

  public Drives drives() {
    return drives;
  }

  public Sites sites() {
    return sites;
  }

  /** Runs {@code change} as the only writer of this tenant. */
  public <T> T write(Supplier<T> change) {
    lock.lock();
    try {
      return change.get();
    } finally {
      lock.unlock();
    }
  }

  public String now() {
    return Generation.timestamp(clock.instant());
  }

  // ---- writes; callers validate input in Graph's terms first

  /** Removes a site (not the root site), as a SharePoint admin deleting a site collection would; Graph has no such call. */
  public void deleteSite(Entity site) {
    write(() -> {
      sites.store().remove(site);
      return null;
    });
  }

  public Entity createUser(Map<String, Object> props) {
    return write(() -> users.insert(props));
  }

  public Entity updateUser(Entity user, Map<String, Object> changes) {
    return write(() -> users.update(users.get(user.key()).orElse(user), changes));
  }

  public void deleteUser(Entity user) {
    write(() -> {
      users.delete(user);
      return null;
    });
  }

  public Entity createGroup(Map<String, Object> props) {
    return write(() -> groups.insert(props));
  }

  public Entity updateGroup(Entity group, Map<String, Object> changes) {
    return write(() -> groups.update(groups.store().get(group.key()).orElse(group), changes));
  }

  public void deleteGroup(Entity group) {
    write(() -> {
      groups.delete(group);
      return null;
    });
  }

  /** Adds a member; false when it already was one. */
  public boolean addMember(Entity group, Entity user) {
    return write(() -> {
      if (groups.isMember(group, user.key())) {
        return false;
      }
      groups.addMember(group, user.key());
      return true;
    });
  }

  /** Removes a member; false when it was not one. */
  public boolean removeMember(Entity group, Entity user) {
    return write(() -> {
      if (!groups.isMember(group, user.key())) {
        return false;
      }
      groups.removeMember(group, user.key());
      return true;
    });
  }

  public Entity createMessage(Entity owner, Map<String, Object> props) {
    return write(() -> mail.insert(owner.key(), props));
  }

  public Entity updateMessage(Entity owner, Entity message, Map<String, Object> changes) {
    return write(() -> mail.update(owner.key(), message, changes));
  }

  public void deleteMessage(Entity owner, Entity message) {
    write(() -> {
      mail.delete(owner.key(), message);
      return null;
    });
  }

  public Entity createEvent(Entity owner, Map<String, Object> props) {
    return write(() -> calendars.insert(owner.key(), props));
  }

  public Entity updateEvent(Entity owner, Entity event, Map<String, Object> changes) {
    return write(() -> calendars.update(owner.key(), event, changes));
  }

  public void deleteEvent(Entity owner, Entity event) {
    write(() -> {
      calendars.delete(owner.key(), event);
      return null;
    });
  }

  public Entity createDriveItem(Drives.Drive drive, Map<String, Object> props, byte[] content) {
    return write(() -> drives.insert(drive, props, content));
  }

  public Entity updateDriveItem(Drives.Drive drive, Entity item, Map<String, Object> changes, byte[] content) {
    return write(() -> drives.update(drive, item, changes, content));
  }

  public void deleteDriveItem(Drives.Drive drive, Entity item) {
    write(() -> {
      drives.delete(drive, item);
      return null;
    });
  }

  // ---- drives of owners

  public Drives.Drive userDrive(Entity user) {
    return drives.drive(new DriveRef(IdKind.USER_DRIVE, user.key()), !Keys.isCreated(user.key()), identity(user));
  }

  public Drives.Drive siteDrive(Entity site) {
    return drives.drive(sites.driveOf(site), !Keys.isCreated(site.key()), systemIdentity());
  }

  /** A drive by id, when its owner still exists. */
  public java.util.Optional<Drives.Drive> driveById(String id) {
    return drives.parseDriveId(id).flatMap(ref -> {
      if (ref.driveKind() == IdKind.USER_DRIVE) {
        return users.get(ref.ownerKey()).map(this::userDrive);
      }
      return sites.store().get(ref.ownerKey()).map(this::siteDrive);
    });
  }

  /** The drive resource as Graph shows it. */
  public Entity driveEntity(Drives.Drive drive) {
    DriveRef ref = drive.ref();
    boolean personal = ref.driveKind() == IdKind.USER_DRIVE;
    Map<String, Object> owner = personal ? users.get(ref.ownerKey()).map(TenantData::identity).orElse(systemIdentity()) : systemIdentity();
    String id = drives.generator().driveId(ref);
    long used = 0;
    for (var it = drive.items().ascending(0); it.hasNext(); ) {
      Object size = it.next().get("size");
      used += size instanceof Number n ? n.longValue() : 0;
    }
    long total = 1L << 40;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("createdDateTime", Generation.timestamp(generation.anchor().minus(Duration.ofDays(500))));
    p.put("description", "");
    p.put("id", id);
    p.put("lastModifiedDateTime", now());
    p.put("name", personal ? "OneDrive" : "Documents");
    String webBase = "https://" + generation.sharePointHost();
    if (personal) {
      String upn = users.get(ref.ownerKey()).map(u -> u.string("userPrincipalName")).orElse("user");
      p.put("webUrl", webBase.replace(".sharepoint.com", "-my.sharepoint.com") + "/personal/" + upn.replaceAll("[@.]", "_") + "/Documents");
    } else {
      String site = sites.store().get(ref.ownerKey()).map(s -> s.string("webUrl")).orElse(webBase);
      p.put("webUrl", site + "/Shared%20Documents");
    }
    p.put("driveType", personal ? "business" : "documentLibrary");
    p.put("createdBy", Map.of("user", Map.of("displayName", "System Account")));
    p.put("owner", owner);
    p.put("quota", Map.of("deleted", 0L, "remaining", total - used, "state", "normal", "total", total, "used", used));
    return new Entity(0, id, p);
  }

  public static Map<String, Object> identity(Entity user) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("email", user.get("mail"));
    identity.put("id", user.id());
    identity.put("displayName", user.get("displayName"));
    return Map.of("user", identity);
  }

  static Map<String, Object> systemIdentity() {
    return Map.of("user", Map.of("displayName", "System Account"));
  }
}

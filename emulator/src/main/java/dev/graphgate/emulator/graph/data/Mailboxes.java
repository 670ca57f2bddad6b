package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.graph.generate.MailGenerator;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.store.ChangeLog;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import dev.graphgate.emulator.graph.store.IdCodec;
import dev.graphgate.emulator.graph.store.IdKind;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mailboxes of a tenant's users, created on first use: a mailbox holds the messages of all its folders; each
 * folder is its own delta scope, so moving a message is a removal from one folder and an addition to another.
 */
public final class Mailboxes {

  /** The folder id that well-known folders name as their parent. */
  static final long ROOT_FOLDER = 99;

  private final MailGenerator generator;
  private final IdCodec ids;
  private final ChangeLog log;
  private final Map<Long, EntityStore> mailboxes = new ConcurrentHashMap<>();

  Mailboxes(MailGenerator generator, IdCodec ids, ChangeLog log) {
    this.generator = generator;
    this.ids = ids;
    this.log = log;
  }

  public static String scope(long userKey, WellKnownFolder folder) {
    return "mail/" + userKey + "/" + folder.wellKnownName();
  }

  public EntityStore messages(long userKey) {
    return mailboxes.computeIfAbsent(
        userKey,
        u -> new EntityStore(log, e -> scope(u, folderOf(u, e)), generator.messageCount(u), k -> generator.message(u, k)));
  }

  public String folderId(long userKey, WellKnownFolder folder) {
    return ids.outlook(IdKind.MAIL_FOLDER, userKey, folder.ordinal());
  }

  public String messageId(long userKey, long key) {
    return ids.outlook(IdKind.MESSAGE, userKey, key);
  }

  /** A folder by id or well-known name ({@code inbox}, {@code sentitems}, ...). */
  public Optional<WellKnownFolder> folder(long userKey, String idOrName) {
    Optional<WellKnownFolder> named = WellKnownFolder.byName(idOrName);
    if (named.isPresent()) {
      return named;
    }
    return ids.fromOutlook(idOrName, IdKind.MAIL_FOLDER)
        .filter(p -> p.owner() == userKey && p.item() < WellKnownFolder.values().length)
        .map(p -> WellKnownFolder.values()[(int) p.item()]);
  }

  public WellKnownFolder folderOf(long userKey, Entity message) {
    Object parent = message.get("parentFolderId");
    return parent == null ? WellKnownFolder.INBOX : folder(userKey, parent.toString()).orElse(WellKnownFolder.INBOX);
  }

  public Optional<Entity> message(long userKey, String id) {
    return ids.fromOutlook(id, IdKind.MESSAGE).filter(p -> p.owner() == userKey).flatMap(p -> messages(userKey).get(p.item()));
  }

  /** The folder as Graph shows it, with its counts. */
  public Entity folderEntity(long userKey, WellKnownFolder folder) {
    return folderEntity(userKey, folder, counts(userKey));
  }

  /** Every folder of the mailbox as Graph shows it, counted in one pass over the messages. */
  public List<Entity> folderEntities(long userKey) {
    Map<WellKnownFolder, int[]> counts = counts(userKey);
    return Arrays.stream(WellKnownFolder.values()).map(folder -> folderEntity(userKey, folder, counts)).toList();
  }

  /** Per folder: its messages and its unread messages. */
  private Map<WellKnownFolder, int[]> counts(long userKey) {
    Map<WellKnownFolder, int[]> counts = new EnumMap<>(WellKnownFolder.class);
    for (WellKnownFolder folder : WellKnownFolder.values()) {
      counts.put(folder, new int[2]);
    }
    for (Iterator<Entity> it = messages(userKey).ascending(-1); it.hasNext(); ) {
      Entity message = it.next();
      int[] count = counts.get(folderOf(userKey, message));
      count[0]++;
      if (!Boolean.TRUE.equals(message.get("isRead"))) {
        count[1]++;
      }
    }
    return counts;
  }

  private Entity folderEntity(long userKey, WellKnownFolder folder, Map<WellKnownFolder, int[]> counts) {
    int total = counts.get(folder)[0];
    int unread = counts.get(folder)[1];
    String id = folderId(userKey, folder);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", id);
    p.put("displayName", folder.displayName());
    p.put("parentFolderId", ids.outlook(IdKind.MAIL_FOLDER, userKey, ROOT_FOLDER));
    p.put("childFolderCount", 0);
    p.put("unreadItemCount", unread);
    p.put("totalItemCount", total);
    p.put("sizeInBytes", total * 4096L);
    p.put("isHidden", false);
    return new Entity(folder.ordinal(), id, p);
  }

  Entity insert(long userKey, Map<String, Object> props) {
    EntityStore store = messages(userKey);
    long key = store.newKey();
    String id = messageId(userKey, key);
    Map<String, Object> withId = new LinkedHashMap<>();
    withId.put("@odata.etag", props.get("@odata.etag"));
    withId.put("id", id);
    withId.putAll(props);
    withId.put("id", id);
    if (withId.get("webLink") == null) {
      withId.put("webLink", "https://outlook.office365.com/owa/?ItemID=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8) + "&exvsurl=1&viewmodel=ReadMessageItem");
    }
    return store.insert(new Entity(key, id, withId));
  }

  Entity update(long userKey, Entity current, Map<String, Object> changes) {
    return messages(userKey).replace(current, current.with(changes));
  }

  void delete(long userKey, Entity current) {
    messages(userKey).remove(current);
  }
}

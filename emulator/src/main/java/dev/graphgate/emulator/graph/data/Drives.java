package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.graph.generate.DriveGenerator;
import dev.graphgate.emulator.graph.generate.DriveGenerator.DriveRef;
import dev.graphgate.emulator.graph.generate.FileContent;
import dev.graphgate.emulator.graph.generate.Generation;
import dev.graphgate.emulator.graph.store.ChangeLog;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import dev.graphgate.emulator.graph.store.IdCodec;
import dev.graphgate.emulator.graph.store.IdKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users' OneDrives and sites' document libraries, created on first use. Generated files keep no bytes (they are
 * computed from a seed); uploaded files keep theirs, which is why uploads are limited to small files.
 */
public final class Drives {

  private final DriveGenerator generator;
  private final IdCodec ids;
  private final ChangeLog log;
  private final Map<DriveRef, Drive> drives = new ConcurrentHashMap<>();

  /** One drive: its items and the bytes uploaded into it. */
  public static final class Drive {
    private final DriveRef ref;
    private final EntityStore items;
    private final Map<Long, byte[]> uploads = new ConcurrentHashMap<>();

    Drive(DriveRef ref, EntityStore items) {
      this.ref = ref;
      this.items = items;
    }

    public DriveRef ref() {
      return ref;
    }

    public EntityStore items() {
      return items;
    }
  }

  /** What a file's content is: uploaded bytes or generated ones. */
  public sealed interface Content {
    long length();
  }

  public record Uploaded(byte[] bytes) implements Content {
    @Override
    public long length() {
      return bytes.length;
    }
  }

  public record Generated(FileContent content) implements Content {
    @Override
    public long length() {
      return content.length();
    }
  }

  Drives(DriveGenerator generator, IdCodec ids, ChangeLog log) {
    this.generator = generator;
    this.ids = ids;
    this.log = log;
  }

  public DriveGenerator generator() {
    return generator;
  }

  /** The drive of {@code ref}; {@code generatedOwner} says whether it starts with generated items. */
  public Drive drive(DriveRef ref, boolean generatedOwner, Map<String, Object> owner) {
    return drives.computeIfAbsent(
        ref,
        r -> new Drive(r, new EntityStore(log, e -> r.scope(), generator.itemCount(r, generatedOwner), k -> generator.item(r, k, owner))));
  }

  public Optional<DriveRef> parseDriveId(String id) {
    for (IdKind kind : new IdKind[] {IdKind.USER_DRIVE, IdKind.SITE_DRIVE}) {
      Optional<IdCodec.Parts> parts = ids.fromDrive(id, kind);
      if (parts.isPresent()) {
        return Optional.of(new DriveRef(kind, parts.get().owner()));
      }
    }
    return Optional.empty();
  }

  public Optional<Entity> item(Drive drive, String itemId) {
    return ids.fromDriveItem(itemId, drive.ref().itemKind())
        .filter(p -> p.owner() == drive.ref().ownerKey())
        .flatMap(p -> drive.items().get(p.item()));
  }

  public Entity root(Drive drive) {
    return drive.items().get(0).orElseThrow();
  }

  /** The children of folder {@code parent}, in key order. */
  public List<Entity> children(Drive drive, Entity parent) {
    List<Entity> children = new ArrayList<>();
    for (Iterator<Entity> it = drive.items().ascending(0); it.hasNext(); ) {
      Entity item = it.next();
      if (parent.id().equals(parentId(item))) {
        children.add(item);
      }
    }
    return children;
  }

  public Optional<Entity> child(Drive drive, Entity parent, String name) {
    return children(drive, parent).stream().filter(c -> name.equalsIgnoreCase(c.string("name"))).findFirst();
  }

  /** Resolves a path such as {@code /Projects 1/report-3.docx} below {@code start}. */
  public Optional<Entity> byPath(Drive drive, Entity start, String path) {
    Entity current = start;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      Optional<Entity> next = child(drive, current, part);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      current = next.get();
    }
    return Optional.of(current);
  }

  public static String parentId(Entity item) {
    Object parent = item.get("parentReference");
    return parent instanceof Map<?, ?> map && map.get("id") != null ? map.get("id").toString() : null;
  }

  public Content content(Drive drive, Entity file) {
    byte[] uploaded = drive.uploads.get(file.key());
    if (uploaded != null) {
      return new Uploaded(uploaded);
    }
    long size = ((Number) file.get("size")).longValue();
    return new Generated(new FileContent(generator.contentSeed(drive.ref(), file.key()), size, file.string("name")));
  }

  /** The item as Graph shows it: folders count their children now. */
  public Entity view(Drive drive, Entity item) {
    return item.get("folder") == null ? item : view(item, childCounts(drive));
  }

  /** The item as Graph shows it, with folder child counts from {@link #childCounts}: for listings of many items. */
  public static Entity view(Entity item, Map<String, Integer> childCounts) {
    if (item.get("folder") == null) {
      return item;
    }
    return item.with("folder", Map.of("childCount", childCounts.getOrDefault(item.id(), 0)));
  }

  /** How many children each folder of the drive has, by folder id, from one pass over its items. */
  public Map<String, Integer> childCounts(Drive drive) {
    Map<String, Integer> counts = new HashMap<>();
    for (Iterator<Entity> it = drive.items().ascending(0); it.hasNext(); ) {
      String parent = parentId(it.next());
      if (parent != null) {
        counts.merge(parent, 1, Integer::sum);
      }
    }
    return counts;
  }

  Entity insert(Drive drive, Map<String, Object> props, byte[] content) {
    long key = drive.items().newKey();
    String id = generator.itemId(drive.ref(), key);
    Map<String, Object> withId = new LinkedHashMap<>();
    withId.put("id", id);
    withId.putAll(props);
    withId.put("id", id);
    withId.put("eTag", "\"{" + id + "},1\"");
    withId.put("cTag", "\"c:{" + id + "},1\"");
    if (content != null) {
      drive.uploads.put(key, content);
    }
    return drive.items().insert(new Entity(key, id, withId));
  }

  Entity update(Drive drive, Entity current, Map<String, Object> changes, byte[] content) {
    Map<String, Object> all = new LinkedHashMap<>(changes);
    int version = version(current) + 1;
    all.put("eTag", "\"{" + current.id() + "}," + version + "\"");
    all.put("cTag", "\"c:{" + current.id() + "}," + version + "\"");
    if (content != null) {
      drive.uploads.put(current.key(), content);
    }
    return drive.items().replace(current, current.with(all));
  }

  void delete(Drive drive, Entity item) {
    if (item.get("folder") != null) {
      for (Entity child : children(drive, item)) {
        delete(drive, child);
      }
    }
    drive.uploads.remove(item.key());
    drive.items().remove(item);
  }

  private static int version(Entity item) {
    String eTag = item.string("eTag");
    if (eTag == null) {
      return 1;
    }
    int comma = eTag.lastIndexOf(',');
    try {
      return Integer.parseInt(eTag.substring(comma + 1, eTag.length() - 1));
    } catch (RuntimeException e) {
      return 1;
    }
  }

  public static String now(java.time.Instant instant) {
    return Generation.timestamp(instant);
  }
}

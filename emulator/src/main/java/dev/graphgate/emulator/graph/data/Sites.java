package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.graph.generate.DriveGenerator;
import dev.graphgate.emulator.graph.store.ChangeLog;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import dev.graphgate.emulator.graph.store.IdCodec;
import dev.graphgate.emulator.graph.store.IdKind;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A tenant's SharePoint sites; site 0 is the root site. Ids are {@code host,siteCollectionId,webId} as SharePoint's. */
public final class Sites {

  public static final String SCOPE = "sites";

  private final DriveGenerator generator;
  private final IdCodec ids;
  private final EntityStore store;

  Sites(DriveGenerator generator, IdCodec ids, ChangeLog log) {
    this.generator = generator;
    this.ids = ids;
    this.store = new EntityStore(log, e -> SCOPE, generator.siteCount(), generator::site);
  }

  public EntityStore store() {
    return store;
  }

  public Entity root() {
    return store.get(0).orElseThrow();
  }

  /** By full id ({@code host,guid,guid}), by site collection GUID alone, or {@code root}. */
  public Optional<Entity> find(String id) {
    if (id.equalsIgnoreCase("root")) {
      return Optional.of(root());
    }
    String[] parts = id.split(",", -1);
    String guid = parts.length == 3 ? parts[1] : parts[0];
    return ids.fromGuid(guid.toLowerCase(Locale.ROOT), IdKind.SITE).flatMap(p -> store.get(p.item()));
  }

  /** By server-relative path, as {@code /sites/{hostname}:/sites/{name}}. */
  public Optional<Entity> byPath(String hostname, String path) {
    if (!hostname.equalsIgnoreCase(String.valueOf(((Map<?, ?>) root().get("siteCollection")).get("hostname")))) {
      return Optional.empty();
    }
    String wanted = ("https://" + hostname + (path.equals("/") ? "" : path)).toLowerCase(Locale.ROOT);
    for (Iterator<Entity> it = store.ascending(-1); it.hasNext(); ) {
      Entity site = it.next();
      if (site.string("webUrl").toLowerCase(Locale.ROOT).equals(wanted.replaceAll("/$", ""))) {
        return Optional.of(site);
      }
    }
    return Optional.empty();
  }

  public DriveGenerator.DriveRef driveOf(Entity site) {
    return new DriveGenerator.DriveRef(IdKind.SITE_DRIVE, site.key());
  }
}

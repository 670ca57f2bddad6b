package dev.graphgate.server.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pre-built syncs this server offers, by name. */
public final class SyncCatalog {
  private final Map<String, GraphSync> byName = new LinkedHashMap<>();

  public SyncCatalog(List<GraphSync> syncs) {
    syncs.forEach(s -> byName.put(s.name(), s));
  }

  public static SyncCatalog standard() {
    return new SyncCatalog(List.of(new UsersSync(), new GroupsSync(), new MessagesSync(), new EventsSync(), new DriveItemsSync(), new SitesSync()));
  }

  public Optional<GraphSync> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}

package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.data.Drives;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.resource.DriveResources;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Delta of a drive: {@code root/delta}, with the {@code deleted} facet for removed items. */
final class DriveDelta {
  private static final int PAGE = 200;

  private final DeltaEngine engine;

  DriveDelta(DeltaEngine engine) {
    this.engine = engine;
  }

  // ---- drive items

  GraphResponse driveItems(GraphCall call) {
    DeltaSupport.refuse(call.request(), Set.of("$filter", "$orderby", "$search", "$count", "$skip", "$expand"));
    TenantData data = call.data();
    Drives.Drive drive = DriveResources.resolve(call);
    String scope = drive.ref().scope();
    Map<String, String> requested = new LinkedHashMap<>();
    if (call.request().param("$select") != null) {
      requested.put("$select", call.request().param("$select"));
    }
    if (call.request().param("$top") != null) {
      requested.put("$top", call.request().param("$top"));
    }
    DeltaEngine.Round round = engine.begin(call.request(), data, "driveItems", scope, DeltaEngine.Style.DRIVE, requested);
    List<String> select = QueryOptions.parseSelect(round.options().get("$select"), EntityType.DRIVE_ITEM);
    EntityStore store = drive.items();
    int pageSize = DeltaSupport.parsePositive(round.options().get("$top"), PAGE);
    String driveId = data.drives().generator().driveId(drive.ref());
    Map<String, Integer> childCounts = data.drives().childCounts(drive);
    DeltaSource source = new DeltaSupport.StoreSource("driveItems", scope, store, pageSize) {
      @Override
      public Optional<Map<String, Object>> initial(Entity item) {
        return Optional.of(EntityType.DRIVE_ITEM.render(Drives.view(item, childCounts).props(), select, true));
      }

      @Override
      public Optional<Map<String, Object>> changed(long key, List<Change> changes) {
        Optional<Entity> item = store.get(key);
        if (item.isPresent()) {
          return initial(item.get());
        }
        Map<String, Object> deleted = new LinkedHashMap<>();
        deleted.put("id", data.drives().generator().itemId(drive.ref(), key));
        store.tombstone(key).ifPresent(t -> deleted.put("name", t.get("name")));
        deleted.put("parentReference", Map.of("driveId", driveId));
        deleted.put("deleted", Map.of("state", "deleted"));
        return Optional.of(deleted);
      }
    };
    return engine.page(call.request(), data, round, source, DeltaEngine.Style.DRIVE, "Collection(driveItem)");
  }

}

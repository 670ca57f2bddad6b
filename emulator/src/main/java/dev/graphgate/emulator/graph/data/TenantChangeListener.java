package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.graph.store.Change;

/**
 * Told of every change to any tenant's data, whoever made it (a Graph write, the admin API's pass-through, a site
 * deleted by the admin API), inside that tenant's write. Implementations queue what they need and return at once.
 */
@FunctionalInterface
public interface TenantChangeListener {
  TenantChangeListener NONE = (data, scope, change) -> {};

  void changed(TenantData data, ChangeScope scope, Change change);
}

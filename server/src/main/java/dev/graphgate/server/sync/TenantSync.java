package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** A sync of one delta round over the whole tenant ({@code /users/delta}, {@code /groups/delta}, the sites). */
public non-sealed interface TenantSync extends GraphSync {
  /**
   * The record for a Graph item. {@code known} is what this round already knows of the entity (the stored record, when
   * the item continues or updates it); syncs whose items always carry the whole state ignore it.
   */
  ObjectNode toRecord(JsonNode item, Optional<ObjectNode> known);
}

package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A pre-built sync: a Graph delta query mirrored into one model of the records store. Each sync is a small class
 * saying what it reads and how a Graph item becomes a record; {@link SyncRunner} does the rest for all of them.
 */
public interface GraphSync {
  /** The name the API uses ({@code users}). */
  String name();

  /** The records' model ({@code User}). */
  String model();

  /** The application permission to grant, named in {@code permission_missing}. */
  String permission();

  /** Every permission that allows the reads, the least privileged first (it includes {@link #permission()}). */
  List<String> satisfiedBy();

  /** The first request of a full round: the delta path with the {@code $select} of what the model keeps. */
  String initialLink();

  /** Whether the item is a removal ({@code @removed}) rather than a state. */
  default boolean removed(JsonNode item) {
    return item.has("@removed");
  }

  /**
   * The record for a Graph item. {@code known} is what this round already knows of the entity (the stored record, when
   * the item continues or updates it); syncs whose items always carry the whole state ignore it.
   */
  ObjectNode toRecord(JsonNode item, Optional<ObjectNode> known);
}

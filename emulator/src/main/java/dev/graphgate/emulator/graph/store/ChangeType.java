package dev.graphgate.emulator.graph.store;

/** What happened to an entity, as recorded in the change log. */
public enum ChangeType {
  CREATED,
  UPDATED,
  DELETED
}

package dev.graphgate.server.records;

/** What last happened to a record, as {@code GET /records} reports it in {@code _nango_metadata.last_action}. */
public enum RecordAction {
  ADDED,
  UPDATED,
  DELETED
}

package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A pre-built sync: a Graph delta query mirrored into one model of the records store. Each sync is a small class
 * saying what it reads and how a Graph item becomes a record; {@link SyncRunner} does the rest for all of them. One
 * kind reads one delta round over the tenant ({@link TenantSync}), the other one round per mailbox or drive
 * ({@link MailboxSync}).
 */
public sealed interface GraphSync permits TenantSync, MailboxSync {
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
}

package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.graph.GraphAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sync that reads one or more delta streams per mailbox ({@link SyncStream}): the messages of each mail folder, a
 * mailbox's calendar view. The mailboxes are the connection's metadata {@value #MAILBOXES} (user ids or user principal
 * names) when it has that key, else every user of the tenant with a mailbox ({@code mail} set), listed from
 * {@link #initialLink()} at the start of each run. {@link SyncRunner} runs the streams one after the other, each with
 * its own checkpoint.
 */
public non-sealed interface MailboxSync extends GraphSync {
  /** The connection metadata key listing the mailboxes to sync. */
  String MAILBOXES = "mailboxes";
  /** Listing the tenant's mailboxes needs one of these (when the metadata names none). */
  List<String> LISTING_SATISFIED_BY = List.of("User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
      "Directory.ReadWrite.All");

  /** The listing of the tenant's users, from which those with a mailbox are synced. */
  @Override
  default String initialLink() {
    return "/v1.0/users?$select=id,mail&$top=999";
  }

  /**
   * The requests listing the streams' owners when the metadata names none, given what the token grants: by default
   * the tenant's users ({@link #initialLink()}).
   */
  default List<String> listingLinks(GraphAccess.Granted access) {
    return List.of(initialLink());
  }

  /** The owner an item of the listing {@code link} stands for, or empty to skip it: by default a user with a mailbox. */
  default Optional<String> owner(String link, JsonNode listed) {
    return listed.path("mail").isTextual() && !listed.path("mail").asText().isEmpty() && !listed.path("id").asText("").isEmpty()
        ? Optional.of(listed.path("id").asText()) : Optional.empty();
  }

  /** The metadata key naming the owners instead of listing them ({@value #MAILBOXES}), when the sync has one. */
  default Optional<String> ownersKey() {
    return Optional.of(MAILBOXES);
  }

  /** Listing the owners needs one of these, the least privileged first. */
  default List<String> listingSatisfiedBy() {
    return LISTING_SATISFIED_BY;
  }

  /** What the owners are called in messages. */
  default String ownersNoun() {
    return "mailboxes";
  }

  /** The delta streams of one mailbox, given the connection's metadata (an empty object when it has none). */
  List<SyncStream> streams(String mailbox, JsonNode metadata, Instant now);

  /**
   * A cheap request (relative to Graph's version root) that answers 404 exactly when the stream's delta would (no
   * mailbox, no OneDrive), or empty when there is none. A stream that has no checkpoint yet is probed first, its probes
   * {@value dev.graphgate.server.graph.GraphClient#BATCH_SIZE} to a {@code $batch}: in a tenant where many users have no
   * mailbox or drive, that is one request per 20 of them instead of one each, run after run.
   */
  default Optional<String> probe(SyncStream stream) {
    return Optional.empty();
  }

  /** The record of one Graph item of the stream. */
  ObjectNode toRecord(SyncStream stream, JsonNode item);

  /** What is wrong with the metadata for this sync, or empty; a run with a problem fails with {@code invalid_metadata}. */
  default Optional<String> metadataProblem(JsonNode metadata) {
    return stringList(metadata, MAILBOXES).isPresent() || !metadata.has(MAILBOXES) ? Optional.empty()
        : Optional.of("The connection metadata '" + MAILBOXES + "' must be a list of user ids or user principal names, such as "
            + "[\"adele@contoso.com\"]; remove it to sync every mailbox.");
  }

  /** Whether the connection's metadata names the owners, so listing them (and its permission) is not needed. */
  default boolean ownersNamedBy(Connection c) {
    return ownersKey().filter(key -> stringList(metadata(c), key).isPresent()).isPresent();
  }

  /** The connection's metadata, an empty object when it has none. */
  static JsonNode metadata(Connection c) {
    return c.metadata().filter(JsonNode::isObject).orElseGet(Json::object);
  }

  /** The metadata value at {@code key} when it is a list of non-empty strings without '/'. */
  static Optional<List<String>> stringList(JsonNode metadata, String key) {
    JsonNode v = metadata.get(key);
    if (v == null || !v.isArray()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual() || e.asText().isBlank() || e.asText().contains("/") || e.asText().length() > 120) {
        return Optional.empty();
      }
      out.add(e.asText().trim());
    }
    return Optional.of(out);
  }
}

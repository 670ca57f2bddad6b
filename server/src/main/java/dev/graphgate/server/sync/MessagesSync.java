package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code messages} → model {@code Message}: the mail of each mailbox, one delta stream per mail folder
 * ({@code /users/{id}/mailFolders/{folder}/messages/delta}). A record's id is {@code {mailbox}/{folder}/{Graph's id}}:
 * Graph's message ids are unique only within a mailbox, and a message moved to another folder leaves one folder's
 * stream (removed there) and enters another's, so it is a record of each. Graph sends every selected property of a
 * changed message, so each item replaces the record.
 */
public final class MessagesSync implements MailboxSync {
  /** The connection metadata key listing the folders to sync (ids or well-known names). */
  public static final String FOLDERS = "mailFolders";
  /** The folders synced when the metadata names none: Outlook's well-known folders. */
  public static final List<String> DEFAULT_FOLDERS = List.of("inbox", "sentitems", "drafts", "deleteditems", "archive");
  /** Graph's message properties the model keeps ({@code $select}), under their Graph names. */
  public static final List<String> GRAPH_FIELDS = List.of("subject", "from", "sender", "toRecipients", "ccRecipients", "replyTo",
      "receivedDateTime", "sentDateTime", "createdDateTime", "lastModifiedDateTime", "isRead", "isDraft", "importance", "hasAttachments",
      "bodyPreview", "conversationId", "internetMessageId", "categories", "flag", "parentFolderId", "webLink");

  @Override
  public String name() {
    return "messages";
  }

  @Override
  public String model() {
    return "Message";
  }

  @Override
  public String permission() {
    return "Mail.Read";
  }

  @Override
  public List<String> satisfiedBy() {
    return List.of("Mail.Read", "Mail.ReadBasic.All", "Mail.ReadWrite");
  }

  @Override
  public List<SyncStream> streams(String mailbox, JsonNode metadata, Instant now) {
    String user = URLEncoder.encode(mailbox, StandardCharsets.UTF_8);
    return MailboxSync.stringList(metadata, FOLDERS).orElse(DEFAULT_FOLDERS).stream()
        .map(folder -> new SyncStream(mailbox + "/" + folder, mailbox, folder, "/v1.0/users/" + user + "/mailFolders/"
            + URLEncoder.encode(folder, StandardCharsets.UTF_8) + "/messages/delta?$select=" + String.join(",", GRAPH_FIELDS)))
        .toList();
  }

  /**
   * The mailbox's folders, one of them: Graph answers 404 for a user without an Exchange mailbox
   * ({@code MailboxNotEnabledForRESTAPI}). Every folder stream of a mailbox shares this one probe; a folder that does
   * not exist is still found out by its own delta request.
   */
  @Override
  public Optional<String> probe(SyncStream stream) {
    return Optional.of("/users/" + URLEncoder.encode(stream.mailbox(), StandardCharsets.UTF_8) + "/mailFolders?$select=id&$top=1");
  }

  @Override
  public Optional<String> metadataProblem(JsonNode metadata) {
    if (metadata.has(FOLDERS) && MailboxSync.stringList(metadata, FOLDERS).isEmpty()) {
      return Optional.of("The connection metadata '" + FOLDERS + "' must be a list of mail folder ids or well-known names, such as "
          + "[\"inbox\", \"sentitems\"]; remove it to sync " + String.join(", ", DEFAULT_FOLDERS) + ".");
    }
    return MailboxSync.super.metadataProblem(metadata);
  }

  @Override
  public ObjectNode toRecord(SyncStream stream, JsonNode item) {
    ObjectNode r = Json.object();
    r.put("id", stream.recordId(item.path("id").asText()));
    r.put("messageId", item.path("id").asText());
    r.put("mailbox", stream.mailbox());
    r.put("folder", stream.folder());
    for (String field : GRAPH_FIELDS) {
      JsonNode v = item.get(field);
      r.set(field, v == null ? Json.MAPPER.nullNode() : v.deepCopy());
    }
    return r;
  }
}

package dev.graphgate.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.graph.GraphAccess;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code drive-items} → model {@code DriveItem}: the files and folders of every user's OneDrive
 * ({@code /users/{id}/drive/root/delta}) and, when the token may list sites ({@code Sites.Read.All}), of every site's
 * default document library ({@code /sites/{id}/drive/root/delta}); one delta stream per drive, each with its own
 * checkpoint. A stream's key is its drive's owner ({@code users/{user id}}, {@code sites/{site id}}) and a record's id
 * {@code {owner}/{Graph's item id}}: Graph's item ids are unique within a drive only. A user without a OneDrive (Graph
 * answers 404) is skipped. A removal is Graph's {@code deleted} facet (or {@code @removed}).
 */
public final class DriveItemsSync implements MailboxSync {
  /** Graph's driveItem properties the model keeps, under their Graph names. */
  public static final List<String> GRAPH_FIELDS = List.of("name", "size", "webUrl", "eTag", "cTag", "createdDateTime", "lastModifiedDateTime",
      "createdBy", "lastModifiedBy", "parentReference", "fileSystemInfo", "file", "folder", "root");
  /** Listing the sites, whose drives are then synced too, needs one of these. */
  public static final List<String> SITE_LISTING = List.of("Sites.Read.All", "Sites.ReadWrite.All");
  static final String USERS_LINK = "/v1.0/users?$select=id&$top=999";
  static final String SITES_LINK = "/v1.0/sites?search=*&$select=id";

  @Override
  public String name() {
    return "drive-items";
  }

  @Override
  public String model() {
    return "DriveItem";
  }

  @Override
  public String permission() {
    return "Files.Read.All";
  }

  @Override
  public List<String> satisfiedBy() {
    return List.of("Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All");
  }

  @Override
  public String initialLink() {
    return USERS_LINK;
  }

  @Override
  public List<String> listingLinks(GraphAccess.Granted access) {
    return access.grantsAny(SITE_LISTING) ? List.of(USERS_LINK, SITES_LINK) : List.of(USERS_LINK);
  }

  @Override
  public Optional<String> owner(String link, JsonNode listed) {
    String id = listed.path("id").asText("");
    return id.isEmpty() || id.contains("/") ? Optional.empty() : Optional.of((link.equals(SITES_LINK) ? "sites/" : "users/") + id);
  }

  /** Every user's drive is synced: the connection's metadata does not narrow it. */
  @Override
  public Optional<String> ownersKey() {
    return Optional.empty();
  }

  @Override
  public String ownersNoun() {
    return "users";
  }

  @Override
  public Optional<String> metadataProblem(JsonNode metadata) {
    return Optional.empty();
  }

  @Override
  public boolean removed(JsonNode item) {
    return item.has("@removed") || item.path("deleted").isObject();
  }

  @Override
  public List<SyncStream> streams(String owner, JsonNode metadata, Instant now) {
    return List.of(new SyncStream(owner, owner, null, "/v1.0/" + owner + "/drive/root/delta?$select=id,deleted," + String.join(",", GRAPH_FIELDS)));
  }

  /** The drive itself: Graph answers 404 for a user without a OneDrive (no licence, never signed in). */
  @Override
  public Optional<String> probe(SyncStream stream) {
    return Optional.of("/" + stream.mailbox() + "/drive?$select=id");
  }

  @Override
  public ObjectNode toRecord(SyncStream stream, JsonNode item) {
    ObjectNode r = Json.object();
    r.put("id", stream.recordId(item.path("id").asText()));
    r.put("itemId", item.path("id").asText());
    r.put("driveOwner", stream.mailbox());
    for (String field : GRAPH_FIELDS) {
      JsonNode v = item.get(field);
      r.set(field, v == null ? Json.MAPPER.nullNode() : v.deepCopy());
    }
    // A folder's childCount moves with every child added or removed, and Graph does not always send the folder again
    // then; a record would hold a stale count, so the model keeps only that it is a folder.
    if (r.get("folder") instanceof ObjectNode folder) {
      folder.remove("childCount");
    }
    return r;
  }
}

package dev.graphgate.server.notification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.graph.GraphAccess;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.graph.RoundOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which Graph subscriptions a sync needs for a connection, and how long Graph lets each live (microsoft.md §11).
 * {@code users} and {@code groups}: one on the directory collection ({@code updated,deleted}, the only change types
 * Graph allows there). {@code messages} and {@code events}: one per mailbox ({@code created,updated,deleted}), the
 * mailboxes being the connection metadata {@value #MAILBOXES} when set, else the tenant's users with a mailbox, listed
 * once when the sync's subscriptions are planned. {@code drive-items}: one per user with a mailbox, on their OneDrive's
 * root ({@code updated}), only when the token grants Graph's {@code Files.ReadWrite.All} for it. {@code sites} gets none (site libraries neither): it runs on its schedule only.
 */
final class SubscriptionPlan {
  static final String MAILBOXES = "mailboxes";
  static final Set<String> SYNCS = Set.of("users", "groups", "messages", "events", "drive-items");
  /** Directory objects: less than 29 days (41,760 minutes). */
  static final Duration DIRECTORY_LIFETIME = Duration.ofMinutes(41_760);
  /** What Graph asks of an app-only subscription on a drive. */
  static final List<String> DRIVE_PERMISSIONS = List.of("Files.ReadWrite.All", "Sites.ReadWrite.All");
  /** Drive items: less than 30 days (42,300 minutes). */
  static final Duration DRIVE_LIFETIME = Duration.ofMinutes(42_300);
  /** Outlook messages and events: the safe cap of 4,230 minutes (the docs disagree; real 400s still name this one). */
  static final Duration OUTLOOK_LIFETIME = Duration.ofMinutes(4_230);
  /** Asked for a little less than the cap, so clock skew never makes Graph refuse it as too long. */
  static final Duration LIFETIME_MARGIN = Duration.ofMinutes(5);

  /** One subscription to create: its resource (no base URL) and change types. */
  record Wanted(String resource, String changeType) {}

  /** The resources and change types the sync needs; empty when it needs none, or the mailboxes could not be listed. */
  static List<Wanted> wanted(GraphClient graph, Connection c, String syncName) {
    return switch (syncName) {
      case "users" -> List.of(new Wanted("users", "updated,deleted"));
      case "groups" -> List.of(new Wanted("groups", "updated,deleted"));
      case "messages" -> mailboxes(graph, c).stream().map(m -> new Wanted("users/" + m + "/messages", "created,updated,deleted")).toList();
      case "events" -> mailboxes(graph, c).stream().map(m -> new Wanted("users/" + m + "/events", "created,updated,deleted")).toList();
      // A drive root notifies of any change in the drive; Graph allows only "updated" there, and app-only only with
      // Files.ReadWrite.All (more than the sync's Files.Read.All): without it, the sync runs on its schedule only.
      case "drive-items" -> graph.access(c) instanceof GraphAccess.Granted g && g.grantsAny(DRIVE_PERMISSIONS)
          ? listedMailboxes(graph, c).stream().map(u -> new Wanted("users/" + u + "/drive/root", "updated")).toList() : List.of();
      default -> List.of();
    };
  }

  /** Whether the sync has one subscription per mailbox (or user's drive). */
  static boolean perMailbox(String syncName) {
    return syncName.equals("messages") || syncName.equals("events") || syncName.equals("drive-items");
  }

  /** How long to ask Graph to keep a subscription on {@code resource}. */
  static Duration lifetime(String resource) {
    boolean outlook = resource.endsWith("/messages") || resource.endsWith("/events");
    Duration max = outlook ? OUTLOOK_LIFETIME : resource.endsWith("/root") ? DRIVE_LIFETIME : DIRECTORY_LIFETIME;
    return max.minus(LIFETIME_MARGIN);
  }

  private static List<String> mailboxes(GraphClient graph, Connection c) {
    Optional<JsonNode> named = c.metadata().map(m -> m.get(MAILBOXES)).filter(JsonNode::isArray);
    List<String> out = new ArrayList<>();
    if (named.isPresent()) {
      for (JsonNode m : named.get()) {
        if (m.isTextual() && !m.asText().isBlank() && !m.asText().contains("/")) {
          out.add(m.asText().trim());
        }
      }
      return out;
    }
    return listedMailboxes(graph, c);
  }

  /** The tenant's users with a mailbox (licensed users, who have a OneDrive too), listed from Graph. */
  private static List<String> listedMailboxes(GraphClient graph, Connection c) {
    List<String> out = new ArrayList<>();
    RoundOutcome outcome = graph.round(c, "/v1.0/users?$select=id,mail&$top=999", page -> {
      for (JsonNode u : page.items()) {
        if (u.path("mail").isTextual() && !u.path("mail").asText().isEmpty() && !u.path("id").asText("").isEmpty()) {
          out.add(u.path("id").asText());
        }
      }
      return true;
    });
    return outcome instanceof RoundOutcome.Completed ? out : List.of();
  }
}

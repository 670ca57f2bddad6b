package dev.graphgate.server.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.GraphgateException.NotificationRefused;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.integration.IntegrationService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code POST /webhook/{environment}/{integration}} does with what Graph sends. A {@code validationToken} is
 * answered with exactly that token (the route sends it as {@code text/plain}). A batch of notifications: each one must
 * name a subscription Graphgate keeps for this integration, carry that subscription's own clientState (compared in
 * constant time) and, when the connection's tenant is a GUID, that tenant; the others are dropped, and a batch with
 * none left is refused. What is kept is attributed to its subscription's connection and sync only, and stored in one
 * transaction before the answer, so an acknowledged notification survives a crash; a redelivery is stored once.
 * The work (syncs, forwards) happens after, on {@link NotificationProcessor}'s thread.
 */
public final class NotificationReceiver {
  private static final Logger log = LoggerFactory.getLogger(NotificationReceiver.class);
  /** Graph's tokens are short; a longer one is no handshake of Graph's and is not echoed. */
  public static final int MAX_VALIDATION_TOKEN = 1024;
  /** Graph batches far fewer; the bound keeps one POST's transaction small. */
  static final int MAX_NOTIFICATIONS = 1000;
  static final int MAX_NOTIFICATION_CHARS = 100_000;

  private final String environmentId;
  private final IntegrationService integrations;
  private final SubscriptionRepository subscriptions;
  private final InboxRepository inbox;
  private final NotificationProcessor processor;
  private final InstantSource clock;

  NotificationReceiver(String environmentId, IntegrationService integrations, SubscriptionRepository subscriptions, InboxRepository inbox,
      NotificationProcessor processor, InstantSource clock) {
    this.environmentId = environmentId;
    this.integrations = integrations;
    this.subscriptions = subscriptions;
    this.inbox = inbox;
    this.processor = processor;
    this.clock = clock;
  }

  /** The answer to a handshake: the token, to send as the whole {@code text/plain} body. */
  public String handshake(String environment, String integrationKey, String validationToken) {
    integration(environment, integrationKey);
    if (validationToken.isEmpty() || validationToken.length() > MAX_VALIDATION_TOKEN) {
      throw InvalidRequest.query(FieldError.Kind.INVALID_VALUE, "validationToken must be 1 to " + MAX_VALIDATION_TOKEN + " characters",
          "validationToken");
    }
    return validationToken;
  }

  /** How a batch was taken: stored (new), already stored (redeliveries), and dropped (failed the checks). */
  public record Accepted(int stored, int duplicates, int dropped) {}

  /** Checks, attributes and stores a batch ({@code body}: Graph's JSON). Committed when this returns. */
  public Accepted receive(String environment, String integrationKey, JsonNode body) {
    Integration integration = integration(environment, integrationKey);
    JsonNode value = body.path("value");
    if (!body.isObject() || (!value.isMissingNode() && !value.isArray())) {
      throw InvalidRequest.bodyField("Expected Graph's {\"value\":[…]} of change notifications", "value");
    }
    if (value.size() > MAX_NOTIFICATIONS) {
      throw InvalidRequest.bodyField("At most " + MAX_NOTIFICATIONS + " notifications in one POST", "value");
    }
    if (value.isEmpty()) {
      return new Accepted(0, 0, 0);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode n : value) {
      if (n.path("subscriptionId").isTextual() && n.path("subscriptionId").asText().length() <= 100) {
        ids.add(n.path("subscriptionId").asText());
      }
    }
    Map<String, SubscriptionRepository.Known> known = subscriptions.byGraphIds(ids).stream()
        .collect(Collectors.toMap(k -> k.subscription().graphId().orElseThrow(), Function.identity()));
    List<InboxRepository.Entry> entries = new ArrayList<>();
    int dropped = 0;
    for (JsonNode n : value) {
      Optional<InboxRepository.Entry> e = check(integration, n, known);
      if (e.isEmpty()) {
        dropped++;
      } else {
        entries.add(e.get());
      }
    }
    if (entries.isEmpty()) {
      log.warn("notifications for integration {}: refused a batch of {}: no known subscription with its clientState", integrationKey, dropped);
      throw NotificationRefused.invalidClientState(dropped);
    }
    if (dropped > 0) {
      log.warn("notifications for integration {}: dropped {} of {} (unknown subscription, wrong clientState or tenant)", integrationKey, dropped,
          value.size());
    }
    InboxRepository.Stored stored = inbox.store(entries, clock.instant());
    processor.wake(stored.duplicates());
    return new Accepted(stored.written().size(), stored.duplicates().size(), dropped);
  }

  private Optional<InboxRepository.Entry> check(Integration integration, JsonNode n, Map<String, SubscriptionRepository.Known> known) {
    if (!n.isObject()) {
      return Optional.empty();
    }
    SubscriptionRepository.Known k = known.get(n.path("subscriptionId").asText(""));
    if (k == null || k.integrationId() != integration.id() || !n.path("clientState").isTextual()
        || !sameSecret(n.path("clientState").asText(), k.clientState())) {
      return Optional.empty();
    }
    String tenant = n.path("tenantId").asText("");
    if (isGuid(k.tenantId()) && !tenant.isEmpty() && !tenant.equalsIgnoreCase(k.tenantId())) {
      return Optional.empty();
    }
    String text = n.toString();
    if (text.length() > MAX_NOTIFICATION_CHARS) {
      return Optional.empty();
    }
    Optional<String> lifecycle = n.path("lifecycleEvent").isTextual() ? Optional.of(n.path("lifecycleEvent").asText()) : Optional.empty();
    Subscription s = k.subscription();
    return Optional.of(new InboxRepository.Entry(dedupeKey(s.graphId().orElseThrow(), (ObjectNode) n), s.id(), s.connectionId(), s.syncName(),
        lifecycle, text));
  }

  private Integration integration(String environment, String integrationKey) {
    if (!environment.equals(environmentId)) {
      throw NotificationRefused.unknownEnvironment();
    }
    return integrations.find(integrationKey).orElseThrow(() -> NotificationRefused.unknownIntegration(integrationKey));
  }

  /** Equal secrets, in time that depends only on their digests' length (never on where they differ). */
  static boolean sameSecret(String given, String expected) {
    return MessageDigest.isEqual(sha256(given), sha256(expected));
  }

  /**
   * A redelivery's identity: Graph's notification {@code id} when it sends one, else the notification itself (a
   * redelivery repeats it exactly), within its subscription. The clientState is left out of the hash.
   */
  static String dedupeKey(String subscriptionId, ObjectNode n) {
    String identity;
    if (n.path("id").isTextual() && !n.path("id").asText().isEmpty()) {
      identity = "id:" + n.path("id").asText();
    } else {
      ObjectNode copy = n.deepCopy();
      copy.remove("clientState");
      identity = "body:" + copy;
    }
    return HexFormat.of().formatHex(sha256(subscriptionId + "\n" + identity));
  }

  private static boolean isGuid(String s) {
    return s != null && s.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

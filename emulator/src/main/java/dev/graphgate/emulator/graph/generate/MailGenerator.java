package dev.graphgate.emulator.graph.generate;

import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.IdKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated mail of generated users. Message {@code k} of a mailbox was received {@code k} steps before the anchor, so
 * index order is newest first, as Outlook lists mail.
 */
public final class MailGenerator {

  private static final long MESSAGE = 0x3A11;
  private static final Duration SPAN = Duration.ofDays(90);

  private final Generation g;
  private final DirectoryGenerator directory;

  public MailGenerator(Generation generation, DirectoryGenerator directory) {
    this.g = generation;
    this.directory = directory;
  }

  /** Messages in a mailbox owned by user {@code ownerKey}: generated users have the spec's count, others none. */
  public long messageCount(long ownerKey) {
    return ownerKey < directory.userCount() ? g.spec().messagesPerMailbox() : 0;
  }

  /** The well-known folder a generated message lives in: about 80% Inbox, the rest Sent Items. */
  public WellKnownFolder folderOf(long ownerKey, long k) {
    return Long.remainderUnsigned(g.hash(MESSAGE, ownerKey, k), 10) < 8 ? WellKnownFolder.INBOX : WellKnownFolder.SENT_ITEMS;
  }

  public Entity message(long ownerKey, long k) {
    long h = g.hash(MESSAGE, ownerKey, k);
    WellKnownFolder folder = folderOf(ownerKey, k);
    Entity owner = directory.user(ownerKey);
    Map<String, Object> counterpart = counterpart(ownerKey, h);
    Map<String, Object> me = Recipients.address(owner.string("displayName"), owner.string("mail"));
    boolean sent = folder == WellKnownFolder.SENT_ITEMS;
    long count = Math.max(1, messageCount(ownerKey));
    Instant received = g.anchor().minus(SPAN.multipliedBy(k + 1).dividedBy(count + 1)).minusSeconds(Long.remainderUnsigned(h >>> 9, 600));
    String topic = Generation.pick(Names.TOPICS, h >>> 3);
    String subject = Generation.pick(Names.SUBJECT_PREFIXES, h >>> 15) + Character.toUpperCase(topic.charAt(0)) + topic.substring(1);
    String greetingName = (String) ((Map<?, ?>) (sent ? counterpart : me).get("emailAddress")).get("name");
    String text = "Hi " + greetingName.split(" ")[0] + ", " + Generation.pick(Names.SENTENCES, h >>> 19) + " "
        + Generation.pick(Names.SENTENCES, h >>> 27) + " Regards, "
        + ((Map<?, ?>) (sent ? me : counterpart).get("emailAddress")).get("name");
    String id = g.ids().outlook(IdKind.MESSAGE, ownerKey, k);
    String changeKey = "CQAAABYAAA" + Long.toHexString(h).toUpperCase(java.util.Locale.ROOT);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("@odata.etag", "W/\"" + changeKey + "\"");
    p.put("id", id);
    p.put("createdDateTime", Generation.timestamp(received));
    p.put("lastModifiedDateTime", Generation.timestamp(received));
    p.put("changeKey", changeKey);
    p.put("categories", (h >>> 33 & 7) == 0 ? List.of("Blue category") : List.of());
    p.put("receivedDateTime", Generation.timestamp(received));
    p.put("sentDateTime", Generation.timestamp(received.minusSeconds(2)));
    p.put("hasAttachments", false);
    p.put("internetMessageId", "<" + Long.toHexString(h) + "@" + g.domain() + ">");
    p.put("subject", subject);
    p.put("bodyPreview", text);
    p.put("importance", (h >>> 37 & 15) == 0 ? "high" : "normal");
    p.put("parentFolderId", g.ids().outlook(IdKind.MAIL_FOLDER, ownerKey, folder.ordinal()));
    p.put("conversationId", "AAQkA" + Long.toHexString(g.hash(MESSAGE, ownerKey, topic.hashCode())));
    p.put("isDeliveryReceiptRequested", false);
    p.put("isReadReceiptRequested", false);
    p.put("isRead", sent || Long.remainderUnsigned(h >>> 41, 100) < Math.min(95, 40 + k * 10));
    p.put("isDraft", false);
    p.put("webLink", "https://outlook.office365.com/owa/?ItemID=" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&exvsurl=1&viewmodel=ReadMessageItem");
    p.put("inferenceClassification", (h >>> 45 & 3) == 0 ? "other" : "focused");
    p.put("body", Map.of("contentType", "html", "content", "<html><body><p>" + text + "</p></body></html>"));
    p.put("sender", sent ? me : counterpart);
    p.put("from", sent ? me : counterpart);
    p.put("toRecipients", List.of(sent ? counterpart : me));
    p.put("ccRecipients", List.of());
    p.put("bccRecipients", List.of());
    p.put("replyTo", List.of());
    p.put("flag", Map.of("flagStatus", (h >>> 49 & 15) == 0 ? "flagged" : "notFlagged"));
    return new Entity(k, id, p);
  }

  private Map<String, Object> counterpart(long ownerKey, long h) {
    long users = directory.userCount();
    if (users > 1 && (h >>> 53 & 7) != 0) {
      long other = Long.remainderUnsigned(h >>> 11, users - 1);
      if (other >= ownerKey) {
        other++;
      }
      Entity user = directory.user(other);
      return Recipients.address(user.string("displayName"), user.string("mail"));
    }
    String given = Generation.pick(Names.GIVEN, h >>> 5);
    String surname = Generation.pick(Names.SURNAMES, h >>> 25);
    return Recipients.address(given + " " + surname, Generation.lower(given + "." + surname) + "@fabrikam.com");
  }
}

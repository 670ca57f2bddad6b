package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.auth.Caller;
import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.generate.Recipients;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.CollectionPages;
import dev.graphgate.emulator.graph.odata.Dialect;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Paging;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.Hashing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Outlook mail: {@code /users/{id}/mailFolders}, messages in a folder or the whole mailbox (list, get, create, update,
 * delete, move) and {@code sendMail}, which delivers into the Inbox of every recipient in the tenant.
 */
public final class MailResources {

  private static final Set<String> BODY_READ = Set.of("Mail.Read", "Mail.ReadWrite");
  private static final String CHANGE_KEY_PREFIX = "CQAAABYAAA";
  private static final List<String> FREE_TEXT = List.of("subject", "bodyPreview", "from");
  private static final Writable WRITABLE = new Writable("message", properties(), GraphException::outlookBadRequest);

  public void register(Router router) {
    String folder = "users/{user}/mailFolders/{folder}";
    router.add(Route.of("GET", "users/{user}/mailFolders", Permission.MAIL_READ, this::folders).mailbox("user"));
    router.add(Route.of("GET", folder, Permission.MAIL_READ, this::folder).mailbox("user"));
    router.add(Route.of("GET", folder + "/childFolders", Permission.MAIL_READ, this::childFolders).mailbox("user"));
    router.add(Route.of("GET", folder + "/messages", Permission.MAIL_READ, this::list).mailbox("user"));
    router.add(Route.of("POST", folder + "/messages", Permission.MAIL_WRITE, this::create).mailbox("user"));
    router.add(Route.of("GET", folder + "/messages/{message}", Permission.MAIL_READ, this::get).mailbox("user"));
    router.add(Route.of("PATCH", folder + "/messages/{message}", Permission.MAIL_WRITE, this::update).mailbox("user"));
    router.add(Route.of("DELETE", folder + "/messages/{message}", Permission.MAIL_WRITE, this::delete).mailbox("user"));
    router.add(Route.of("GET", "users/{user}/messages", Permission.MAIL_READ, this::list).mailbox("user"));
    router.add(Route.of("POST", "users/{user}/messages", Permission.MAIL_WRITE, this::create).mailbox("user"));
    router.add(Route.of("GET", "users/{user}/messages/{message}", Permission.MAIL_READ, this::get).mailbox("user"));
    router.add(Route.of("PATCH", "users/{user}/messages/{message}", Permission.MAIL_WRITE, this::update).mailbox("user"));
    router.add(Route.of("DELETE", "users/{user}/messages/{message}", Permission.MAIL_WRITE, this::delete).mailbox("user"));
    router.add(Route.of("POST", "users/{user}/messages/{message}/move", Permission.MAIL_WRITE, this::move).mailbox("user"));
    router.add(Route.of("POST", "users/{user}/sendMail", Permission.MAIL_SEND, this::sendMail).mailbox("user"));
  }

  /** The mailbox owner, or Outlook's 404. */
  public static Entity owner(GraphCall call) {
    String user = call.param("user");
    return call.data().users().find(user).orElseThrow(() -> GraphException.outlookUserNotFound(user));
  }

  public static WellKnownFolder folderParam(GraphCall call, Entity owner) {
    String id = call.param("folder");
    return call.data().mail().folder(owner.key(), id)
        .orElseThrow(() -> new GraphException(404, "ErrorItemNotFound", "The specified folder could not be found in the store."));
  }

  /** The message as the caller may see it: {@code Mail.ReadBasic.All} alone gets no body. */
  public static Map<String, Object> view(Caller caller, Entity message, List<String> select) {
    Map<String, Object> view = EntityType.MESSAGE.render(message.props(), select, true);
    if (!caller.hasAnyRole(BODY_READ)) {
      EntityType.MESSAGE_BODY.forEach(view::remove);
    }
    return view;
  }

  private GraphResponse folders(GraphCall call) {
    Entity owner = owner(call);
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.MAIL_FOLDER, Dialect.OUTLOOK, Paging.OUTLOOK, List.of("displayName"));
    List<Entity> folders = call.data().mail().folderEntities(owner.key());
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.OUTLOOK, CollectionPages.of(folders),
        "users" + Views.quoted(owner.id()) + "/mailFolders", f -> EntityType.MAIL_FOLDER.render(f.props(), options.select(), true)));
  }

  private GraphResponse folder(GraphCall call) {
    Entity owner = owner(call);
    Entity folder = call.data().mail().folderEntity(owner.key(), folderParam(call, owner));
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.MAIL_FOLDER);
    return Views.entity(call.request(), 200, "users" + Views.quoted(owner.id()) + "/mailFolders/$entity",
        EntityType.MAIL_FOLDER.render(folder.props(), select, true));
  }

  private GraphResponse childFolders(GraphCall call) {
    Entity owner = owner(call);
    folderParam(call, owner);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", call.request().root() + "/$metadata#users" + Views.quoted(owner.id()) + "/mailFolders('" + call.param("folder") + "')/childFolders");
    body.put("value", List.of());
    return GraphResponse.json(200, body);
  }

  private GraphResponse list(GraphCall call) {
    Entity owner = owner(call);
    Optional<WellKnownFolder> folder = call.params().containsKey("folder") ? Optional.of(folderParam(call, owner)) : Optional.empty();
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.MESSAGE, Dialect.OUTLOOK, Paging.OUTLOOK, FREE_TEXT);
    TenantData data = call.data();
    CollectionPages.Source source = after -> {
      var all = data.mail().messages(owner.key()).newestFirst();
      if (folder.isEmpty()) {
        return all;
      }
      List<Entity> inFolder = new ArrayList<>();
      all.forEachRemaining(m -> {
        if (data.mail().folderOf(owner.key(), m) == folder.get()) {
          inFolder.add(m);
        }
      });
      return inFolder.iterator();
    };
    String context = "users" + Views.quoted(owner.id()) + folder.map(f -> "/mailFolders('" + call.param("folder") + "')").orElse("") + "/messages";
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.OUTLOOK, source,
        Views.withSelect(context, options.select()), m -> view(call.caller(), m, options.select())));
  }

  private Entity message(GraphCall call, Entity owner) {
    Entity message = call.data().mail().message(owner.key(), call.param("message")).orElseThrow(GraphException::outlookItemNotFound);
    if (call.params().containsKey("folder") && call.data().mail().folderOf(owner.key(), message) != folderParam(call, owner)) {
      throw GraphException.outlookItemNotFound();
    }
    return message;
  }

  private GraphResponse get(GraphCall call) {
    Entity owner = owner(call);
    Entity message = message(call, owner);
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.MESSAGE);
    return Views.entity(call.request(), 200, "users" + Views.quoted(owner.id()) + "/messages/$entity", view(call.caller(), message, select));
  }

  private GraphResponse create(GraphCall call) {
    Entity owner = owner(call);
    WellKnownFolder folder = call.params().containsKey("folder") ? folderParam(call, owner) : WellKnownFolder.DRAFTS;
    Map<String, Object> body = WRITABLE.check(GraphJson.readObject(call.request().body()));
    Entity created = call.data().createMessage(owner, newMessage(call.data(), owner, folder, body, folder == WellKnownFolder.DRAFTS));
    return Views.entity(call.request(), 201, "users" + Views.quoted(owner.id()) + "/messages/$entity", view(call.caller(), created, null));
  }

  private GraphResponse update(GraphCall call) {
    Entity owner = owner(call);
    Entity message = message(call, owner);
    Map<String, Object> changes = WRITABLE.check(GraphJson.readObject(call.request().body()));
    changes.putAll(Views.outlookStamp(CHANGE_KEY_PREFIX, call.data(), message.key()));
    Entity updated = call.data().updateMessage(owner, message, changes);
    return Views.entity(call.request(), 200, "users" + Views.quoted(owner.id()) + "/messages/$entity", view(call.caller(), updated, null));
  }

  private GraphResponse delete(GraphCall call) {
    Entity owner = owner(call);
    call.data().deleteMessage(owner, message(call, owner));
    return GraphResponse.empty(204);
  }

  private GraphResponse move(GraphCall call) {
    Entity owner = owner(call);
    Entity message = message(call, owner);
    Object destination = GraphJson.readObject(call.request().body()).get("destinationId");
    if (!(destination instanceof String id)) {
      throw GraphException.outlookBadRequest("A value is required for property 'destinationId'.");
    }
    WellKnownFolder folder = call.data().mail().folder(owner.key(), id)
        .orElseThrow(() -> new GraphException(404, "ErrorItemNotFound", "The specified folder could not be found in the store."));
    Map<String, Object> changes = new LinkedHashMap<>(Views.outlookStamp(CHANGE_KEY_PREFIX, call.data(), message.key()));
    changes.put("parentFolderId", call.data().mail().folderId(owner.key(), folder));
    Entity moved = call.data().updateMessage(owner, message, changes);
    return Views.entity(call.request(), 201, "users" + Views.quoted(owner.id()) + "/messages/$entity", view(call.caller(), moved, null));
  }

  private GraphResponse sendMail(GraphCall call) {
    Entity sender = owner(call);
    Map<String, Object> request = GraphJson.readObject(call.request().body());
    if (!(request.get("message") instanceof Map<?, ?> raw)) {
      throw new GraphException(400, "ErrorInvalidParameter", "A value is required for property 'message' of the sendMail request.");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> message = WRITABLE.check((Map<String, Object>) raw);
    List<String> addresses = new ArrayList<>();
    for (String field : List.of("toRecipients", "ccRecipients", "bccRecipients")) {
      if (message.get(field) instanceof List<?> list) {
        for (Object recipient : list) {
          Object address = recipient instanceof Map<?, ?> r && r.get("emailAddress") instanceof Map<?, ?> e ? e.get("address") : null;
          if (!(address instanceof String a) || !a.contains("@")) {
            throw new GraphException(400, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient '" + recipient + "' is not resolved. All recipients must be resolved before a message can be submitted.");
          }
          addresses.add(a);
        }
      }
    }
    if (addresses.isEmpty()) {
      throw new GraphException(400, "ErrorInvalidRecipients", "At least one recipient is required, but none were found.");
    }
    TenantData data = call.data();
    Map<String, Object> from = Recipients.address(sender.string("displayName"), sender.string("mail"));
    message.put("from", from);
    message.put("sender", from);
    for (String address : addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).distinct().toList()) {
      Optional<Entity> recipient = data.users().findByName(address);
      recipient.ifPresent(user -> data.createMessage(user, newMessage(data, user, WellKnownFolder.INBOX, message, false)));
    }
    if (!Boolean.FALSE.equals(request.get("saveToSentItems"))) {
      Map<String, Object> copy = new LinkedHashMap<>(message);
      copy.put("isRead", true);
      data.createMessage(sender, newMessage(data, sender, WellKnownFolder.SENT_ITEMS, copy, false));
    }
    return GraphResponse.empty(202);
  }

  /** A complete message with every property Graph returns, from what the client gave. */
  private static Map<String, Object> newMessage(TenantData data, Entity owner, WellKnownFolder folder, Map<String, Object> given, boolean draft) {
    String now = data.now();
    Map<String, Object> me = Recipients.address(owner.string("displayName"), owner.string("mail"));
    Map<String, Object> body = given.get("body") instanceof Map<?, ?> b ? Map.of(
        "contentType", String.valueOf(b.get("contentType") == null ? "text" : b.get("contentType")).toLowerCase(Locale.ROOT),
        "content", String.valueOf(b.get("content") == null ? "" : b.get("content"))) : Map.of("contentType", "text", "content", "");
    String text = Views.plainText(body.get("content").toString());
    Map<String, Object> p = new LinkedHashMap<>(Views.outlookStamp(CHANGE_KEY_PREFIX, data, data.changes().head()));
    p.put("createdDateTime", now);
    p.put("lastModifiedDateTime", now);
    p.put("categories", List.of());
    p.put("receivedDateTime", now);
    p.put("sentDateTime", draft ? null : now);
    p.put("hasAttachments", false);
    p.put("internetMessageId", "<" + Long.toHexString(Hashing.hash(data.changes().head(), owner.key())) + "@" + data.tenant().initialDomain() + ">");
    p.put("subject", "");
    p.put("bodyPreview", text.length() > 255 ? text.substring(0, 255) : text);
    p.put("importance", "normal");
    p.put("parentFolderId", data.mail().folderId(owner.key(), folder));
    p.put("conversationId", "AAQkA" + Long.toHexString(Hashing.hash(owner.key(), data.changes().head())));
    p.put("isDeliveryReceiptRequested", false);
    p.put("isReadReceiptRequested", false);
    p.put("isRead", draft);
    p.put("isDraft", draft);
    p.put("webLink", null);
    p.put("inferenceClassification", "focused");
    p.put("body", body);
    p.put("sender", draft ? null : me);
    p.put("from", draft ? null : me);
    p.put("toRecipients", List.of());
    p.put("ccRecipients", List.of());
    p.put("bccRecipients", List.of());
    p.put("replyTo", List.of());
    p.put("flag", Map.of("flagStatus", "notFlagged"));
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      if (!entry.getKey().equals("body")) {
        p.put(entry.getKey(), entry.getValue());
      }
    }
    return p;
  }

  private static Map<String, Writable.Kind> properties() {
    Map<String, Writable.Kind> p = new LinkedHashMap<>();
    for (String name : List.of("subject", "importance", "inferenceClassification", "internetMessageId")) {
      p.put(name, Writable.Kind.STRING);
    }
    for (String name : List.of("toRecipients", "ccRecipients", "bccRecipients", "replyTo")) {
      p.put(name, Writable.Kind.LIST);
    }
    p.put("categories", Writable.Kind.STRING_LIST);
    p.put("body", Writable.Kind.OBJECT);
    p.put("from", Writable.Kind.OBJECT);
    p.put("sender", Writable.Kind.OBJECT);
    p.put("flag", Writable.Kind.OBJECT);
    p.put("isRead", Writable.Kind.BOOLEAN);
    p.put("isReadReceiptRequested", Writable.Kind.BOOLEAN);
    p.put("isDeliveryReceiptRequested", Writable.Kind.BOOLEAN);
    return p;
  }
}

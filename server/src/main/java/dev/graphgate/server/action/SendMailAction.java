package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.RequiredPermission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code send-mail}: sends a message as a user ({@code POST /users/{userId}/sendMail}), saved to their Sent Items
 * unless {@code saveToSentItems} is false. Graph answers 202 with no body: the output is {@code {"sent": true}}.
 */
final class SendMailAction implements PreBuiltAction {
  static final int MAX_RECIPIENTS = 500;
  static final int MAX_BODY = 4 * 1024 * 1024;

  @Override
  public String name() {
    return "send-mail";
  }

  @Override
  public RequiredPermission permission() {
    return RequiredPermission.anyOf("Mail.Send");
  }

  @Override
  public Set<String> fields() {
    return Set.of("userId", "subject", "body", "bodyType", "to", "cc", "bcc", "saveToSentItems");
  }

  @Override
  public Prepared prepare(ActionInput in, String graphOrigin) {
    String user = in.requiredId("userId");
    String subject = in.requiredString("subject", 0, 255);
    String body = in.requiredString("body", 0, MAX_BODY);
    String type = in.oneOf("bodyType", List.of("text", "html")).orElse("text");
    List<String> to = in.emails("to", 1, MAX_RECIPIENTS);
    List<String> cc = in.emails("cc", 0, MAX_RECIPIENTS);
    List<String> bcc = in.emails("bcc", 0, MAX_RECIPIENTS);
    boolean save = in.bool("saveToSentItems").orElse(true);
    if (in.hasErrors()) {
      return null;
    }
    ObjectNode request = Json.object();
    ObjectNode message = request.putObject("message");
    message.put("subject", subject);
    message.putObject("body").put("contentType", type.equals("html") ? "HTML" : "Text").put("content", body);
    recipients(message.putArray("toRecipients"), to);
    if (!cc.isEmpty()) {
      recipients(message.putArray("ccRecipients"), cc);
    }
    if (!bcc.isEmpty()) {
      recipients(message.putArray("bccRecipients"), bcc);
    }
    request.put("saveToSentItems", save);
    return new Prepared(GraphWrite.json("POST", GraphPaths.user(user) + "/sendMail", Json.write(request).getBytes(StandardCharsets.UTF_8)),
        applied -> {
          ObjectNode out = Json.object();
          out.put("sent", true);
          return out;
        });
  }

  static void recipients(ArrayNode list, List<String> addresses) {
    addresses.forEach(a -> list.addObject().putObject("emailAddress").put("address", a));
  }
}

package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.Json;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.RequiredPermission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code create-user}: creates a user in the tenant's directory ({@code POST /users}). The password goes to Graph
 * only: it is never logged, stored or answered. {@code mailNickname} defaults to the part of the user principal name
 * before the {@code @}, without the characters Graph refuses there. The output is the created user's {@code id},
 * {@code displayName}, {@code userPrincipalName} and {@code mail}, as Graph gave them.
 */
final class CreateUserAction implements PreBuiltAction {
  private static final Pattern UPN = Pattern.compile("[^@\\s]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+");
  /** The characters Graph refuses in a mailNickname. */
  private static final Pattern NOT_IN_NICKNAME = Pattern.compile("[@()\\\\\\[\\]\";:<>, ]|[^\\x21-\\x7e]");
  private static final Pattern USAGE_LOCATION = Pattern.compile("[A-Za-z]{2}");
  private static final List<String> OPTIONAL = List.of("givenName", "surname", "jobTitle", "department", "officeLocation", "mobilePhone");
  private static final List<String> OUTPUT = List.of("id", "displayName", "userPrincipalName", "mail");

  @Override
  public String name() {
    return "create-user";
  }

  @Override
  public RequiredPermission permission() {
    return RequiredPermission.anyOf("User.ReadWrite.All", "Directory.ReadWrite.All");
  }

  @Override
  public Set<String> fields() {
    return Set.of("displayName", "userPrincipalName", "mailNickname", "password", "forceChangePasswordNextSignIn", "accountEnabled",
        "givenName", "surname", "jobTitle", "department", "officeLocation", "mobilePhone", "usageLocation");
  }

  @Override
  public Prepared prepare(ActionInput in, String graphOrigin) {
    String displayName = in.requiredString("displayName", 1, 256);
    String upn = in.requiredString("userPrincipalName", 3, 113);
    if (upn != null && !UPN.matcher(upn).matches()) {
      in.error(FieldError.Kind.INVALID_STRING, "Invalid user principal name: expected alias@domain, with one of the tenant's verified domains", "userPrincipalName");
      upn = null;
    }
    String nickname = in.string("mailNickname", 1, 64).orElse(null);
    if (nickname != null && NOT_IN_NICKNAME.matcher(nickname).find()) {
      in.error(FieldError.Kind.INVALID_STRING, "Invalid mailNickname: printable ASCII without spaces or @ ( ) \\ [ ] \" ; : < > ,", "mailNickname");
    }
    if (nickname == null && upn != null) {
      nickname = NOT_IN_NICKNAME.matcher(upn.substring(0, upn.indexOf('@'))).replaceAll("");
      if (nickname.isEmpty() || nickname.length() > 64) {
        in.error(FieldError.Kind.INVALID_VALUE, "Give a mailNickname: none can be made from the user principal name", "mailNickname");
      }
    }
    String password = in.requiredString("password", 1, 256);
    boolean forceChange = in.bool("forceChangePasswordNextSignIn").orElse(true);
    boolean enabled = in.bool("accountEnabled").orElse(true);
    ObjectNode user = Json.object();
    for (String field : OPTIONAL) {
      in.string(field, 1, 128).ifPresent(v -> user.put(field, v));
    }
    String usage = in.string("usageLocation", 2, 2).orElse(null);
    if (usage != null && !USAGE_LOCATION.matcher(usage).matches()) {
      in.error(FieldError.Kind.INVALID_STRING, "Invalid usageLocation: expected a two-letter country code such as US", "usageLocation");
    }
    if (in.hasErrors()) {
      return null;
    }
    user.put("accountEnabled", enabled);
    user.put("displayName", displayName);
    user.put("mailNickname", nickname);
    user.put("userPrincipalName", upn);
    user.putObject("passwordProfile").put("forceChangePasswordNextSignIn", forceChange).put("password", password);
    if (usage != null) {
      user.put("usageLocation", usage.toUpperCase(java.util.Locale.ROOT));
    }
    return new Prepared(GraphWrite.json("POST", "/v1.0/users", Json.write(user).getBytes(StandardCharsets.UTF_8)),
        applied -> CreateEventAction.pick(applied.body().orElse(null), OUTPUT));
  }
}

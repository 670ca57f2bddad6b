package dev.graphgate.server.graph;

import java.util.List;
import java.util.Optional;

/**
 * Whether a token's application permissions (its {@code roles}) allow one Graph request, by the
 * {@link PermissionTable}, with the sentence that says so: the proxy puts it in {@code X-Graphgate-Permission-Hint}
 * and the request log on a 403, the Explorer shows it before sending.
 *
 * @param template the table's path the request matched ({@code /users/{user}/messages}), empty when unlisted
 * @param accepted the permissions that allow it, least privileged first (empty unless {@link Verdict#ALLOWED} or
 *     {@link Verdict#MISSING})
 * @param carried those of {@code accepted} the token carries
 */
public record PermissionCheck(String method, Verdict verdict, Optional<String> family, Optional<String> template, List<String> accepted,
    List<String> carried, List<String> docs, String sentence) {

  public enum Verdict {
    /** The token carries one of the permissions the request needs. */
    ALLOWED,
    /** The token carries none of them: the admin must grant one (the first) and consent. */
    MISSING,
    /** {@code /me}: no app-only token can call it. */
    NOT_APP_ONLY,
    /** The permission depends on what the request names (a subscription's resource); the sentence says which. */
    DEPENDS_ON_RESOURCE,
    /** The table does not list the request. */
    UNLISTED
  }

  public PermissionCheck {
    accepted = List.copyOf(accepted);
    carried = List.copyOf(carried);
    docs = List.copyOf(docs);
  }

  /** {@code roles}: the token's roles claim. */
  public static PermissionCheck of(String method, PermissionLookup lookup, List<String> roles) {
    return switch (lookup) {
      case PermissionLookup.NotAppOnly n -> new PermissionCheck(method, Verdict.NOT_APP_ONLY, Optional.empty(), Optional.empty(), List.of(),
          List.of(), List.of(), n.reason());
      case PermissionLookup.Unlisted u -> new PermissionCheck(method, Verdict.UNLISTED, Optional.empty(), Optional.empty(), List.of(), List.of(),
          List.of(), "Graphgate's permission table does not list this request; the Permissions section of its page under "
          + PathFamily.DOCS_BASE + " names the application permissions it accepts.");
      case PermissionLookup.Listed l -> listed(method, l, roles);
    };
  }

  private static PermissionCheck listed(String method, PermissionLookup.Listed l, List<String> roles) {
    PathFamily f = l.family();
    String request = method + " /" + l.version() + l.template();
    if (f.permissions().isEmpty()) {
      return new PermissionCheck(method, Verdict.DEPENDS_ON_RESOURCE, Optional.of(f.name()), Optional.of(l.template()), List.of(), List.of(),
          f.docsUrls(), request + ": " + f.note().orElse("the permission depends on the resource the request names."));
    }
    List<String> carried = f.permissions().stream().filter(roles::contains).toList();
    String needs = request + " needs one of the application permissions " + String.join(", ", f.permissions()) + " (least privileged first)";
    String sentence = carried.isEmpty()
        ? needs + "; the connection's token carries none of them: grant " + f.permissions().get(0)
            + " to the app registration and have the tenant's admin consent again."
        : needs + "; the connection's token carries " + String.join(", ", carried) + ".";
    return new PermissionCheck(method, carried.isEmpty() ? Verdict.MISSING : Verdict.ALLOWED, Optional.of(f.name()), Optional.of(l.template()),
        f.permissions(), carried, f.docsUrls(), sentence);
  }

  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }

  /**
   * The sentence for a request Graph refused with 403: when the token carries a permission that allows it, the
   * refusal has another cause, and this says so rather than sending the admin to grant what is granted.
   */
  public String refusalSentence() {
    if (verdict != Verdict.ALLOWED) {
      return sentence;
    }
    return sentence.substring(0, sentence.length() - 1) + ", so Graph refused it for another reason (such as an Exchange application access"
        + " policy, Sites.Selected grants, or a resource the app may not reach); Graph's error code and message say which.";
  }
}

package dev.graphgate.server.entra;

import dev.graphgate.server.GraphgateException.InvalidScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The client-credentials scope rules Entra enforces, checked before any request so a wrong scope fails fast with the
 * message Microsoft would give: exactly one resource, requested as {@code <resource>/.default}; OpenID scopes
 * ({@code openid profile offline_access email}) may accompany it, as MSAL sends them.
 */
public final class ScopeRules {
  private static final Set<String> OIDC = Set.of("openid", "profile", "offline_access", "email");

  private ScopeRules() {}

  /**
   * Returns the scopes normalised (commas and runs of spaces become one space, as Nango sends them) or throws
   * {@link InvalidScope}.
   */
  public static String validate(String scopes) {
    List<String> all = split(scopes);
    if (all.isEmpty()) {
      throw new InvalidScope("AADSTS900144: The request body must contain the following parameter: 'scope'. "
          + "Use the resource's .default scope, for example https://graph.microsoft.com/.default.");
    }
    List<String> resources = new ArrayList<>();
    for (String s : all) {
      if (!OIDC.contains(s.toLowerCase(Locale.ROOT))) {
        resources.add(s);
      }
    }
    if (resources.isEmpty()) {
      throw new InvalidScope("AADSTS1002012: The provided value for scope " + String.join(" ", all)
          + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
    }
    if (resources.size() > 1) {
      throw new InvalidScope("AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input "
          + "parameter 'scope' is not valid. The scope " + String.join(" ", all) + " is not valid. "
          + "Client credentials request one resource at a time, as <resource>/.default only.");
    }
    String resource = resources.get(0);
    if (!resource.endsWith("/.default") || resource.length() == "/.default".length()) {
      throw new InvalidScope("AADSTS1002012: The provided value for scope " + resource
          + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
    }
    return String.join(" ", all);
  }

  private static List<String> split(String scopes) {
    if (scopes == null) {
      return List.of();
    }
    return Arrays.stream(scopes.replace(',', ' ').trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}

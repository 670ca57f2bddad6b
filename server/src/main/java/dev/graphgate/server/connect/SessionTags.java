package dev.graphgate.server.connect;

import dev.graphgate.server.connection.EndUser;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tags a connection made with a session gets, by Nango's rule: tags made from the end user ({@code end_user_id},
 * {@code end_user_email}, {@code end_user_display_name}) and the organization ({@code organization_id},
 * {@code organization_display_name}), then the end user's own tags (keys lower-cased; left out entirely when they
 * would make more than {@value EndUser#MAX_TAGS}), then the session's top-level {@code tags}, which win.
 */
public final class SessionTags {
  private SessionTags() {}

  /** The tags; empty when the session names no end user, no organization and no tags. */
  public static Optional<Map<String, String>> of(Optional<EndUser> endUser, Optional<EndUser.Organization> organization,
      Optional<Map<String, String>> tags) {
    if (endUser.isEmpty() && organization.isEmpty() && tags.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> made = new LinkedHashMap<>();
    endUser.ifPresent(u -> {
      put(made, "end_user_id", Optional.of(u.id()));
      put(made, "end_user_email", u.email());
      put(made, "end_user_display_name", u.displayName());
    });
    organization.ifPresent(o -> {
      put(made, "organization_id", Optional.of(o.id()));
      put(made, "organization_display_name", o.displayName());
    });
    Map<String, String> own = new LinkedHashMap<>();
    endUser.ifPresent(u -> u.tags().forEach((k, v) -> own.put(k.toLowerCase(Locale.ROOT), v)));
    Map<String, String> withOwn = new LinkedHashMap<>(made);
    withOwn.putAll(own);
    Map<String, String> all = withOwn.size() > EndUser.MAX_TAGS ? made : withOwn;
    tags.ifPresent(all::putAll);
    return Optional.of(all);
  }

  private static void put(Map<String, String> tags, String key, Optional<String> value) {
    value.filter(v -> !v.isEmpty()).ifPresent(v -> tags.put(key, v));
  }
}

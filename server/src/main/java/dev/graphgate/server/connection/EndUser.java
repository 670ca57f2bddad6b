package dev.graphgate.server.connection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The customer's own user that a connection belongs to: Nango's {@code end_user}, set when a connection is imported or
 * patched, and by the connect session that creates it. The limits are Nango's, plus two of Graphgate's own: an
 * e-mail address is at most 254 characters (no deliverable address is longer), and no field holds a control character
 * (these are labels shown to people). Together they keep the stored form, {@link #toJson()}, well within its
 * 10,000-character column whatever the content.
 *
 * @param tags free labels, kept as sent (not lower-cased, unlike a connection's tags)
 * @param organization the organization the user belongs to
 */
public record EndUser(String id, Optional<String> email, Optional<String> displayName, Map<String, String> tags,
    Optional<Organization> organization) {
  public static final int MAX_ID_LENGTH = 255;
  public static final int MIN_EMAIL_LENGTH = 5;
  public static final int MAX_EMAIL_LENGTH = 254;
  public static final int MAX_DISPLAY_NAME_LENGTH = 255;
  public static final int MAX_TAGS = 10;
  public static final int MAX_TAG_KEY_LENGTH = 64;
  public static final int MAX_TAG_VALUE_LENGTH = 255;
  public static final int MAX_ORGANIZATION_ID_LENGTH = 255;

  /** Nango's tag keys: a letter, then letters, digits and {@code _-./}. */
  private static final Pattern TAG_KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_\\-./]*");
  /**
   * The addresses Nango accepts: a local part of letters, digits and {@code _'+-.} that neither starts with a dot nor
   * ends with a dot or quote, no two dots in a row, and a domain of dotted labels ending in two or more letters.
   */
  private static final Pattern EMAIL = Pattern.compile("(?!\\.)(?!.*\\.\\.)[A-Za-z0-9_'+.\\-]*[A-Za-z0-9_+\\-]@(?:[A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}");

  /** The organization of an end user; Nango allows an empty id. */
  public record Organization(String id, Optional<String> displayName) {
    public Organization {
      Objects.requireNonNull(id);
      Objects.requireNonNull(displayName);
      require(id.length() <= MAX_ORGANIZATION_ID_LENGTH && isLabel(id), "organization id");
      require(displayName.map(d -> d.length() <= MAX_DISPLAY_NAME_LENGTH && isLabel(d)).orElse(true), "organization display name");
    }
  }

  public EndUser {
    Objects.requireNonNull(id);
    Objects.requireNonNull(email);
    Objects.requireNonNull(displayName);
    Objects.requireNonNull(organization);
    require(!id.isEmpty() && id.length() <= MAX_ID_LENGTH && isLabel(id), "id");
    require(email.map(EndUser::isEmail).orElse(true), "email");
    require(displayName.map(d -> d.length() <= MAX_DISPLAY_NAME_LENGTH && isLabel(d)).orElse(true), "display name");
    require(tags.size() <= MAX_TAGS, "number of tags");
    tags.forEach((k, v) -> require(isTagKey(k) && v.length() <= MAX_TAG_VALUE_LENGTH && isLabel(v), "tag " + k));
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** True when {@code s} holds no control character (C0, DEL or C1). */
  public static boolean isLabel(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  public static boolean isEmail(String s) {
    return s.length() >= MIN_EMAIL_LENGTH && s.length() <= MAX_EMAIL_LENGTH && EMAIL.matcher(s).matches();
  }

  public static boolean isTagKey(String s) {
    return s.length() <= MAX_TAG_KEY_LENGTH && TAG_KEY.matcher(s).matches();
  }

  /** Nango's shape, as stored and as answered: every key present, {@code null} where nothing was given. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("email", email.orElse(null));
    n.put("display_name", displayName.orElse(null));
    ObjectNode t = n.putObject("tags");
    tags.forEach(t::put);
    if (organization.isPresent()) {
      n.putObject("organization").put("id", organization.get().id()).put("display_name", organization.get().displayName().orElse(null));
    } else {
      n.putNull("organization");
    }
    return n;
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("invalid end user " + what + "; read end users through the API's validation");
    }
  }
}

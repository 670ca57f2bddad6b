package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.connection.EndUser;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an {@code end_user} object into an {@link EndUser} as Nango's connect sessions validate it: strict (an unknown
 * key is an error), {@code id} required, each field of the right type and length, every problem reported at once as
 * a field error. Used wherever a request carries an end user: {@code POST /connections}, {@code PATCH
 * /connections/{id}}, and connect sessions, whose top-level {@code organization} {@link #organization} reads.
 */
final class EndUserReader {
  /**
   * Nango's keys, plus {@code organization}, which Nango takes only from a connect session but answers inside
   * {@code end_user}: accepting it here lets a client send back what it read.
   */
  static final Set<String> KEYS = Set.of("id", "email", "display_name", "tags", "organization");
  static final Set<String> ORGANIZATION_KEYS = Set.of("id", "display_name");

  private EndUserReader() {}

  /** The end user under {@code key}; empty when absent, null, or invalid (the problems are then in {@code f}). */
  static Optional<EndUser> read(Fields f, String key) {
    Optional<Fields> nested = f.nested(key, KEYS);
    if (nested.isEmpty()) {
      return Optional.empty();
    }
    Fields u = nested.get();
    String id = label(u, "id", Optional.ofNullable(u.requiredString("id", 1, EndUser.MAX_ID_LENGTH))).orElse(null);
    Optional<String> email = u.string("email", EndUser.MIN_EMAIL_LENGTH, EndUser.MAX_EMAIL_LENGTH).filter(e -> email(u, e, "email"));
    Optional<String> displayName = label(u, "display_name", u.string("display_name", 0, EndUser.MAX_DISPLAY_NAME_LENGTH));
    Map<String, String> tags = tags(u, "tags");
    Optional<EndUser.Organization> organization = organization(u, "organization");
    if (u.hasErrors() || id == null) {
      return Optional.empty();
    }
    return Optional.of(new EndUser(id, email, displayName, tags, organization));
  }

  /** An organization object ({@code id} required, may be empty, as in Nango); empty when absent, null or invalid. */
  static Optional<EndUser.Organization> organization(Fields f, String key) {
    Optional<Fields> nested = f.nested(key, ORGANIZATION_KEYS);
    if (nested.isEmpty()) {
      return Optional.empty();
    }
    Fields o = nested.get();
    Optional<String> id = label(o, "id", Optional.ofNullable(o.requiredString("id", 0, EndUser.MAX_ORGANIZATION_ID_LENGTH)));
    Optional<String> displayName = label(o, "display_name", o.string("display_name", 0, EndUser.MAX_DISPLAY_NAME_LENGTH));
    if (o.hasErrors() || id.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new EndUser.Organization(id.get(), displayName));
  }

  /**
   * Nango's end-user tags: at most 10, keys as for a connection's tags, values strings of at most 255 characters, no
   * two keys that differ only in case, and an {@code end_user_email} tag that is an e-mail address. Kept as sent.
   */
  private static Map<String, String> tags(Fields u, String key) {
    Map<String, String> tags = new LinkedHashMap<>();
    Optional<ObjectNode> o = u.object(key);
    if (o.isEmpty()) {
      return tags;
    }
    if (o.get().size() > EndUser.MAX_TAGS) {
      u.error(FieldError.Kind.TOO_BIG, "Tags cannot contain more than " + EndUser.MAX_TAGS + " keys", key);
      return tags;
    }
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, JsonNode> e : o.get().properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (!EndUser.isTagKey(k)) {
        u.error(FieldError.Kind.INVALID_STRING, "Tag keys start with a letter, use letters, digits and _-./, and have at most "
            + EndUser.MAX_TAG_KEY_LENGTH + " characters", key, RequestJson.shown(k));
      } else if (!seen.add(k.toLowerCase(Locale.ROOT))) {
        u.error(FieldError.Kind.INVALID_STRING, "Duplicate tag key after case normalization: \"" + k.toLowerCase(Locale.ROOT) + "\"", key, k);
      } else if (!v.isTextual()) {
        u.error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received " + (v.isNull() ? "null" : v.getNodeType().name().toLowerCase(Locale.ROOT)), key, k);
      } else if (v.textValue().length() > EndUser.MAX_TAG_VALUE_LENGTH) {
        u.error(FieldError.Kind.TOO_BIG, "Too big: expected string to have <=" + EndUser.MAX_TAG_VALUE_LENGTH + " characters", key, k);
      } else if (!EndUser.isLabel(v.textValue())) {
        u.error(FieldError.Kind.INVALID_STRING, "Must not contain control characters", key, k);
      } else if (k.equalsIgnoreCase("end_user_email") && !EndUser.isEmail(v.textValue())) {
        u.error(FieldError.Kind.INVALID_STRING, "Tag \"end_user_email\" must be a valid email", key, k);
      } else {
        tags.put(k, v.textValue());
      }
    }
    return tags;
  }

  private static Optional<String> label(Fields f, String key, Optional<String> value) {
    if (value.isPresent() && !EndUser.isLabel(value.get())) {
      f.error(FieldError.Kind.INVALID_STRING, "Must not contain control characters", key);
      return Optional.empty();
    }
    return value;
  }

  private static boolean email(Fields f, String value, String key) {
    if (!EndUser.isEmail(value)) {
      f.error(FieldError.Kind.INVALID_STRING, "Invalid email address", key);
      return false;
    }
    return true;
  }
}

package dev.graphgate.server.records;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque cursor of {@code GET /records}: a record's place in the order of changes, as base64url text (Nango's
 * cursors are opaque base64 too; clients only hand them back).
 */
public final class RecordCursor {
  private static final String PREFIX = "gg1:";

  private RecordCursor() {}

  public static String encode(long position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + position).getBytes(StandardCharsets.US_ASCII));
  }

  /** The position, or empty when {@code cursor} is not one this server made. */
  public static Optional<Long> decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (!text.startsWith(PREFIX)) {
        return Optional.empty();
      }
      long position = Long.parseLong(text.substring(PREFIX.length()));
      return position < 0 ? Optional.empty() : Optional.of(position);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

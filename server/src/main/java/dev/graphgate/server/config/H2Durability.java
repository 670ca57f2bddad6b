package dev.graphgate.server.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The two H2 settings Graphgate's promises rest on, added to every {@code jdbc:h2:} URL (docs/running.md, "What
 * survives a crash"):
 *
 * <ul>
 *   <li>{@code WRITE_DELAY=0}: a commit is written to the database file before it returns, so a write the API
 *       confirmed survives {@code kill -9}. H2's default (500 ms) leaves the last half second of commits in memory,
 *       written later by a background thread.
 *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 registers no shutdown hook of its own. Graphgate closes the database as the
 *       last step of its own shutdown, after the requests in flight and the request log are done; H2's hook would close
 *       it under them.
 * </ul>
 *
 * A URL that sets either to another value is refused rather than silently weakened. One more setting is added when the
 * URL does not choose its own: {@code MAX_COMPACT_TIME=5000}. Without a write delay H2 runs no background housekeeping,
 * so its file grows under sustained writes; closing the database packs it, for up to this long (H2's default, 200 ms,
 * leaves most of it).
 */
final class H2Durability {
  static final Map<String, String> REQUIRED = Map.of("WRITE_DELAY", "0", "DB_CLOSE_ON_EXIT", "FALSE");
  static final String MAX_COMPACT_TIME = "5000";

  private H2Durability() {}

  static String apply(String url) {
    String[] parts = url.split(";");
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        given.put(parts[i].substring(0, eq).trim().toUpperCase(Locale.ROOT), parts[i].substring(eq + 1).trim());
      }
    }
    StringBuilder b = new StringBuilder(url);
    for (String key : new String[] {"WRITE_DELAY", "DB_CLOSE_ON_EXIT"}) {
      String required = REQUIRED.get(key);
      String value = given.get(key);
      if (value == null) {
        b.append(';').append(key).append('=').append(required);
      } else if (!value.equalsIgnoreCase(required)) {
        throw new InvalidConfigException("GRAPHGATE_DATABASE_URL sets " + key + "=" + value + "; Graphgate needs " + key + "=" + required
            + " (leave it out and Graphgate sets it): " + (key.equals("WRITE_DELAY")
                ? "with a write delay, writes the API confirmed are lost when the process is killed."
                : "H2 would close the database at exit under requests still running."));
      }
    }
    if (!given.containsKey("MAX_COMPACT_TIME")) {
      b.append(";MAX_COMPACT_TIME=").append(MAX_COMPACT_TIME);
    }
    return b.toString();
  }
}

package dev.graphgate.server.connection;

import java.util.regex.Pattern;

/** How callers name a connection: the integration's unique key and the connection id. */
public record ConnectionKey(String integrationKey, String connectionId) {
  /** What Nango accepts as a connection id: 1 to 255 of these characters. */
  public static final Pattern CONNECTION_ID = Pattern.compile("[a-zA-Z0-9,.;:=+~\\[\\]|@${}\"'\\\\/_ -]{1,255}");
}

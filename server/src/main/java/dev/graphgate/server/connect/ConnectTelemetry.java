package dev.graphgate.server.connect;

import dev.graphgate.server.storage.Rows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The Connect UI's telemetry beacons ({@code POST /connect/telemetry}), kept as one count per event, and the one writer
 * of {@code connect_telemetry}. No session, user, integration or time is stored: the counts say how far end users get
 * through the Connect UI, nothing about who.
 */
public final class ConnectTelemetry {
  /** Nango's events, in the order the Connect UI sends them. */
  public static final List<String> EVENTS = List.of("open", "view:list", "view:integration", "view:unknown_error",
      "view:credentials_error", "view:success", "click:integration", "click:doc", "click:doc_section", "click:connect", "click:close",
      "click:finish", "click:outside", "popup:blocked_by_browser", "popup:closed_early");

  private final Jdbi jdbi;

  public ConnectTelemetry(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Counts one {@code event} (one of {@link #EVENTS}); instances counting together lose nothing. */
  public void count(String event) {
    if (!EVENTS.contains(event)) {
      throw new IllegalArgumentException("not a Connect UI event");
    }
    jdbi.useHandle(h -> {
      int updated = h.createUpdate("UPDATE connect_telemetry SET event_count = event_count + 1 WHERE event = :event").bind("event", event).execute();
      if (updated == 0) {
        // The first count of an event; another instance may insert it first, and then this one adds to it.
        Rows.orOnUniqueViolation(
            () -> h.createUpdate("INSERT INTO connect_telemetry (event, event_count) VALUES (:event, 1)").bind("event", event).execute(),
            () -> h.createUpdate("UPDATE connect_telemetry SET event_count = event_count + 1 WHERE event = :event").bind("event", event).execute());
      }
    });
  }

  /** Every event counted so far, with its count. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT event, event_count FROM connect_telemetry ORDER BY event")
        .map((rs, ctx) -> Map.entry(rs.getString("event"), rs.getLong("event_count"))).forEach(e -> counts.put(e.getKey(), e.getValue())));
    return counts;
  }
}

package dev.graphgate.server.storage;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Instance-wide values kept in the database (the environment id, the hash of a generated secret key). */
public final class SettingsRepository {
  private final Jdbi jdbi;

  public SettingsRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<String> find(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT setting_value FROM settings WHERE name = :name")
        .bind("name", name).mapTo(String.class).findOne());
  }

  /**
   * Stores the value unless one exists, and returns whichever is stored: two instances starting together agree on
   * the first one written.
   */
  public String putIfAbsent(String name, String value) {
    Optional<String> existing = find(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    // Another instance may insert first: its value wins.
    Rows.orOnUniqueViolation(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO settings (name, setting_value) VALUES (:name, :value)")
        .bind("name", name).bind("value", value).execute()), () -> 0);
    return find(name).orElseThrow();
  }

  public void put(String name, String value) {
    jdbi.useTransaction(h -> {
      int updated = h.createUpdate("UPDATE settings SET setting_value = :value WHERE name = :name").bind("name", name).bind("value", value).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO settings (name, setting_value) VALUES (:name, :value)").bind("name", name).bind("value", value).execute();
      }
    });
  }
}

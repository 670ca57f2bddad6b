package dev.graphgate.server.webhook;

import dev.graphgate.server.config.WebhookConfig;
import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one writer of {@code webhook_settings}: one row, id 1, created with Nango's defaults (every switch on, no URL)
 * on first use. The signing keys are sealed on the way in and opened on the way out.
 */
public final class WebhookSettingsRepository {
  public static final String SIGNING_KEY_PURPOSE = "webhook_settings.signing_key";

  private final Jdbi jdbi;
  private final SecretBox box;

  public WebhookSettingsRepository(Jdbi jdbi, SecretBox box) {
    this.jdbi = jdbi;
    this.box = box;
  }

  public WebhookSettings read() {
    return jdbi.withHandle(this::read);
  }

  /** Inside the caller's transaction, so an event sees the settings of its own commit. */
  WebhookSettings read(Handle h) {
    return h.createQuery("SELECT * FROM webhook_settings WHERE id = 1").map((rs, ctx) -> map(rs)).findOne()
        .orElseGet(() -> new WebhookSettings(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.empty(),
            Optional.empty(), Instant.EPOCH));
  }

  /** Creates the row with Nango's defaults unless it exists; run once at start, in a transaction of its own. */
  public void initialize() {
    Rows.orOnUniqueViolation(() -> jdbi.inTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM webhook_settings WHERE id = 1").mapTo(Long.class).one() == 0) {
        h.createUpdate("""
            INSERT INTO webhook_settings (id, on_auth_creation, on_auth_refresh_error, on_sync_completion_always, on_sync_error,
                   on_async_action_completion, updated_at) VALUES (1, TRUE, TRUE, TRUE, TRUE, TRUE, :now)""")
            .bind("now", Instant.EPOCH).execute();
      }
      return 0;
    }), () -> 0);
  }

  /**
   * Changes the settings as {@code change} says, under the row's lock, and answers what was stored ({@link #initialize}
   * first). A change that answers the settings it was given writes nothing.
   */
  public WebhookSettings update(java.util.function.UnaryOperator<WebhookSettings> change) {
    return jdbi.inTransaction(h -> {
      WebhookSettings current = h.createQuery("SELECT * FROM webhook_settings WHERE id = 1 FOR UPDATE").map((rs, ctx) -> map(rs)).one();
      WebhookSettings next = change.apply(current);
      // Unchanged: nothing written, so a start that changes nothing re-seals nothing with its own key.
      if (next != current) {
        write(h, next);
      }
      return next;
    });
  }

  private void write(Handle h, WebhookSettings s) {
    h.createUpdate("""
            UPDATE webhook_settings SET primary_url = :primary, secondary_url = :secondary, on_auth_creation = :s0,
                   on_auth_refresh_error = :s1, on_sync_completion_always = :s2, on_sync_error = :s3, on_async_action_completion = :s4,
                   signing_key_sealed = :key, previous_key_sealed = :previous, previous_key_until = :until, updated_at = :now
             WHERE id = 1""")
        .bind("primary", s.primaryUrl().orElse(null)).bind("secondary", s.secondaryUrl().orElse(null))
        .bind("s0", s.on(WebhookConfig.SWITCHES.get(0))).bind("s1", s.on(WebhookConfig.SWITCHES.get(1)))
        .bind("s2", s.on(WebhookConfig.SWITCHES.get(2))).bind("s3", s.on(WebhookConfig.SWITCHES.get(3)))
        .bind("s4", s.on(WebhookConfig.SWITCHES.get(4)))
        .bind("key", s.signingKey().map(k -> box.seal(k.reveal(), SIGNING_KEY_PURPOSE)).orElse(null))
        .bind("previous", s.previousKey().map(k -> box.seal(k.reveal(), SIGNING_KEY_PURPOSE)).orElse(null))
        .bind("until", s.previousKeyUntil().orElse(null))
        .bind("now", s.updatedAt())
        .execute();
  }

  private WebhookSettings map(ResultSet rs) throws SQLException {
    Map<String, Boolean> switches = new LinkedHashMap<>();
    for (String name : WebhookConfig.SWITCHES) {
      switches.put(name, rs.getBoolean(name));
    }
    return new WebhookSettings(Optional.ofNullable(rs.getString("primary_url")), Optional.ofNullable(rs.getString("secondary_url")),
        switches, unseal(rs.getString("signing_key_sealed")), unseal(rs.getString("previous_key_sealed")),
        Optional.ofNullable(Rows.instant(rs, "previous_key_until")), Rows.instant(rs, "updated_at"));
  }

  private Optional<Secret> unseal(String sealed) {
    return sealed == null ? Optional.empty() : Optional.of(Secret.of(box.unseal(sealed, SIGNING_KEY_PURPOSE)));
  }
}

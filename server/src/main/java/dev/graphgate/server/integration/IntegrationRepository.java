package dev.graphgate.server.integration;

import dev.graphgate.server.secret.Secret;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.ChangeFeed;
import dev.graphgate.server.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;

/** Integrations in SQL. Secrets are sealed here, on the way in, and opened here, on the way out. */
public final class IntegrationRepository {
  public static final String SHARED_SECRET_PURPOSE = "integrations.shared_client_secret";
  public static final String WEBHOOK_SECRET_PURPOSE = "integrations.webhook_secret";

  private static final String SELECT = """
      SELECT id, unique_key, provider, display_name, forward_webhooks, scopes, shared_client_id,
             shared_client_secret_sealed, webhook_secret_sealed, created_at, updated_at
      FROM integrations""";

  private final Jdbi jdbi;
  private final SecretBox box;
  private final ChangeFeed feed;

  public IntegrationRepository(Jdbi jdbi, SecretBox box, ChangeFeed feed) {
    this.jdbi = jdbi;
    this.box = box;
    this.feed = feed;
  }

  public List<Integration> findAll() {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY id").map((rs, ctx) -> map(rs)).list());
  }

  public Optional<Integration> findById(long id) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne());
  }

  public Optional<Integration> findByKey(String uniqueKey) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE unique_key = :key").bind("key", uniqueKey).map((rs, ctx) -> map(rs)).findOne());
  }

  public Integration insert(Integration i) {
    long id = jdbi.inTransaction(h -> {
      long newId = h.createUpdate("""
              INSERT INTO integrations (unique_key, provider, display_name, forward_webhooks, scopes, shared_client_id,
                                        shared_client_secret_sealed, webhook_secret_sealed, created_at, updated_at)
              VALUES (:key, :provider, :displayName, :forward, :scopes, :clientId, :clientSecret, :webhookSecret, :created, :updated)""")
          .bind("key", i.uniqueKey()).bind("provider", i.provider())
          .bind("displayName", i.displayName().orElse(null)).bind("forward", i.forwardWebhooks()).bind("scopes", i.scopes())
          .bind("clientId", i.sharedCredentials().map(AppCredentials::clientId).orElse(null))
          .bind("clientSecret", i.sharedCredentials().map(c -> box.seal(c.clientSecret().reveal(), SHARED_SECRET_PURPOSE)).orElse(null))
          .bind("webhookSecret", i.webhookSecret().map(s -> box.seal(s.reveal(), WEBHOOK_SECRET_PURPOSE)).orElse(null))
          .bind("created", i.createdAt()).bind("updated", i.updatedAt())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      feed.record(h, ChangeFeed.Entity.INTEGRATION, newId);
      return newId;
    });
    return findById(id).orElseThrow();
  }

  /**
   * Applies {@code change} to the integration as stored, reading it under a row lock ({@code SELECT ... FOR UPDATE}) and
   * writing the result in the same transaction, so concurrent updates of different fields all land. Empty when the
   * integration no longer exists.
   */
  public Optional<Integration> update(long id, UnaryOperator<Integration> change) {
    boolean found = jdbi.inTransaction(h -> {
      Optional<Integration> stored = h.createQuery(SELECT + " WHERE id = :id FOR UPDATE").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
      if (stored.isEmpty()) {
        return false;
      }
      Integration i = change.apply(stored.get());
      h.createUpdate("""
              UPDATE integrations SET unique_key = :key, display_name = :displayName, forward_webhooks = :forward,
                     scopes = :scopes, shared_client_id = :clientId, shared_client_secret_sealed = :clientSecret,
                     webhook_secret_sealed = :webhookSecret, updated_at = :updated
              WHERE id = :id""")
          .bind("id", id).bind("key", i.uniqueKey())
          .bind("displayName", i.displayName().orElse(null)).bind("forward", i.forwardWebhooks()).bind("scopes", i.scopes())
          .bind("clientId", i.sharedCredentials().map(AppCredentials::clientId).orElse(null))
          .bind("clientSecret", i.sharedCredentials().map(c -> box.seal(c.clientSecret().reveal(), SHARED_SECRET_PURPOSE)).orElse(null))
          .bind("webhookSecret", i.webhookSecret().map(s -> box.seal(s.reveal(), WEBHOOK_SECRET_PURPOSE)).orElse(null))
          .bind("updated", i.updatedAt())
          .execute();
      feed.record(h, ChangeFeed.Entity.INTEGRATION, id);
      return true;
    });
    return found ? findById(id) : Optional.empty();
  }

  /** Deletes the integration and (by cascade) its connections. */
  public void delete(long id) {
    jdbi.useTransaction(h -> {
      List<Long> connections = h.createQuery("SELECT id FROM connections WHERE integration_id = :id").bind("id", id).mapTo(Long.class).list();
      h.createUpdate("DELETE FROM integrations WHERE id = :id").bind("id", id).execute();
      feed.record(h, ChangeFeed.Entity.INTEGRATION, id);
      for (long c : connections) {
        feed.record(h, ChangeFeed.Entity.CONNECTION, c);
      }
    });
  }

  public boolean hasConnections(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM connections WHERE integration_id = :id")
        .bind("id", id).mapTo(Long.class).one()) > 0;
  }

  private Integration map(ResultSet rs) throws SQLException {
    String clientId = rs.getString("shared_client_id");
    String sealedSecret = rs.getString("shared_client_secret_sealed");
    String sealedWebhook = rs.getString("webhook_secret_sealed");
    Optional<AppCredentials> shared = clientId == null ? Optional.empty()
        : Optional.of(new AppCredentials(clientId, Secret.of(sealedSecret == null ? "" : box.unseal(sealedSecret, SHARED_SECRET_PURPOSE))));
    Instant created = Rows.instant(rs, "created_at");
    return new Integration(rs.getLong("id"), rs.getString("unique_key"), rs.getString("provider"),
        Optional.ofNullable(rs.getString("display_name")), rs.getBoolean("forward_webhooks"), rs.getString("scopes"), shared,
        Optional.ofNullable(sealedWebhook).map(s -> Secret.of(box.unseal(s, WEBHOOK_SECRET_PURPOSE))), created,
        Rows.instant(rs, "updated_at"));
  }

}

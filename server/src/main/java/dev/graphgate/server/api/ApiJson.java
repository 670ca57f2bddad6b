package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.connection.ConnectionStatus;
import dev.graphgate.server.connection.ConnectionSummary;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.provider.Provider;
import dev.graphgate.server.provider.ProviderRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Nango's JSON shapes for providers, integrations and connections, plus Graphgate's additions (status, permissions). */
final class ApiJson {
  private final Supplier<URI> publicUrl;
  private final Supplier<URI> webhookBase;
  private final String environmentId;
  private final AdminConsentLinks consentLinks;

  ApiJson(Supplier<URI> publicUrl, String environmentId, AdminConsentLinks consentLinks) {
    this(publicUrl, publicUrl, environmentId, consentLinks);
  }

  /** {@code webhookBase}: where Graph reaches this server ({@code GRAPHGATE_PUBLIC_URL}, else the public URL). */
  ApiJson(Supplier<URI> publicUrl, Supplier<URI> webhookBase, String environmentId, AdminConsentLinks consentLinks) {
    this.publicUrl = publicUrl;
    this.webhookBase = webhookBase;
    this.environmentId = environmentId;
    this.consentLinks = consentLinks;
  }

  ObjectNode provider(Provider p) {
    ObjectNode n = p.definition();
    n.put("name", p.name());
    n.put("logo_url", ProviderRegistry.logoUrl(publicUrl.get(), p.name()));
    return n;
  }

  ObjectNode integration(Integration i, Provider p, boolean includeWebhook, boolean includeCredentials) {
    ObjectNode n = Json.object();
    n.put("unique_key", i.uniqueKey());
    n.put("provider", i.provider());
    n.put("display_name", i.displayName().orElse(p.displayName()));
    n.put("logo", ProviderRegistry.logoUrl(publicUrl.get(), p.name()));
    n.put("forward_webhooks", i.forwardWebhooks());
    // Graphgate's addition: the Connect UI offers admin consent for an integration holding shared app credentials.
    n.put("admin_consent", i.sharedCredentials().isPresent());
    n.put("created_at", Timestamps.zulu(i.createdAt()));
    n.put("updated_at", Timestamps.zulu(i.updatedAt()));
    if (includeWebhook) {
      n.put("webhook_url", p.webhookRouting()
          ? webhookBase.get().toString().replaceAll("/+$", "") + "/webhook/" + environmentId + "/" + URLEncoder.encode(i.uniqueKey(), StandardCharsets.UTF_8).replace("+", "%20")
          : null);
    }
    if (includeCredentials) {
      ObjectNode c = n.putObject("credentials");
      c.put("type", p.authMode().name());
      c.put("client_id", i.sharedCredentials().map(s -> s.clientId()).orElse(null));
      c.put("client_secret", i.sharedCredentials().map(s -> s.clientSecret().reveal()).orElse(null));
      c.put("scopes", i.scopes());
      c.put("webhook_secret", i.webhookSecret().map(s -> s.reveal()).orElse(null));
    }
    return n;
  }

  ObjectNode summary(ConnectionSummary c) {
    ObjectNode n = head(c.id(), c.connectionId(), c.integrationKey(), c.provider(), c.status(), c.errorLogId(), c.endUser(), c.tags(), c.metadata());
    n.put("created", Timestamps.offset(c.createdAt()));
    n.put("status", c.status().wireName());
    return n;
  }

  /**
   * The full form of {@code GET /connections/{id}}. {@code zulu} picks the {@code Z} timestamps that Nango's
   * {@code POST /connections} answers with.
   */
  ObjectNode connection(Connection c, Instant lastFetchedAt, boolean zulu, boolean includeCredentials) {
    ObjectNode n = head(c.id(), c.connectionId(), c.integrationKey(), c.provider(), c.health().status(), c.health().errorLogId(), c.endUser(),
        c.tags(), c.metadata());
    n.set("connection_config", c.connectionConfig().deepCopy());
    n.put("webhook_url_override", c.webhookUrlOverride().orElse(null));
    n.put("created_at", time(c.createdAt(), zulu));
    n.put("updated_at", time(c.updatedAt(), zulu));
    n.put("last_fetched_at", time(lastFetchedAt, zulu));
    n.put("status", c.health().status().wireName());
    n.put("status_message", c.health().message().orElse(null));
    ArrayNode roles = n.putArray("granted_permissions");
    c.token().flatMap(AccessToken::roles).ifPresent(r -> r.forEach(roles::add));
    if (c.health().needsAdminConsent()) {
      n.put("admin_consent_url", consentLinks.forConnection(c));
    }
    n.set("credentials", includeCredentials ? credentials(c) : Json.object());
    return n;
  }

  private ObjectNode credentials(Connection c) {
    ObjectNode cr = Json.object();
    Optional<AccessToken> token = c.token();
    switch (c.credentials()) {
      case ConnectionCredentials.ClientSecret s -> {
        cr.put("type", "OAUTH2_CC");
        cr.put("token", token.map(t -> t.value().reveal()).orElse(null));
        cr.put("client_id", s.clientId());
        cr.put("client_secret", s.clientSecret().reveal());
      }
      case ConnectionCredentials.Certificate cert -> {
        // Nango echoes the private key here; Graphgate does not: no client needs it back, and it is the one secret
        // that cannot be rotated without the customer's admin.
        cr.put("type", "TWO_STEP");
        cr.put("token", token.map(t -> t.value().reveal()).orElse(null));
        cr.put("clientId", cert.clientId());
        cr.put("certificateThumbprint", cert.thumbprint());
      }
    }
    cr.put("expires_at", token.map(t -> Timestamps.zulu(t.expiresAt())).orElse(null));
    cr.set("raw", token.map(t -> Json.parse(t.rawResponse().reveal())).orElse(Json.object()));
    return cr;
  }

  /** What the list and the full form of a connection share, in Nango's order; its errors list an auth error while there is one. */
  private static ObjectNode head(long id, String connectionId, String integrationKey, String provider, ConnectionStatus status,
      Optional<String> errorLogId, Optional<JsonNode> endUser, Map<String, String> tags, Optional<JsonNode> metadata) {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("connection_id", connectionId);
    n.put("provider_config_key", integrationKey);
    n.put("provider", provider);
    ArrayNode errors = n.putArray("errors");
    if (status.isAuthError()) {
      errors.addObject().put("type", "auth").put("log_id", errorLogId.orElse(null));
    }
    n.set("end_user", endUser.orElse(null));
    n.set("tags", tags(tags));
    n.set("metadata", metadata.orElse(null));
    return n;
  }

  private static String time(Instant t, boolean zulu) {
    return zulu ? Timestamps.zulu(t) : Timestamps.offset(t);
  }

  private static JsonNode tags(Map<String, String> tags) {
    ObjectNode n = Json.object();
    tags.forEach(n::put);
    return n;
  }
}

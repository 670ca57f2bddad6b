package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.auth.CertificateKeys;
import dev.graphgate.server.auth.TokenLifetimes;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.connection.ConnectionRepository;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.connection.NewConnection;
import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.provider.AuthMode;
import dev.graphgate.server.provider.Provider;
import dev.graphgate.server.webhook.WebhookSettingsService;
import dev.graphgate.server.secret.Secret;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads {@code POST /connections} into a {@link NewConnection}: Nango's body, plus certificate credentials
 * ({@code TWO_STEP}), which Nango cannot import. The tenant id and scopes are checked here, before anything is stored.
 */
final class ConnectionImportReader {
  static final Pattern CONNECTION_ID = dev.graphgate.server.connection.ConnectionKey.CONNECTION_ID;
  static final Set<String> KEYS = Set.of("provider_config_key", "connection_id", "credentials", "connection_config", "metadata", "tags",
      "end_user", "webhook_url_override");
  private static final Set<String> SECRET_KEYS = Set.of("type", "token", "client_id", "client_secret", "expires_at", "raw");
  private static final Set<String> CERT_KEYS = Set.of("type", "token", "clientId", "privateKey", "certificateThumbprint", "certificate", "expires_at", "raw");
  private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final TokenLifetimes lifetimes;
  private final WebhookSettingsService webhooks;

  ConnectionImportReader(TokenLifetimes lifetimes, WebhookSettingsService webhooks) {
    this.lifetimes = lifetimes;
    this.webhooks = webhooks;
  }

  NewConnection read(Fields f, Integration integration, Provider provider, Instant now) {
    String connectionId = f.string("connection_id", 1, 255).orElse(UUID.randomUUID().toString());
    if (!CONNECTION_ID.matcher(connectionId).matches()) {
      f.invalid("Invalid connection_id", "connection_id");
    }
    Optional<ObjectNode> config = f.object("connection_config");
    Optional<String> tenantId = f.stringIn("connection_config", "tenantId");
    Optional<String> configScopes = f.stringIn("connection_config", "oauth_scopes");
    Optional<JsonNode> metadata = f.object("metadata").map(JsonNode.class::cast);
    Map<String, String> tags = f.tags("tags").orElse(Map.of());
    Optional<EndUser> endUser = EndUserReader.read(f, "end_user");
    Optional<String> webhook = f.string("webhook_url_override", 0, 2048).filter(s -> !s.isEmpty());
    if (!f.has("credentials")) {
      f.invalid("Required: the connection's credentials", "credentials");
      f.done();
    }
    JsonNode typeNode = f.any("credentials").map(c -> c.path("type")).orElse(null);
    String type = typeNode == null ? "" : typeNode.asText("");
    if (!type.equals(AuthMode.OAUTH2_CC.name()) && !type.equals(AuthMode.TWO_STEP.name())) {
      f.invalid("Invalid credentials.type: expected OAUTH2_CC or TWO_STEP", "credentials", "type");
      f.done();
    }
    if (!type.equals(provider.authMode().name())) {
      f.done();
      throw InvalidRequest.body("Provider " + provider.authMode().name() + " does not support " + type + " auth");
    }
    fits(f, metadata, ConnectionRepository.MAX_METADATA_CHARS, "metadata");
    Fields c = f.nested("credentials", type.equals("OAUTH2_CC") ? SECRET_KEYS : CERT_KEYS).orElseThrow();
    ConnectionCredentials credentials = type.equals("OAUTH2_CC") ? clientSecret(c) : certificate(c);
    Optional<String> token = c.string("token", 1, 16384);
    Optional<Instant> expiresAt = c.string("expires_at", 1, 64).flatMap(s -> instant(c, s));
    f.done();

    ObjectNode connectionConfig = config.map(ObjectNode::deepCopy).orElse(Json.object());
    TenantId tenant = TenantId.parse(tenantId.orElse(null));
    connectionConfig.put("tenantId", tenant.value());
    String scopes = ScopeRules.validate(configScopes.orElse(integration.scopes()));
    connectionConfig.put("oauth_scopes", scopes);
    if (Json.write(connectionConfig).length() > ConnectionRepository.MAX_CONNECTION_CONFIG_CHARS) {
      throw InvalidRequest.bodyField("connection_config is at most " + ConnectionRepository.MAX_CONNECTION_CONFIG_CHARS
          + " characters of JSON, with tenantId and oauth_scopes", "connection_config");
    }

    Optional<AccessToken> imported = token.map(t -> {
      ObjectNode raw = Json.object().put("access_token", t).put("token_type", "Bearer");
      expiresAt.ifPresent(e -> raw.put("expires_at", Timestamps.zulu(e)));
      return lifetimes.imported(Secret.of(t), Secret.of(Json.write(raw)), expiresAt, now);
    });
    // Checked once the body is known to be well-formed; refused, nothing is stored.
    webhook.ifPresent(url -> webhooks.requireAllowed("webhook_url_override", url));
    return new NewConnection(connectionId, tenant, scopes, connectionConfig, credentials, imported, metadata, tags, endUser, webhook);
  }

  /** Free-form JSON is bounded by the column that stores it, not by a rule of its own. */
  private static void fits(Fields f, Optional<JsonNode> value, int maxChars, String key) {
    if (value.isPresent() && Json.write(value.get()).length() > maxChars) {
      f.error(FieldError.Kind.TOO_BIG, key + " is at most " + maxChars + " characters of JSON", key);
    }
  }

  private static ConnectionCredentials clientSecret(Fields c) {
    String clientId = c.requiredString("client_id", 1, 255);
    String secret = c.requiredString("client_secret", 1, 2048);
    c.done();
    return new ConnectionCredentials.ClientSecret(clientId, Secret.of(secret));
  }

  /**
   * Certificate credentials, from an import's {@code credentials} or a two-step creation's body (field errors name
   * the fields under {@code credentials} either way).
   */
  static ConnectionCredentials certificate(Fields c) {
    String clientId = c.requiredString("clientId", 1, 255);
    String privateKey = c.requiredString("privateKey", 1, 20_000);
    Optional<String> thumbprint = c.string("certificateThumbprint", 1, 100);
    Optional<String> certificatePem = c.string("certificate", 1, 20_000);
    c.done();
    RSAPrivateCrtKey key = CertificateKeys.privateKey(privateKey, "privateKey");
    String x5t;
    if (certificatePem.isPresent()) {
      X509Certificate cert = CertificateKeys.certificate(certificatePem.get(), "certificate");
      if (!CertificateKeys.belongTogether(cert, key)) {
        throw InvalidRequest.bodyField("The private key does not belong to this certificate", "credentials", "privateKey");
      }
      x5t = CertificateKeys.sha256Thumbprint(cert);
      if (thumbprint.isPresent() && !thumbprint.get().equals(x5t)) {
        throw InvalidRequest.bodyField("certificateThumbprint does not match the certificate (expected its base64url SHA-256)", "credentials", "certificateThumbprint");
      }
    } else if (thumbprint.isPresent()) {
      if (!THUMBPRINT.matcher(thumbprint.get()).matches()) {
        throw InvalidRequest.bodyField("certificateThumbprint must be the base64url SHA-256 of the certificate (43 characters)", "credentials", "certificateThumbprint");
      }
      x5t = thumbprint.get();
    } else {
      throw InvalidRequest.bodyField("Give the certificate (PEM) or its certificateThumbprint", "credentials", "certificate");
    }
    return new ConnectionCredentials.Certificate(clientId, Secret.of(privateKey), x5t, certificatePem);
  }

  private static Optional<Instant> instant(Fields c, String s) {
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(s));
      } catch (DateTimeParseException e2) {
        c.invalid("expires_at must be an ISO-8601 date-time such as 2026-01-05T11:59:59Z", "expires_at");
        return Optional.empty();
      }
    }
  }
}

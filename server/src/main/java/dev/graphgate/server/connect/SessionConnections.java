package dev.graphgate.server.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.ConnectRefused;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.Json;
import dev.graphgate.server.auth.TokenFetcher;
import dev.graphgate.server.auth.TokenMeters;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.connection.ConnectionHealth;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.connection.ConnectionStatus;
import dev.graphgate.server.connection.EndUser;
import dev.graphgate.server.connection.NewConnection;
import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.provider.AuthMode;
import dev.graphgate.server.webhook.CreationFailure;
import dev.graphgate.server.webhook.Outbox;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections created through a connect session, by the end user's credentials ({@code POST /oauth2/auth/{key}},
 * {@code POST /auth/two-step/{key}}) or by a tenant admin's consent to the integration's shared app. Either way the
 * credentials are proved with one token request before anything is stored, and a refusal stores nothing; what is
 * stored goes through {@link ConnectionService#importConnection}, the path every connection is created by, with the
 * session's tags, end user and webhook URL (a reconnect session replaces its connection and keeps what the session
 * does not say). The tenant id and scopes are checked here whatever the page sent. A refusal is announced to the
 * customer's app as an {@code auth} creation failure ({@link Outbox#creationFailed}), in a transaction of its own since
 * nothing else is written.
 */
public final class SessionConnections {
  private static final Logger log = LoggerFactory.getLogger(SessionConnections.class);
  /** The {@code params[...]} a creation takes: the providers' connection configuration. */
  public static final List<String> PARAMS = List.of("tenantId", "oauth_scopes");

  private final IntegrationService integrations;
  private final ConnectionService connections;
  private final TokenFetcher fetcher;
  private final AdminConsentLinks links;
  private final Outbox outbox;

  public SessionConnections(IntegrationService integrations, ConnectionService connections, TokenFetcher fetcher, AdminConsentLinks links,
      Outbox outbox) {
    this.integrations = integrations;
    this.connections = connections;
    this.fetcher = fetcher;
    this.links = links;
    this.outbox = outbox;
  }

  /** What the Connect UI sent: the integration of the route's path, the credentials entered, and {@code params[...]}. */
  public record Request(String integration, ConnectionCredentials credentials, Map<String, String> params) {
    public Request {
      params = Map.copyOf(params);
    }
  }

  /** What a creation came to. A refusal and an outage store nothing; the caller answers each (and may announce it). */
  public sealed interface Outcome {
    /** Stored: {@code created} is false when a reconnect session replaced its connection. */
    record Created(Connection connection, boolean created) implements Outcome {}

    /**
     * Entra refused the credentials, or issued a token carrying no permissions: {@code status} is what the
     * connection's status would have been, {@code message} what the customer's admin must do, and
     * {@code adminConsentUrl} where, when consent is what is missing.
     */
    record Refused(ConnectionStatus status, String message, Optional<String> adminConsentUrl) implements Outcome {}

    /** Entra could not be asked (after the retries); trying again later may work. */
    record Unavailable(String message, Optional<Duration> retryAfter) implements Outcome {}
  }

  /**
   * A connection made of {@code r}'s credentials, through {@code session}: the integration must exist, take the
   * credentials {@code mode} names, and be allowed by the session; the session's presets win over the page's params.
   */
  public Outcome create(ConnectSession session, AuthMode mode, Request r) {
    Integration integration = integrations.find(r.integration()).orElseThrow(() -> mode == AuthMode.TWO_STEP
        ? UnknownProviderConfig.inTwoStepPath("There is no integration '" + r.integration() + "': check the key in the route's path.")
        : new UnknownProviderConfig("There is no integration '" + r.integration() + "': check the key in the route's path."));
    requireUsable(session, integration, mode);
    Map<String, String> config = new LinkedHashMap<>(r.params());
    config.putAll(session.terms().presets(integration.uniqueKey()));
    TenantId tenant = TenantId.parse(config.get("tenantId"));
    String scopes = scopes(config, integration);
    return announced(session, integration, mode, switch (fetcher.fetch(TokenMeters.Kind.GRAPH, tenant, r.credentials(), scopes)) {
      case TokenFetcher.Fetched.Issued issued when lacksPermissions(issued.token()) ->
          consentMissing(session, integration, tenant, r.credentials().clientId(), scopes);
      case TokenFetcher.Fetched.Issued issued -> store(session, integration, tenant, scopes, config, r.credentials(), issued.token());
      case TokenFetcher.Fetched.Refused refused -> new Outcome.Refused(refused.status(), refused.message(),
          needsConsent(refused.status()) ? Optional.of(consentLink(session, integration, tenant, r.credentials().clientId(), scopes)) : Optional.empty());
      case TokenFetcher.Fetched.Unavailable u -> new Outcome.Unavailable(u.message(), u.retryAfter());
    });
  }

  /**
   * {@code outcome}, after a refusal has been announced. The API answers the refusal whatever becomes of the
   * announcement: an outbox that cannot be written (the database down) is logged, not thrown.
   */
  private Outcome announced(ConnectSession session, Integration integration, AuthMode mode, Outcome outcome) {
    if (outcome instanceof Outcome.Refused r) {
      SessionTerms terms = session.terms();
      try {
        outbox.creationFailed(new CreationFailure(integration.uniqueKey(), integrations.providerOf(integration).name(),
            terms.tags().orElse(Map.of()), terms.endUser(),
            mode == AuthMode.TWO_STEP ? "two_step_credentials_fetch_error" : "client_credentials_fetch_error", r.message(),
            r.status().wireName(), terms.webhookUrlOverride()));
      } catch (RuntimeException e) {
        log.warn("the creation failure for integration {} could not be written to the webhook outbox ({})", integration.uniqueKey(),
            e.getClass().getSimpleName());
      }
    }
    return outcome;
  }

  /**
   * After the admin of {@code tenant} consented to {@code integration}'s shared app through {@code session}: a token
   * of the shared app in the tenant must carry permissions (that is the proof), then the connection is stored.
   */
  Outcome onboard(ConnectSession session, Integration integration, TenantId tenant) {
    ConnectionCredentials shared = sharedCredentials(integration);
    Map<String, String> config = new LinkedHashMap<>(session.terms().presets(integration.uniqueKey()));
    String scopes = scopes(config, integration);
    return announced(session, integration, AuthMode.OAUTH2_CC, switch (fetcher.fetch(TokenMeters.Kind.GRAPH, tenant, shared, scopes)) {
      case TokenFetcher.Fetched.Issued issued when issued.token().roles().map(List::isEmpty).orElse(true) -> new Outcome.Refused(
          ConnectionStatus.CONSENT_MISSING, "Microsoft recorded the consent, but a token issued just now for the app in this tenant carries no "
              + "application permissions, so no connection was made. Check that the app registration asks for application permissions "
              + "(of type Application, not Delegated); Entra can also take a few minutes to apply a grant. Then grant access again.",
          Optional.empty());
      case TokenFetcher.Fetched.Issued issued -> store(session, integration, tenant, scopes, config, shared, issued.token());
      case TokenFetcher.Fetched.Refused refused -> new Outcome.Refused(refused.status(), refused.message(), Optional.empty());
      case TokenFetcher.Fetched.Unavailable u -> new Outcome.Unavailable(u.message(), u.retryAfter());
    });
  }

  /** The integration's shared app as connection credentials; the caller checked it has one. */
  static ConnectionCredentials sharedCredentials(Integration integration) {
    var shared = integration.sharedCredentials().orElseThrow(() -> ConnectRefused.noSharedCredentials(integration.uniqueKey()));
    return new ConnectionCredentials.ClientSecret(shared.clientId(), shared.clientSecret());
  }

  /** The integration takes {@code mode}'s credentials and the session allows it. */
  void requireUsable(ConnectSession session, Integration integration, AuthMode mode) {
    AuthMode providerMode = integrations.providerOf(integration).authMode();
    if (providerMode != mode) {
      throw ConnectRefused.invalidAuthMode(integration.uniqueKey(), providerMode.name());
    }
    if (!session.terms().allows(integration.uniqueKey())) {
      throw ConnectRefused.integrationNotAllowed(integration.uniqueKey());
    }
  }

  /**
   * The scopes a connection requests: the session's {@code oauth_scopes_override}, else the merged
   * {@code oauth_scopes}, else the integration's; checked against Entra's client-credentials rules.
   */
  static String scopes(Map<String, String> config, Integration integration) {
    String chosen = config.getOrDefault("oauth_scopes_override", config.get("oauth_scopes"));
    return ScopeRules.validate(chosen == null || chosen.isBlank() ? integration.scopes() : chosen);
  }

  Optional<Integration> integration(String key) {
    return integrations.find(key);
  }

  private Outcome consentMissing(ConnectSession session, Integration integration, TenantId tenant, String clientId, String scopes) {
    return new Outcome.Refused(ConnectionStatus.CONSENT_MISSING, ConnectionHealth.CONSENT_MISSING_MESSAGE,
        Optional.of(consentLink(session, integration, tenant, clientId, scopes)));
  }

  private String consentLink(ConnectSession session, Integration integration, TenantId tenant, String clientId, String scopes) {
    return links.forSession(session, integration.uniqueKey(), clientId, Optional.of(tenant), scopes, ConsentState.Purpose.CONSENT);
  }

  private static boolean needsConsent(ConnectionStatus status) {
    return status == ConnectionStatus.CONSENT_MISSING || status == ConnectionStatus.APP_NOT_IN_TENANT;
  }

  /** A token whose {@code roles} claim is there and empty: the tenant's admin has granted the app nothing. */
  private static boolean lacksPermissions(AccessToken token) {
    return token.roles().map(List::isEmpty).orElse(false);
  }

  private Outcome store(ConnectSession session, Integration integration, TenantId tenant, String scopes, Map<String, String> config,
      ConnectionCredentials credentials, AccessToken token) {
    SessionTerms terms = session.terms();
    Optional<Connection> replaced = terms.reconnecting().map(id -> connections.reload(id)
        .orElseThrow(() -> new NotFound("The connection this reconnect session was made for no longer exists; nothing was stored.")));
    if (replaced.isPresent() && replaced.get().integrationId() != integration.id()) {
      throw ConnectRefused.integrationNotAllowed(integration.uniqueKey());
    }
    ObjectNode connectionConfig = Json.object();
    config.forEach((k, v) -> {
      if (!k.equals("webhook_url")) {
        connectionConfig.put(k, v);
      }
    });
    connectionConfig.put("tenantId", tenant.value());
    connectionConfig.put("oauth_scopes", scopes);
    NewConnection c = new NewConnection(
        replaced.map(Connection::connectionId).orElseGet(() -> UUID.randomUUID().toString()),
        tenant, scopes, connectionConfig, credentials, Optional.of(token),
        replaced.flatMap(Connection::metadata),
        terms.tags().or(() -> replaced.map(Connection::tags)).orElse(Map.of()),
        terms.endUser().or(() -> replaced.flatMap(Connection::endUser).flatMap(SessionConnections::storedEndUser)),
        terms.webhookUrlOverride().or(() -> replaced.flatMap(Connection::webhookUrlOverride)));
    var upserted = connections.importConnection(integration.uniqueKey(), (i, p) -> {
      if (i.id() != integration.id()) {
        throw new UnknownProviderConfig("The integration '" + integration.uniqueKey() + "' changed while the connection was created; try again.");
      }
      return c;
    });
    return new Outcome.Created(upserted.connection(), upserted.created());
  }

  /** A connection's stored end user, when it is one Graphgate validated (rows written before may hold other objects). */
  private static Optional<EndUser> storedEndUser(com.fasterxml.jackson.databind.JsonNode stored) {
    try {
      return Optional.of(ConnectSessionRepository.endUser(stored));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}

package dev.graphgate.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every failure that reaches an API caller. Each leaf names what failed and carries one of the stable
 * {@link ErrorCode}s, which fixes the wire code (Nango's wherever Nango has one) and the HTTP status; where Nango's
 * status differs by route, a named factory picks the constant, never a number or string from the caller. The one
 * exception handler in {@code api} renders them as {@code {"error":{"code":…,"message":…}}} and switches over this
 * sealed family, so a new leaf without a rendering is a compile error. Messages say what to do, and never contain a
 * secret; no leaf carries wire JSON (the route adds what it knows when it renders the error).
 */
public abstract sealed class GraphgateException extends RuntimeException
    permits GraphgateException.AuthenticationFailed,
        GraphgateException.InvalidRequest,
        GraphgateException.InvalidJson,
        GraphgateException.UnsupportedContentType,
        GraphgateException.PayloadTooLarge,
        GraphgateException.NotFound,
        GraphgateException.UnknownProviderConfig,
        GraphgateException.UnknownConnection,
        GraphgateException.InvalidTenantId,
        GraphgateException.InvalidScope,
        GraphgateException.TokenRequestFailed,
        GraphgateException.RefreshBackoff,
        GraphgateException.RefreshExhausted,
        GraphgateException.TokenEndpointUnavailable,
        GraphgateException.BaseUrlOverrideNotAllowed,
        GraphgateException.ProxyConnectionNotFound,
        GraphgateException.ProxyCredentialsUnavailable,
        GraphgateException.UpstreamUnreachable,
        GraphgateException.ProxyThrottled,
        GraphgateException.EncryptionKeyUnavailable,
        GraphgateException.DatabaseUnavailable,
        GraphgateException.ConnectRefused,
        GraphgateException.CredentialsRefused,
        GraphgateException.SyncRefused,
        GraphgateException.NotificationRefused,
        GraphgateException.WebhookRefused,
        GraphgateException.ActionRefused {

  private final ErrorCode errorCode;
  private final Optional<Duration> retryAfter;

  private GraphgateException(ErrorCode errorCode, String message) {
    this(errorCode, message, null);
  }

  /** {@code retryAfter}: when trying again makes sense (sent as {@code Retry-After}); null when it does not. */
  private GraphgateException(ErrorCode errorCode, String message, Duration retryAfter) {
    // Expected failures: no stack trace to fill, and none is ever shown to a client.
    super(message, null, false, false);
    this.errorCode = Objects.requireNonNull(errorCode);
    this.retryAfter = Optional.ofNullable(retryAfter);
  }

  /** When the caller may try again, for failures that pass (sent as {@code Retry-After}). */
  public final Optional<Duration> retryAfter() {
    return retryAfter;
  }

  public final ErrorCode errorCode() {
    return errorCode;
  }

  /** The wire code. */
  public final String code() {
    return errorCode.wire();
  }

  public final int status() {
    return errorCode.status();
  }

  /** One problem with one field of a request, as Nango's validation errors list them. */
  public record FieldError(Kind kind, String message, List<Object> path) {
    public FieldError {
      Objects.requireNonNull(kind);
      path = List.copyOf(path);
    }

    public String code() {
      return kind.wire();
    }

    /** The kinds of field problem, with Nango's (zod's) codes. */
    public enum Kind {
      INVALID_TYPE("invalid_type"),
      INVALID_STRING("invalid_string"),
      INVALID_VALUE("invalid_value"),
      INVALID_ENUM_VALUE("invalid_enum_value"),
      UNRECOGNIZED_KEYS("unrecognized_keys"),
      TOO_SMALL("too_small"),
      TOO_BIG("too_big");

      private final String wire;

      Kind(String wire) {
        this.wire = wire;
      }

      public String wire() {
        return wire;
      }
    }
  }

  /** 401: the secret key is missing, malformed or unknown (Nango's codes). */
  public static final class AuthenticationFailed extends GraphgateException {
    private AuthenticationFailed(ErrorCode code, String message) {
      super(code, message);
    }

    public static AuthenticationFailed dashboardSignInRequired() {
      return new AuthenticationFailed(ErrorCode.DASHBOARD_SIGN_IN_REQUIRED, "Sign in to the dashboard at /dashboard/ first: this request carries no valid session.");
    }

    public static AuthenticationFailed dashboardSignInRefused() {
      return new AuthenticationFailed(ErrorCode.DASHBOARD_SIGN_IN_REFUSED,
          "Sign-in refused: enter one of the server's secret keys (GRAPHGATE_SECRET_KEY) or the dashboard password (GRAPHGATE_DASHBOARD_PASSWORD).");
    }

    public static AuthenticationFailed invalidCsrfToken() {
      return new AuthenticationFailed(ErrorCode.INVALID_CSRF_TOKEN,
          "This dashboard write did not carry its session's X-CSRF-Token header; nothing was changed. Reload the dashboard and try again.");
    }

    public static AuthenticationFailed missingHeader() {
      return new AuthenticationFailed(ErrorCode.MISSING_AUTH_HEADER, "Authentication failed. The request is missing the Authorization header.");
    }

    public static AuthenticationFailed malformedHeader() {
      return new AuthenticationFailed(ErrorCode.MALFORMED_AUTH_HEADER, "Authentication failed. The Authorization header is malformed.");
    }

    public static AuthenticationFailed connectSessionToken() {
      return new AuthenticationFailed(ErrorCode.UNKNOWN_CONNECT_SESSION_TOKEN,
          "Authentication failed. This endpoint needs the secret key; connect session tokens are not accepted here.");
    }

    public static AuthenticationFailed invalidConnectSessionTokenFormat() {
      return new AuthenticationFailed(ErrorCode.INVALID_CONNECT_SESSION_TOKEN_FORMAT,
          "Authentication failed. The provided connect session token is not following correct format: nango_connect_session_RANDOM "
              + "(this route needs the token of a connect session, from POST /connect/sessions).");
    }

    public static AuthenticationFailed unknownConnectSessionToken() {
      return new AuthenticationFailed(ErrorCode.UNKNOWN_CONNECT_SESSION_TOKEN,
          "Authentication failed. The provided connect session token does not match any session: it expired, was deleted, or never "
              + "existed. Create a new session with POST /connect/sessions.");
    }

    public static AuthenticationFailed missingConnectSessionToken() {
      return new AuthenticationFailed(ErrorCode.MISSING_PUBLIC_KEY,
          "Authentication failed. This route needs the connect_session_token query parameter (a connect session token; Graphgate "
              + "has no public keys).");
    }

    public static AuthenticationFailed invalidKeyFormat() {
      return new AuthenticationFailed(ErrorCode.INVALID_SECRET_KEY_FORMAT, "Authentication failed. The provided secret key is not a UUID v4.");
    }

    public static AuthenticationFailed unknownAccount() {
      return new AuthenticationFailed(ErrorCode.UNKNOWN_ACCOUNT, "Authentication failed. The provided authorization header does not match any account.");
    }
  }

  /** 400: the body, query, path parameters or proxy headers break the route's rules; {@link #errors()} lists the fields at fault. */
  public static final class InvalidRequest extends GraphgateException {
    private final List<FieldError> errors;

    private InvalidRequest(ErrorCode code, String message, List<FieldError> errors) {
      super(code, message);
      this.errors = List.copyOf(errors);
    }

    public static InvalidRequest body(String message) {
      return new InvalidRequest(ErrorCode.INVALID_BODY, message, List.of());
    }

    public static InvalidRequest bodyField(String message, Object... path) {
      return new InvalidRequest(ErrorCode.INVALID_BODY, message, List.of(new FieldError(FieldError.Kind.INVALID_STRING, message, List.of(path))));
    }

    public static InvalidRequest body(List<FieldError> errors) {
      return new InvalidRequest(ErrorCode.INVALID_BODY, null, errors);
    }

    public static InvalidRequest body(String message, List<FieldError> errors) {
      return new InvalidRequest(ErrorCode.INVALID_BODY, message, errors);
    }

    public static InvalidRequest query(List<FieldError> errors) {
      return new InvalidRequest(ErrorCode.INVALID_QUERY_PARAMS, null, errors);
    }

    public static InvalidRequest query(FieldError.Kind kind, String message, String parameter) {
      return query(List.of(new FieldError(kind, message, List.of(parameter))));
    }

    public static InvalidRequest uriParams(FieldError.Kind kind, String message, String parameter) {
      return new InvalidRequest(ErrorCode.INVALID_URI_PARAMS, null, List.of(new FieldError(kind, message, List.of(parameter))));
    }

    public static InvalidRequest headers(String message, List<FieldError> errors) {
      return new InvalidRequest(ErrorCode.INVALID_HEADERS, message, errors);
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  /** 400 invalid_json: the body is not JSON. */
  public static final class InvalidJson extends GraphgateException {
    public InvalidJson(String message) {
      super(ErrorCode.INVALID_JSON, message);
    }
  }

  /** 415 invalid_content_type. */
  public static final class UnsupportedContentType extends GraphgateException {
    public UnsupportedContentType() {
      super(ErrorCode.INVALID_CONTENT_TYPE, "Content-Type header must be application/json (with no charset, or charset=utf-8)");
    }
  }

  /** 413 payload_too_large. */
  public static final class PayloadTooLarge extends GraphgateException {
    public PayloadTooLarge(long limit) {
      super(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than the limit of " + limit + " bytes (GRAPHGATE_MAX_REQUEST_BYTES).");
    }
  }

  /** 404 not_found: an unknown route, provider, integration or connection. */
  public static final class NotFound extends GraphgateException {
    public NotFound(String message) {
      super(ErrorCode.NOT_FOUND, message);
    }
  }

  /** unknown_provider_config: the integration named by {@code provider_config_key} does not exist (400; 404 on the proxy). */
  public static final class UnknownProviderConfig extends GraphgateException {
    public UnknownProviderConfig(String message) {
      super(ErrorCode.UNKNOWN_PROVIDER_CONFIG, message);
    }

    private UnknownProviderConfig(ErrorCode code, String message) {
      super(code, message);
    }

    public static UnknownProviderConfig onProxy(String message) {
      return new UnknownProviderConfig(ErrorCode.UNKNOWN_PROVIDER_CONFIG_ON_PROXY, message);
    }

    /** {@code POST /auth/two-step/{key}} answers 404, as Nango does. */
    public static UnknownProviderConfig inTwoStepPath(String message) {
      return new UnknownProviderConfig(ErrorCode.UNKNOWN_PROVIDER_CONFIG_ON_PROXY, message);
    }
  }

  /** unknown_connection: 400 when deleting, 404 in a metadata update, as Nango answers on each route. */
  public static final class UnknownConnection extends GraphgateException {
    private UnknownConnection(ErrorCode code, String message) {
      super(code, message);
    }

    public static UnknownConnection toDelete(String message) {
      return new UnknownConnection(ErrorCode.UNKNOWN_CONNECTION, message);
    }

    public static UnknownConnection inMetadataUpdate(String message) {
      return new UnknownConnection(ErrorCode.UNKNOWN_CONNECTION_NOT_FOUND, message);
    }

    /** {@code GET /records} and the sync routes other than the trigger answer 400. */
    public static UnknownConnection onRecords(String message) {
      return new UnknownConnection(ErrorCode.UNKNOWN_CONNECTION_ON_RECORDS, message);
    }

    /** {@code POST /sync/trigger} answers 404, as Nango does. */
    public static UnknownConnection onTrigger(String message) {
      return new UnknownConnection(ErrorCode.UNKNOWN_CONNECTION_ON_TRIGGER, message);
    }
  }

  /** 400 invalid_tenant_id: not a GUID or DNS domain name; refused before any network call. */
  public static final class InvalidTenantId extends GraphgateException {
    public InvalidTenantId(String message) {
      super(ErrorCode.INVALID_TENANT_ID, message);
    }
  }

  /** 400 invalid_scope: the scopes break the client-credentials rules; the message is the one Microsoft would give. */
  public static final class InvalidScope extends GraphgateException {
    public InvalidScope(String message) {
      super(ErrorCode.INVALID_SCOPE, message);
    }
  }

  /**
   * 400 invalid_credentials: Entra refused the token request. The connection's new status (for example
   * {@code secret_expired}) travels in the payload; the API adds the connection itself, as Nango does.
   */
  public static final class TokenRequestFailed extends GraphgateException {
    private final String connectionStatus;

    public TokenRequestFailed(String message, String connectionStatus) {
      super(ErrorCode.INVALID_CREDENTIALS, message);
      this.connectionStatus = connectionStatus;
    }

    /** The connection's status after the failure, such as {@code secret_expired}. */
    public String connectionStatus() {
      return connectionStatus;
    }
  }

  /** 424 connection_refresh_backoff: a refresh failed less than 30 s ago; no new request is made yet. */
  public static final class RefreshBackoff extends GraphgateException {
    public RefreshBackoff(Duration retryAfter, String lastError) {
      super(ErrorCode.CONNECTION_REFRESH_BACKOFF, "A recent refresh attempt failed. Backing off before retrying. Last error: " + lastError,
          Objects.requireNonNull(retryAfter));
    }
  }

  /** 424 connection_refresh_exhausted: refreshes failed on four different days; a forced refresh or new credentials reset it. */
  public static final class RefreshExhausted extends GraphgateException {
    public RefreshExhausted(String lastError) {
      super(ErrorCode.CONNECTION_REFRESH_EXHAUSTED, "The refresh limit has been reached for this connection. Fix the credentials and call again with force_refresh=true, or import the connection again. Last error: " + lastError);
    }
  }

  /** 503 token_endpoint_unavailable: Entra could not be reached or answered 5xx/429 after retries, and no valid token is cached. */
  public static final class TokenEndpointUnavailable extends GraphgateException {
    public TokenEndpointUnavailable(String message, Duration retryAfter) {
      super(ErrorCode.TOKEN_ENDPOINT_UNAVAILABLE, message, Objects.requireNonNull(retryAfter));
    }
  }

  /**
   * 400 base_url_override_not_allowed: the proxy refused to send a request to that URL (not a Microsoft host of this
   * cloud, not https, user info, an absolute URL or dot segments in the path, or a redirect elsewhere). Nothing was sent.
   * The message names the reason, never the URL's user info.
   */
  public static final class BaseUrlOverrideNotAllowed extends GraphgateException {
    public BaseUrlOverrideNotAllowed(String reason) {
      super(ErrorCode.BASE_URL_OVERRIDE_NOT_ALLOWED, "This outbound URL is not allowed by server configuration: " + reason);
    }
  }

  /** 400 server_error "Failed to get connection": Nango's answer on the proxy for an unknown connection. */
  public static final class ProxyConnectionNotFound extends GraphgateException {
    public ProxyConnectionNotFound(String message) {
      super(ErrorCode.PROXY_CONNECTION_NOT_FOUND, message);
    }
  }

  /**
   * server_error "Failed to get connection credentials": no token could be had for the proxied call. The status is
   * Nango's (400 refused, 424 exhausted, 503 Entra unreachable); the message is the connection's actionable one, and
   * {@code connectionStatus} (such as {@code secret_expired}) travels in the payload.
   */
  public static final class ProxyCredentialsUnavailable extends GraphgateException {
    private final String connectionStatus;

    private ProxyCredentialsUnavailable(ErrorCode code, String message, String connectionStatus, Duration retryAfter) {
      super(code, message, retryAfter);
      this.connectionStatus = connectionStatus;
    }

    /** 400: Entra refused the token request. */
    public static ProxyCredentialsUnavailable refused(String message, String connectionStatus) {
      return new ProxyCredentialsUnavailable(ErrorCode.PROXY_CREDENTIALS_REFUSED, message, connectionStatus, null);
    }

    /** 424: refreshes failed on four days. */
    public static ProxyCredentialsUnavailable exhausted(String message, String connectionStatus) {
      return new ProxyCredentialsUnavailable(ErrorCode.PROXY_CREDENTIALS_EXHAUSTED, message, connectionStatus, null);
    }

    /** 503: Entra could not be reached; try again after {@code retryAfter}. */
    public static ProxyCredentialsUnavailable unavailable(String message, String connectionStatus, Duration retryAfter) {
      return new ProxyCredentialsUnavailable(ErrorCode.PROXY_CREDENTIALS_UNAVAILABLE, message, connectionStatus, Objects.requireNonNull(retryAfter));
    }

    public String connectionStatus() {
      return connectionStatus;
    }
  }

  /**
   * 502 (504 for a timeout): Microsoft could not be reached and no answer came back after the retries. The code is
   * Nango's network error code ({@link ErrorCode#network()}: {@code ECONNREFUSED}, {@code ECONNRESET},
   * {@code ETIMEDOUT}, {@code EAI_AGAIN} ...), which fixes the status.
   */
  public static final class UpstreamUnreachable extends GraphgateException {
    private final String method;

    public UpstreamUnreachable(ErrorCode failure, String message, String method) {
      super(failure, message);
      if (!ErrorCode.network().contains(failure)) {
        throw new IllegalArgumentException(failure + " is not a network failure");
      }
      this.method = method;
    }

    /** The proxied method, lower case, as Nango reports it. */
    public String method() {
      return method;
    }
  }

  /**
   * 429 too_many_requests: Microsoft throttled this tenant or mailbox and its Retry-After has not passed, or the
   * client-side limit is reached, and waiting would exceed the request's time budget. Nothing was sent.
   */
  public static final class ProxyThrottled extends GraphgateException {
    public ProxyThrottled(Duration retryAfter, String message) {
      super(ErrorCode.TOO_MANY_REQUESTS, message, Objects.requireNonNull(retryAfter));
    }
  }

  /**
   * 503 encryption_key_unavailable: a stored secret is sealed with an encryption key this instance was not given, as
   * when another instance already seals with a new key during a rotation. Retrying here will not help; giving this
   * instance the key will. The message names the key by its id, never its material.
   */
  public static final class EncryptionKeyUnavailable extends GraphgateException {
    private final String keyId;

    public EncryptionKeyUnavailable(String keyId) {
      super(ErrorCode.ENCRYPTION_KEY_UNAVAILABLE, "This instance cannot open a stored secret: it is sealed with encryption key '" + keyId
          + "', which this instance was not given. Give every instance that key, in GRAPHGATE_ENCRYPTION_KEY or "
          + "GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS (docs/running.md, \"Rotating the encryption key\").");
      this.keyId = keyId;
    }

    /** The id of the missing key, as written in front of the sealed value. */
    public String keyId() {
      return keyId;
    }
  }

  /**
   * 503 database_unavailable: no database connection could be had in time (the database cannot be reached, or every
   * pooled connection stayed busy), or the connection broke under the request. {@code Retry-After} says when to try
   * again; the database's own error is in the server's log, never in the answer.
   */
  public static final class DatabaseUnavailable extends GraphgateException {
    public DatabaseUnavailable(String message, Duration retryAfter) {
      super(ErrorCode.DATABASE_UNAVAILABLE, message, java.util.Objects.requireNonNull(retryAfter));
    }
  }

  /**
   * 400: a connect session's request that cannot go ahead (Nango's codes): a credential missing from the body, an
   * integration whose provider takes other credentials, one the session does not allow, or one without the shared app
   * credentials admin consent onboarding needs. Nothing was stored.
   */
  public static final class ConnectRefused extends GraphgateException {
    private ConnectRefused(ErrorCode code, String message) {
      super(code, message);
    }

    public static ConnectRefused missingClientId() {
      return new ConnectRefused(ErrorCode.MISSING_CLIENT_ID, "Missing param 'oauth_client_id': send the app's client_id in the body.");
    }

    public static ConnectRefused missingClientSecret() {
      return new ConnectRefused(ErrorCode.MISSING_CLIENT_SECRET, "Missing param 'oauth_client_secret': send the app's client_secret in the body.");
    }

    public static ConnectRefused invalidAuthMode(String integration, String authMode) {
      return new ConnectRefused(ErrorCode.INVALID_AUTH_MODE, "Invalid auth mode. The provider of integration '" + integration + "' uses "
          + authMode + (authMode.equals("TWO_STEP") ? ": create its connections with POST /auth/two-step/{key}." : ": create its connections with POST /oauth2/auth/{key}."));
    }

    public static ConnectRefused integrationNotAllowed(String integration) {
      return new ConnectRefused(ErrorCode.INTEGRATION_NOT_ALLOWED, "This connect session does not allow the integration '" + integration
          + "' (see the session's allowed_integrations).");
    }

    public static ConnectRefused noSharedCredentials(String integration) {
      return new ConnectRefused(ErrorCode.NO_SHARED_CREDENTIALS, "The integration '" + integration + "' holds no shared app credentials, so "
          + "a tenant's admin cannot onboard through admin consent: give the integration the app's client_id and client_secret "
          + "(PATCH /integrations/{key}), or have the end user enter their own app's credentials.");
    }
  }

  /**
   * 400 client_credentials_fetch_error / two_step_credentials_fetch_error: Entra refused the token request that proves
   * the credentials of a connection being created, so nothing was stored. {@code connectionStatus} is the status the
   * connection would have had (such as {@code app_not_in_tenant}); {@code adminConsentUrl}, when the tenant's admin must
   * consent, is where they do it.
   */
  public static final class CredentialsRefused extends GraphgateException {
    private final String connectionStatus;
    private final Optional<String> adminConsentUrl;

    private CredentialsRefused(ErrorCode code, String message, String connectionStatus, Optional<String> adminConsentUrl) {
      super(code, message);
      this.connectionStatus = Objects.requireNonNull(connectionStatus);
      this.adminConsentUrl = Objects.requireNonNull(adminConsentUrl);
    }

    /** For a client secret ({@code POST /oauth2/auth/{key}}). */
    public static CredentialsRefused clientCredentials(String message, String connectionStatus, Optional<String> adminConsentUrl) {
      return new CredentialsRefused(ErrorCode.CLIENT_CREDENTIALS_FETCH_ERROR, message, connectionStatus, adminConsentUrl);
    }

    /** For a certificate ({@code POST /auth/two-step/{key}}). */
    public static CredentialsRefused twoStep(String message, String connectionStatus, Optional<String> adminConsentUrl) {
      return new CredentialsRefused(ErrorCode.TWO_STEP_CREDENTIALS_FETCH_ERROR, message, connectionStatus, adminConsentUrl);
    }

    public String connectionStatus() {
      return connectionStatus;
    }

    public Optional<String> adminConsentUrl() {
      return adminConsentUrl;
    }
  }

  /**
   * A sync request that cannot go ahead: no integration named, no matching enabled sync, or a connection whose token
   * lacks the sync's permission ({@code adminConsentUrl} is where the tenant's admin grants it). Nothing was changed.
   */
  public static final class SyncRefused extends GraphgateException {
    private final Optional<String> adminConsentUrl;

    private SyncRefused(ErrorCode code, String message, Optional<String> adminConsentUrl) {
      super(code, message);
      this.adminConsentUrl = Objects.requireNonNull(adminConsentUrl);
    }

    public static SyncRefused missingProviderConfigKey() {
      return new SyncRefused(ErrorCode.MISSING_PROVIDER_CONFIG_KEY, "Missing provider_config_key: name the integration in the body, the query "
          + "or the Provider-Config-Key header.", Optional.empty());
    }

    public static SyncRefused noSyncsFound(String message) {
      return new SyncRefused(ErrorCode.NO_SYNCS_FOUND, message, Optional.empty());
    }

    public static SyncRefused permissionMissing(String message, String adminConsentUrl) {
      return new SyncRefused(ErrorCode.PERMISSION_MISSING, message, Optional.of(adminConsentUrl));
    }

    public Optional<String> adminConsentUrl() {
      return adminConsentUrl;
    }
  }

  /**
   * A webhook request that cannot go ahead: a destination the outbound URL policy refuses (400), or a retry of a
   * delivery that was delivered or is being sent (409). Nothing was changed.
   */
  public static final class WebhookRefused extends GraphgateException {
    private WebhookRefused(ErrorCode code, String message) {
      super(code, message);
    }

    /** {@code field} names the setting or body field; {@code reason} never repeats the URL (it may carry a token). */
    public static WebhookRefused urlNotAllowed(String field, String reason) {
      return new WebhookRefused(ErrorCode.WEBHOOK_URL_NOT_ALLOWED, "The URL in " + field + " is not allowed as a webhook destination: " + reason
          + ". Use a public http(s) URL of your app (see docs/webhooks.md for GRAPHGATE_WEBHOOK_ALLOW_PRIVATE_URLS).");
    }

    public static WebhookRefused notRetryable(long id, String status) {
      return new WebhookRefused(ErrorCode.WEBHOOK_DELIVERY_NOT_RETRYABLE, "Delivery " + id + " is " + status
          + (status.equals("delivered") ? ": the receiver confirmed it, and a delivery is never sent twice." : ": wait for this attempt to end, then retry."));
    }
  }

  /**
   * A pre-built action that did not write: the connection's token lacks the action's application permission
   * ({@code permission_missing}; {@code adminConsentUrl} is where the tenant's admin grants it; nothing was sent), or
   * Graph answered the write with an error ({@code action_failed}; {@code upstream} holds Graph's status, code and
   * message; the status is chosen from Graph's, a 4xx for Graph's 4xx).
   */
  public static final class ActionRefused extends GraphgateException {
    private final String action;
    private final Optional<String> adminConsentUrl;
    private final Optional<Upstream> upstream;

    /** Graph's answer to the write: its status, {@code error.code}, {@code error.message}, and {@code request-id} when it gave one. */
    public record Upstream(int status, String code, String message, Optional<String> requestId) {
      public Upstream {
        Objects.requireNonNull(code);
        Objects.requireNonNull(message);
        Objects.requireNonNull(requestId);
      }
    }

    private ActionRefused(ErrorCode code, String message, String action, Optional<String> adminConsentUrl, Optional<Upstream> upstream,
        Duration retryAfter) {
      super(code, message, retryAfter);
      this.action = Objects.requireNonNull(action);
      this.adminConsentUrl = Objects.requireNonNull(adminConsentUrl);
      this.upstream = Objects.requireNonNull(upstream);
    }

    public static ActionRefused permissionMissing(String action, String message, String adminConsentUrl) {
      return new ActionRefused(ErrorCode.PERMISSION_MISSING, message, action, Optional.of(adminConsentUrl), Optional.empty(), null);
    }

    /**
     * Graph answered the write with {@code upstream}'s error. A 4xx means Graph did not apply it; a 5xx may mean it
     * did, and the write was not sent again, which the message says.
     */
    public static ActionRefused failed(String action, Upstream upstream, Optional<Duration> retryAfter) {
      int s = upstream.status();
      ErrorCode code = s == 401 || s == 403 ? ErrorCode.ACTION_FAILED_FORBIDDEN
          : s == 404 ? ErrorCode.ACTION_FAILED_NOT_FOUND
          : s == 409 || s == 412 ? ErrorCode.ACTION_FAILED_CONFLICT
          : s == 429 ? ErrorCode.ACTION_FAILED_THROTTLED
          : s >= 400 && s < 500 ? ErrorCode.ACTION_FAILED_BAD_REQUEST
          : ErrorCode.ACTION_FAILED_UPSTREAM;
      String message = "Graph refused the action '" + action + "' with " + s + " " + upstream.code() + ": " + upstream.message();
      if (code == ErrorCode.ACTION_FAILED_UPSTREAM) {
        message += " Graph may have applied the write all the same, so it was not sent again: check before triggering the action again.";
      } else if (code == ErrorCode.ACTION_FAILED_THROTTLED) {
        message += " Graph did not apply it; trigger it again after the Retry-After header's seconds.";
      }
      Duration wait = code == ErrorCode.ACTION_FAILED_THROTTLED ? retryAfter.orElse(Duration.ofSeconds(1)) : null;
      return new ActionRefused(code, message, action, Optional.empty(), Optional.of(upstream), wait);
    }

    public String action() {
      return action;
    }

    public Optional<String> adminConsentUrl() {
      return adminConsentUrl;
    }

    public Optional<Upstream> upstream() {
      return upstream;
    }
  }

  /**
   * A POST of Graph change notifications that stored nothing: an unknown environment or integration in its path
   * (404, as Nango answers), or a batch none of whose notifications carried the clientState of a subscription
   * Graphgate keeps for this integration (401). The message never repeats a clientState.
   */
  public static final class NotificationRefused extends GraphgateException {
    private NotificationRefused(ErrorCode code, String message) {
      super(code, message);
    }

    public static NotificationRefused unknownEnvironment() {
      return new NotificationRefused(ErrorCode.UNKNOWN_ENVIRONMENT, "Unknown environment: use the webhook_url of GET /integrations/{key}?include=webhook.");
    }

    public static NotificationRefused unknownIntegration(String key) {
      return new NotificationRefused(ErrorCode.UNKNOWN_PROVIDER_CONFIG_ON_WEBHOOK, "No integration '" + key + "'.");
    }

    public static NotificationRefused invalidClientState(int rejected) {
      return new NotificationRefused(ErrorCode.INVALID_CLIENT_STATE, "None of the " + rejected
          + " notification(s) named a known subscription of this integration with its clientState and tenant; nothing was stored.");
    }
  }
}

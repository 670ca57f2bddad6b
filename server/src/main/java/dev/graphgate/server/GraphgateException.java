package dev.graphgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every failure that reaches an API caller. Each leaf names what failed and carries a stable snake_case {@link #code()}
 * (Nango's code wherever Nango has one) and an HTTP status; the one exception handler in {@code api} renders them as
 * {@code {"error":{"code":…,"message":…}}} and switches over this sealed family, so a new leaf without a rendering is
 * a compile error. Messages say what to do, and never contain a secret.
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
        GraphgateException.DatabaseUnavailable {

  private final String code;
  private final int status;

  private GraphgateException(int status, String code, String message) {
    // Expected failures: no stack trace to fill, and none is ever shown to a client.
    super(message, null, false, false);
    this.status = status;
    this.code = Objects.requireNonNull(code);
  }

  public final String code() {
    return code;
  }

  public final int status() {
    return status;
  }

  /** One problem with one field of a request, as Nango's validation errors list them. */
  public record FieldError(String code, String message, List<Object> path) {
    public FieldError {
      path = List.copyOf(path);
    }
  }

  /** 401: missing_auth_header, malformed_auth_header, invalid_secret_key_format, unknown_account. */
  public static final class AuthenticationFailed extends GraphgateException {
    public AuthenticationFailed(String code, String message) {
      super(401, code, message);
    }
  }

  /** 400: invalid_body, invalid_query_params, invalid_uri_params or invalid_headers, with the fields at fault. */
  public static final class InvalidRequest extends GraphgateException {
    private final List<FieldError> errors;

    public InvalidRequest(String code, String message, List<FieldError> errors) {
      super(400, code, message);
      this.errors = List.copyOf(errors);
    }

    public static InvalidRequest body(String message) {
      return new InvalidRequest("invalid_body", message, List.of());
    }

    public static InvalidRequest bodyField(String message, Object... path) {
      return new InvalidRequest("invalid_body", message, List.of(new FieldError("invalid_string", message, List.of(path))));
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  /** 400 invalid_json: the body is not JSON. */
  public static final class InvalidJson extends GraphgateException {
    public InvalidJson(String message) {
      super(400, "invalid_json", message);
    }
  }

  /** 415 invalid_content_type. */
  public static final class UnsupportedContentType extends GraphgateException {
    public UnsupportedContentType() {
      super(415, "invalid_content_type", "Content-Type header must be application/json");
    }
  }

  /** 413 payload_too_large. */
  public static final class PayloadTooLarge extends GraphgateException {
    public PayloadTooLarge(long limit) {
      super(413, "payload_too_large", "The request body is larger than the limit of " + limit + " bytes (GRAPHGATE_MAX_REQUEST_BYTES).");
    }
  }

  /** 404 not_found: an unknown route, provider, integration or connection. */
  public static final class NotFound extends GraphgateException {
    public NotFound(String message) {
      super(404, "not_found", message);
    }
  }

  /** unknown_provider_config: the integration named by {@code provider_config_key} does not exist (400, or 404 where Nango says so). */
  public static final class UnknownProviderConfig extends GraphgateException {
    public UnknownProviderConfig(int status, String message) {
      super(status, "unknown_provider_config", message);
    }
  }

  /** unknown_connection (400 or 404, as Nango answers on each route). */
  public static final class UnknownConnection extends GraphgateException {
    public UnknownConnection(int status, String message) {
      super(status, "unknown_connection", message);
    }
  }

  /** 400 invalid_tenant_id: not a GUID or DNS domain name; refused before any network call. */
  public static final class InvalidTenantId extends GraphgateException {
    public InvalidTenantId(String message) {
      super(400, "invalid_tenant_id", message);
    }
  }

  /** 400 invalid_scope: the scopes break the client-credentials rules; the message is the one Microsoft would give. */
  public static final class InvalidScope extends GraphgateException {
    public InvalidScope(String message) {
      super(400, "invalid_scope", message);
    }
  }

  /**
   * 400 invalid_credentials: Entra refused the token request. The connection's new status (for example
   * {@code secret_expired}) and the connection itself travel in the payload, as in Nango.
   */
  public static final class TokenRequestFailed extends GraphgateException {
    private final String connectionStatus;
    private final JsonNode payload;

    public TokenRequestFailed(String message, String connectionStatus, JsonNode payload) {
      super(400, "invalid_credentials", message);
      this.connectionStatus = connectionStatus;
      this.payload = payload;
    }

    /** The connection's status after the failure, such as {@code secret_expired}. */
    public String connectionStatus() {
      return connectionStatus;
    }

    /** Nango's payload ({@code {"connection":{…}}}), or null until the API layer adds it. */
    public JsonNode payload() {
      return payload;
    }

    public TokenRequestFailed withPayload(JsonNode newPayload) {
      return new TokenRequestFailed(getMessage(), connectionStatus, newPayload);
    }
  }

  /** 424 connection_refresh_backoff: a refresh failed less than 30 s ago; no new request is made yet. */
  public static final class RefreshBackoff extends GraphgateException {
    private final Duration retryAfter;

    public RefreshBackoff(Duration retryAfter, String lastError) {
      super(424, "connection_refresh_backoff", "A recent refresh attempt failed. Backing off before retrying. Last error: " + lastError);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** 424 connection_refresh_exhausted: refreshes failed on four different days; a forced refresh or new credentials reset it. */
  public static final class RefreshExhausted extends GraphgateException {
    public RefreshExhausted(String lastError) {
      super(424, "connection_refresh_exhausted", "The refresh limit has been reached for this connection. Fix the credentials and call again with force_refresh=true, or import the connection again. Last error: " + lastError);
    }
  }

  /** 503 token_endpoint_unavailable: Entra could not be reached or answered 5xx/429 after retries, and no valid token is cached. */
  public static final class TokenEndpointUnavailable extends GraphgateException {
    private final Duration retryAfter;

    public TokenEndpointUnavailable(String message, Duration retryAfter) {
      super(503, "token_endpoint_unavailable", message);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /**
   * 400 base_url_override_not_allowed: the proxy refused to send a request to that URL (not a Microsoft host of this
   * cloud, not https, user info, an absolute URL or dot segments in the path, or a redirect elsewhere). Nothing was sent.
   * The message names the reason, never the URL's user info.
   */
  public static final class BaseUrlOverrideNotAllowed extends GraphgateException {
    public BaseUrlOverrideNotAllowed(String reason) {
      super(400, "base_url_override_not_allowed", "This outbound URL is not allowed by server configuration: " + reason);
    }
  }

  /** 400 server_error "Failed to get connection": Nango's answer on the proxy for an unknown connection. */
  public static final class ProxyConnectionNotFound extends GraphgateException {
    public ProxyConnectionNotFound(String message) {
      super(400, "server_error", message);
    }
  }

  /**
   * server_error "Failed to get connection credentials": no token could be had for the proxied call. The status is
   * Nango's (400 refused, 424 exhausted, 503 Entra unreachable); the message is the connection's actionable one, and
   * {@code connectionStatus} (such as {@code secret_expired}) travels in the payload.
   */
  public static final class ProxyCredentialsUnavailable extends GraphgateException {
    private final String connectionStatus;
    private final Duration retryAfter;

    public ProxyCredentialsUnavailable(int status, String message, String connectionStatus, Duration retryAfter) {
      super(status, "server_error", message);
      this.connectionStatus = connectionStatus;
      this.retryAfter = retryAfter;
    }

    public String connectionStatus() {
      return connectionStatus;
    }

    /** When to try again, for the 503 case; null otherwise. */
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /**
   * 502 (504 for a timeout): Microsoft could not be reached and no answer came back after the retries. The code is
   * Nango's network error code ({@code ECONNREFUSED}, {@code ECONNRESET}, {@code ETIMEDOUT}, {@code EAI_AGAIN}).
   */
  public static final class UpstreamUnreachable extends GraphgateException {
    private final String method;

    public UpstreamUnreachable(int status, String code, String message, String method) {
      super(status, code, message);
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
    private final Duration retryAfter;

    public ProxyThrottled(Duration retryAfter, String message) {
      super(429, "too_many_requests", message);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /**
   * 503 database_unavailable: no database connection could be had in time (the database cannot be reached, or every
   * pooled connection stayed busy), or the connection broke under the request. {@code Retry-After} says when to try
   * again; the database's own error is in the server's log, never in the answer.
   */
  public static final class DatabaseUnavailable extends GraphgateException {
    private final Duration retryAfter;

    public DatabaseUnavailable(String message, Duration retryAfter) {
      super(503, "database_unavailable", message);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }
}

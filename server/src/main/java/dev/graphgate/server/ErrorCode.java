package dev.graphgate.server;

import java.util.Arrays;
import java.util.List;

/**
 * Every error code an API caller can see, with the HTTP status it comes with and what it means. The wire code is
 * Nango's wherever Nango has one; where Nango answers the same code with different statuses on different routes,
 * each pair is a constant of its own. {@code docs/errors.md} lists exactly these (a test keeps the two equal).
 */
public enum ErrorCode {
  // Authentication (Nango's codes)
  MISSING_AUTH_HEADER("missing_auth_header", 401, "The request has no Authorization header."),
  MALFORMED_AUTH_HEADER("malformed_auth_header", 401, "The Authorization header is not `Bearer <secret key>`."),
  UNKNOWN_CONNECT_SESSION_TOKEN("unknown_connect_session_token", 401, "The connect session token is unknown, expired or deleted, or was sent to a route that needs the secret key."),
  INVALID_SECRET_KEY_FORMAT("invalid_secret_key_format", 401, "The secret key is not a UUID v4."),
  UNKNOWN_ACCOUNT("unknown_account", 401, "The secret key is not one this server accepts."),
  DASHBOARD_SIGN_IN_REQUIRED("dashboard_sign_in_required", 401, "A dashboard route was called without a valid dashboard session cookie (absent, expired or tampered with); sign in at `/dashboard/`. Nothing was changed."),
  DASHBOARD_SIGN_IN_REFUSED("dashboard_sign_in_refused", 401, "The dashboard sign-in named neither an accepted secret key nor the dashboard password; no session was started."),
  INVALID_CSRF_TOKEN("invalid_csrf_token", 403, "A dashboard write came without its session's `X-CSRF-Token` header, or with another one; nothing was changed."),

  // Reading the request
  INVALID_BODY("invalid_body", 400, "The JSON body breaks the route's schema; `errors` lists each field at fault."),
  INVALID_QUERY_PARAMS("invalid_query_params", 400, "A query parameter is unknown, missing or invalid; `errors` lists each."),
  INVALID_URI_PARAMS("invalid_uri_params", 400, "A path parameter (such as an integration key) is invalid."),
  INVALID_HEADERS("invalid_headers", 400, "A proxy control header (Connection-Id, Retries, Retry-On, ...) is missing or invalid; `errors` lists each."),
  INVALID_JSON("invalid_json", 400, "The body is not one well-formed JSON value within the parser's limits, or repeats a key."),
  INVALID_CONTENT_TYPE("invalid_content_type", 415, "A JSON route was sent a body that is not application/json."),
  PAYLOAD_TOO_LARGE("payload_too_large", 413, "The body is larger than GRAPHGATE_MAX_REQUEST_BYTES."),
  MALFORMED_REQUEST("malformed_request", 400, "The HTTP request could not be read (a bad percent escape, an ambiguous path); the status is the one the HTTP server chose."),
  METHOD_NOT_ALLOWED("method_not_allowed", 405, "The HTTP method is not one the server understands."),
  URI_TOO_LONG("uri_too_long", 414, "The URL is too long."),
  HEADERS_TOO_LARGE("headers_too_large", 431, "The request headers are too large."),
  NOT_FOUND("not_found", 404, "No such route, provider, integration, connection or action (`POST /action/trigger` names the actions there are)."),

  // Integrations and connections
  UNKNOWN_PROVIDER_CONFIG("unknown_provider_config", 400, "The integration named by provider_config_key does not exist."),
  UNKNOWN_PROVIDER_CONFIG_ON_PROXY("unknown_provider_config", 404, "The integration named by the Provider-Config-Key header, or in the path of `POST /auth/two-step/{key}`, does not exist (Nango answers 404 there)."),
  UNKNOWN_CONNECTION("unknown_connection", 400, "The connection to delete does not exist; nothing was deleted."),
  UNKNOWN_CONNECTION_NOT_FOUND("unknown_connection", 404, "A connection named in a metadata update does not exist; nothing was changed."),
  INVALID_TENANT_ID("invalid_tenant_id", 400, "The tenant id is not a GUID or a domain of a tenant (nothing was sent to Microsoft)."),
  INVALID_SCOPE("invalid_scope", 400, "The scopes break the client-credentials rules (one resource, as `<resource>/.default`)."),

  // Tokens
  INVALID_CREDENTIALS("invalid_credentials", 400, "Entra refused the token request; `payload.status` says why (secret_expired, app_not_in_tenant, ...) and the message what to do."),
  CONNECTION_REFRESH_BACKOFF("connection_refresh_backoff", 424, "A refresh failed less than 30 s ago; retry after the Retry-After header's seconds."),
  CONNECTION_REFRESH_EXHAUSTED("connection_refresh_exhausted", 424, "Refreshes failed on four days; fix the credentials, then force a refresh or import the connection again."),
  TOKEN_ENDPOINT_UNAVAILABLE("token_endpoint_unavailable", 503, "Entra could not be reached (or throttled) and no valid token is cached; retry after Retry-After."),
  ENCRYPTION_KEY_UNAVAILABLE("encryption_key_unavailable", 503, "A stored secret is sealed with an encryption key this instance does not have (see key rotation in docs/running.md)."),

  // The proxy
  BASE_URL_OVERRIDE_NOT_ALLOWED("base_url_override_not_allowed", 400, "The proxy refused to send the request to that URL; nothing was sent."),
  PROXY_CONNECTION_NOT_FOUND("server_error", 400, "Failed to get connection: no such connection for the proxied call (Nango's code)."),
  PROXY_CREDENTIALS_REFUSED("server_error", 400, "Failed to get connection credentials: Entra refused the token request; `payload.status` says why."),
  PROXY_CREDENTIALS_EXHAUSTED("server_error", 424, "Failed to get connection credentials: refreshes failed on four days."),
  PROXY_CREDENTIALS_UNAVAILABLE("server_error", 503, "Failed to get connection credentials: Entra could not be reached; retry after Retry-After."),
  TOO_MANY_REQUESTS("too_many_requests", 429, "Microsoft throttled this tenant or mailbox and waiting would exceed the call's time budget; nothing was sent. Retry after Retry-After."),
  ECONNREFUSED("ECONNREFUSED", 502, "Microsoft refused the connection (after the retries); nothing was sent."),
  ECONNRESET("ECONNRESET", 502, "The connection to Microsoft broke (after the retries); the request may have been processed."),
  ETIMEDOUT("ETIMEDOUT", 504, "Microsoft did not answer in time (after the retries)."),
  EAI_AGAIN("EAI_AGAIN", 502, "Microsoft's host name could not be resolved."),
  EINVAL("EINVAL", 502, "The request could not be sent as it was (a header the HTTP client refuses); nothing was sent."),
  ECONNABORTED("ECONNABORTED", 502, "The call was interrupted (the server is stopping)."),

  // Syncs and records
  MISSING_PROVIDER_CONFIG_KEY("missing_provider_config_key", 400, "A sync route was called without `provider_config_key` (in the body or query, or the Provider-Config-Key header)."),
  UNKNOWN_CONNECTION_ON_RECORDS("unknown_connection", 400, "`GET /records`, `PATCH /records/prune`, `POST /sync/start`, `POST /sync/pause`, `PUT /sync/update-connection-frequency`, `POST /action/trigger`: no connection with that id in that integration; nothing was changed."),
  UNKNOWN_CONNECTION_ON_TRIGGER("unknown_connection", 404, "`POST /sync/trigger`: no connection with that id in that integration; nothing was triggered (Nango answers 404 there)."),
  NO_SYNCS_FOUND("no_syncs_found", 400, "None of the syncs named is enabled for the integration (`PUT /integrations/{key}/syncs` enables them); nothing was changed."),
  PERMISSION_MISSING("permission_missing", 403, "The connection's token lacks the application permission the sync or action needs; the message names it and `payload.admin_consent_url` is the admin consent link. Nothing was run or sent."),

  // Actions
  ACTION_FAILED_BAD_REQUEST("action_failed", 400, "`POST /action/trigger`: Graph refused the write with 400 (or another 4xx not listed here); `payload.upstream` has Graph's status, code and message. Graph did not apply it."),
  ACTION_FAILED_FORBIDDEN("action_failed", 403, "`POST /action/trigger`: Graph refused the write with 401 or 403 (such as a mailbox the app may not use); `payload.upstream` has Graph's code and message."),
  ACTION_FAILED_NOT_FOUND("action_failed", 404, "`POST /action/trigger`: Graph answered 404: the user, group, member or folder named in the input does not exist; `payload.upstream` has Graph's code and message."),
  ACTION_FAILED_CONFLICT("action_failed", 409, "`POST /action/trigger`: Graph answered 409 or 412 (such as a name already taken); `payload.upstream` has Graph's code and message."),
  ACTION_FAILED_THROTTLED("action_failed", 429, "`POST /action/trigger`: Graph still throttled the write after the retries within the action's time budget; it was not applied. Trigger it again after Retry-After."),
  ACTION_FAILED_UPSTREAM("action_failed", 502, "`POST /action/trigger`: Graph answered 5xx. It may have applied the write, so it was not sent again: check before triggering the action again."),

  // Connect sessions
  INVALID_CONNECT_SESSION_TOKEN_FORMAT("invalid_connect_session_token_format", 401, "The bearer (or `connect_session_token`) is not a connect session token, `nango_connect_session_` and 64 hex digits; session-only routes need one."),
  MISSING_PUBLIC_KEY("missing_public_key", 401, "A connection-creation route was called without `connect_session_token` (Graphgate has no public keys)."),
  MISSING_CLIENT_ID("missing_client_id", 400, "`POST /oauth2/auth/{key}`: the body has no `client_id`; nothing was stored."),
  MISSING_CLIENT_SECRET("missing_client_secret", 400, "`POST /oauth2/auth/{key}`: the body has no `client_secret`; nothing was stored."),
  INVALID_AUTH_MODE("invalid_auth_mode", 400, "The integration's provider does not use this route's credentials (client secret or certificate); nothing was stored."),
  INTEGRATION_NOT_ALLOWED("integration_not_allowed", 400, "The connect session does not allow this integration (`allowed_integrations`, or the integration of a reconnect session)."),
  NO_SHARED_CREDENTIALS("no_shared_credentials", 400, "Admin consent onboarding needs an integration (`microsoft-oauth2-cc`) holding the app's shared credentials; this one holds none."),
  CLIENT_CREDENTIALS_FETCH_ERROR("client_credentials_fetch_error", 400, "Entra refused the token request that proves the client secret; `payload.status` says why, the message what to do, `payload.admin_consent_url` where to consent. Nothing was stored."),
  TWO_STEP_CREDENTIALS_FETCH_ERROR("two_step_credentials_fetch_error", 400, "Entra refused the token request that proves the certificate; `payload.status` says why, the message what to do, `payload.admin_consent_url` where to consent. Nothing was stored."),

  // Outgoing webhooks
  WEBHOOK_URL_NOT_ALLOWED("webhook_url_not_allowed", 400, "A webhook URL (settings, or the `webhook_url_override` of a connect session or a connection) breaks the outbound URL policy: not http(s), user info, Nango's servers, or a loopback, private, link-local or metadata address (see docs/webhooks.md). Nothing was changed."),
  WEBHOOK_DELIVERY_NOT_RETRYABLE("webhook_delivery_not_retryable", 409, "The webhook delivery was already delivered (it is never sent twice) or is being sent right now; nothing was changed."),

  // The server itself
  DATABASE_UNAVAILABLE("database_unavailable", 503, "The database cannot be reached, or all its connections are busy; nothing was done. Retry after Retry-After."),
  SHUTTING_DOWN("shutting_down", 503, "The instance is stopping and took no new request; nothing was done. Send it again."),
  NOT_READY("not_ready", 503, "`GET /health/ready`: a readiness check failed (the database or the login host); the message names it."),

  // Graph change notifications (POST /webhook/{environment}/{integration})
  UNKNOWN_ENVIRONMENT("unknown_environment", 404, "`POST /webhook/{environment}/{integration}`: the environment id is not this server's (it is in the integration's `webhook_url`); nothing was stored."),
  UNKNOWN_PROVIDER_CONFIG_ON_WEBHOOK("unknown_provider_config", 404, "`POST /webhook/{environment}/{integration}`: no integration with that key; nothing was stored."),
  INVALID_CLIENT_STATE("invalid_client_state", 401, "`POST /webhook/{environment}/{integration}`: no notification of the batch named a subscription Graphgate keeps for this integration with its own `clientState` (and tenant); nothing was stored or forwarded."),

  // Everything else
  GENERIC_ERROR_SUPPORT("generic_error_support", 500, "A bug or an outage; the server log has the id given in `payload`.");

  private final String wire;
  private final int status;
  private final String meaning;

  ErrorCode(String wire, int status, String meaning) {
    this.wire = wire;
    this.status = status;
    this.meaning = meaning;
  }

  /** The {@code code} field of the JSON error. */
  public String wire() {
    return wire;
  }

  public int status() {
    return status;
  }

  /** What it means and what to do, as docs/errors.md says it. */
  public String meaning() {
    return meaning;
  }

  /** The network failures of a proxied call, as Nango names them. */
  public static List<ErrorCode> network() {
    return Arrays.stream(values()).filter(c -> c.wire.startsWith("E") && c.wire.equals(c.name())).toList();
  }
}

package dev.graphgate.server.connection;

import java.util.Locale;

/**
 * Where a connection stands, decided by the last token request. Every failed state has a message on the connection
 * that says what the customer's admin must do.
 */
public enum ConnectionStatus {
  /** Imported without a token; the first read fetches one. */
  PENDING,
  /** The last token request succeeded and the token carries app permissions. */
  OK,
  /** Tokens are issued but carry no {@code roles}: the tenant's admin has not granted the app's permissions. */
  CONSENT_MISSING,
  /** Entra could not be reached, or answered 5xx/429, and no token was ever obtained. Retried; not the customer's fault. */
  TRANSIENT,
  /** The client secret or certificate is wrong. */
  INVALID_CREDENTIALS,
  /** The client secret has expired. */
  SECRET_EXPIRED,
  /** The app has no service principal in the tenant: never consented there, or the client id is wrong. */
  APP_NOT_IN_TENANT,
  /** The app is disabled in the tenant. */
  APP_DISABLED,
  /** No tenant with that id or domain exists in this cloud. */
  TENANT_NOT_FOUND,
  /** The scope is refused (wrong resource, or the resource is not in the tenant). */
  INVALID_SCOPE,
  /** A Conditional Access policy for workload identities blocks the app. */
  BLOCKED_BY_POLICY,
  /** Entra refused the request for a reason not listed above; the message carries Entra's own. */
  TOKEN_REQUEST_FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A failed refresh that needs someone to act; shown in Nango's {@code errors} list as an {@code auth} error. */
  public boolean isAuthError() {
    return switch (this) {
      case PENDING, OK, CONSENT_MISSING, TRANSIENT -> false;
      default -> true;
    };
  }

  public static ConnectionStatus fromWireName(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}

package dev.graphgate.server.auth;

import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionStatus;
import java.time.Duration;

/**
 * What asking for a connection's token came to. The caller handles every case (the API answers Nango's errors, the
 * proxy its own); none is an exception, and each carries the connection as it stands after the attempt, so nobody
 * has to read it again to learn its new status.
 */
public sealed interface TokenAnswer {

  /** A token Graph accepts now. */
  record Valid(Connection connection, AccessToken token) implements TokenAnswer {}

  /** Entra refused the token request; {@code status} and {@code message} say what the customer's admin must do. */
  record Refused(Connection connection, ConnectionStatus status, String message) implements TokenAnswer {}

  /** A refresh failed less than {@code retryAfter} ago; no new request is made until then. */
  record BackingOff(Connection connection, Duration retryAfter, String lastError) implements TokenAnswer {}

  /** Refreshes failed on {@value dev.graphgate.server.connection.ConnectionHealth#EXHAUSTED_AFTER_DAYS} days; only a forced refresh tries again. */
  record Exhausted(Connection connection, String lastError) implements TokenAnswer {}

  /** Entra could not be reached, or another instance's refresh did not finish, and no valid token is at hand. */
  record Unavailable(Connection connection, String message, Duration retryAfter) implements TokenAnswer {}

  /** The connection was deleted while its token was being fetched. */
  record Gone(Connection connection) implements TokenAnswer {}
}

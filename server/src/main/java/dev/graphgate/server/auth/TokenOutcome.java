package dev.graphgate.server.auth;

import dev.graphgate.server.secret.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a token request came to. The caller must handle all three; none is an exception. */
public sealed interface TokenOutcome {

  /** Entra issued a token. {@code refreshIn} is Entra's hint to renew early, when sent. */
  record Issued(Secret accessToken, Secret rawResponse, long expiresInSeconds, Optional<Long> refreshInSeconds) implements TokenOutcome {}

  /**
   * Entra refused the request (a 4xx other than 429): retrying will not help until someone fixes something.
   * {@code description} is Entra's {@code error_description}, which never contains the secret.
   */
  record Rejected(int httpStatus, String error, List<Integer> errorCodes, String description) implements TokenOutcome {
    public Rejected {
      errorCodes = List.copyOf(errorCodes);
    }

    public Optional<Integer> aadsts() {
      return errorCodes.isEmpty() ? Optional.empty() : Optional.of(errorCodes.get(0));
    }
  }

  /** No usable answer: transport failure, timeout, 5xx, 429, or an unreadable body. Worth retrying. */
  record Unavailable(String reason, Optional<Duration> retryAfter) implements TokenOutcome {}
}

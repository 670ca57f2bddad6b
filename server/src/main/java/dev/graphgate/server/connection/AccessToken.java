package dev.graphgate.server.connection;

import dev.graphgate.server.secret.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An access token and when to replace it. {@code refreshAt} is when a new one is fetched (Entra's {@code refresh_in}
 * when it sends one, else the refresh margin before {@code expiresAt}); the token stays usable until {@code expiresAt}.
 * {@code rawResponse} is Entra's JSON as received (it contains the token, hence a {@link Secret}). {@code roles} are
 * the app permissions the token grants, empty when the token is not a readable JWT. {@code forcedAt} is when the forced
 * refresh that asked for it started, if one did: another forced refresh shortly after may share it.
 */
public record AccessToken(
    Secret value, Secret rawResponse, Instant obtainedAt, Instant expiresAt, Instant refreshAt, Optional<List<String>> roles,
    Optional<Instant> forcedAt) {

  public AccessToken {
    Objects.requireNonNull(value);
    Objects.requireNonNull(rawResponse);
    Objects.requireNonNull(obtainedAt);
    Objects.requireNonNull(expiresAt);
    Objects.requireNonNull(refreshAt);
    roles = roles.map(List::copyOf);
    Objects.requireNonNull(forcedAt);
  }

  public AccessToken(Secret value, Secret rawResponse, Instant obtainedAt, Instant expiresAt, Instant refreshAt, Optional<List<String>> roles) {
    this(value, rawResponse, obtainedAt, expiresAt, refreshAt, roles, Optional.empty());
  }

  /** This token, as obtained by a forced refresh that started at {@code at}. */
  public AccessToken forcedAt(Instant at) {
    return new AccessToken(value, rawResponse, obtainedAt, expiresAt, refreshAt, roles, Optional.of(at));
  }

  /** Fresh: no refresh is due yet. */
  public boolean isFreshAt(Instant now) {
    return now.isBefore(refreshAt);
  }

  /** Still accepted by Graph. */
  public boolean isValidAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}

package dev.graphgate.server.auth;

/** Sends one token request. Implementations never throw for a failed request: they return the outcome. */
@FunctionalInterface
public interface TokenEndpoint {
  TokenOutcome requestToken(TokenRequest request);
}

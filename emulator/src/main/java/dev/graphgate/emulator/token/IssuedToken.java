package dev.graphgate.emulator.token;

import java.time.Instant;

/** An access token as issued: the compact JWT and the lifetime the token response announces. */
public record IssuedToken(String accessToken, long expiresInSeconds, Instant expiresAt) {

  @Override
  public String toString() {
    return "IssuedToken[expiresAt=" + expiresAt + "]";
  }
}

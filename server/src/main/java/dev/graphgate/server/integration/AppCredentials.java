package dev.graphgate.server.integration;

import dev.graphgate.server.secret.Secret;
import java.util.Objects;

/** A multi-tenant app's own client id and secret, shared by an integration's connections (for admin consent). */
public record AppCredentials(String clientId, Secret clientSecret) {
  public AppCredentials {
    Objects.requireNonNull(clientId);
    Objects.requireNonNull(clientSecret);
  }
}

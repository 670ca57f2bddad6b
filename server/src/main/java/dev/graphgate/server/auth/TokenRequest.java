package dev.graphgate.server.auth;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/** One client-credentials request: the token URL and the form fields. Prints without the form (it holds the secret). */
public record TokenRequest(URI tokenUrl, Map<String, String> form) {
  public TokenRequest {
    Objects.requireNonNull(tokenUrl);
    form = Map.copyOf(form);
  }

  @Override
  public String toString() {
    return "TokenRequest[tokenUrl=" + tokenUrl + ", fields=" + form.keySet() + "]";
  }
}

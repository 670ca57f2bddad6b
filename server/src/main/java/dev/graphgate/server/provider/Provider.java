package dev.graphgate.server.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One provider of {@code providers.yaml}. {@code definition} is the provider's YAML entry as JSON, served unchanged
 * (apart from the cloud's hosts) by {@code GET /providers/{name}}.
 */
public record Provider(String name, String displayName, AuthMode authMode, boolean webhookRouting, ObjectNode definition) {
  public Provider {
    Objects.requireNonNull(name);
    Objects.requireNonNull(displayName);
    Objects.requireNonNull(authMode);
    definition = definition.deepCopy();
  }

  @Override
  public ObjectNode definition() {
    return definition.deepCopy();
  }
}

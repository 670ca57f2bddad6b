package dev.graphgate.server.graph;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Graph's answer to one request of a batch: its status and body (Graph's error object for a failed one). A 424 is
 * an item not run because a request it depended on failed; a 429 or 503 left after the retries ran out was not
 * processed, or (a write answered 503 or 504) may have been.
 */
public record BatchAnswer(String id, int status, JsonNode body) {
  public boolean succeeded() {
    return status / 100 == 2;
  }

  /** Graph's error code, or {@code http_<status>} when the body has none. */
  public String errorCode() {
    JsonNode code = body.path("error").path("code");
    return code.isTextual() ? code.asText() : "http_" + status;
  }
}

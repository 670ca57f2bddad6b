package dev.graphgate.server.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.auth.TokenAnswer;
import java.time.Duration;
import java.util.Optional;

/** How one write to Graph ended. Every case is an answer, none an exception. */
public sealed interface WriteOutcome {

  /** Graph accepted it: {@code status} 2xx, {@code body} its JSON answer when it sent one (a 202 or 204 sends none). */
  record Applied(int status, Optional<JsonNode> body) implements WriteOutcome {}

  /**
   * Graph answered an error (after the retries of what it cannot have applied, see {@link GraphClient#write}):
   * Graph's status, its {@code error.code} and {@code error.message}, the {@code request-id} of its inner error when
   * it gave one, and its Retry-After.
   */
  record Refused(int status, String code, String message, Optional<String> requestId, Optional<Duration> retryAfter) implements WriteOutcome {}

  /** No token could be had for the connection; {@code answer} is what asking for one came to (never {@link TokenAnswer.Valid}). */
  record CredentialsUnavailable(TokenAnswer answer) implements WriteOutcome {}

  /**
   * Nothing came back: Graph could not be reached, the connection broke or timed out (the write may have been
   * applied: it was not sent again), or the throttle gate would not open within the time budget (nothing was sent).
   * {@code failure} is the error the API answers, as the proxy would.
   */
  record NotAnswered(GraphgateException failure) implements WriteOutcome {}
}

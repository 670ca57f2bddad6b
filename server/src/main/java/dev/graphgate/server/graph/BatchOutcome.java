package dev.graphgate.server.graph;

/** How a {@link GraphClient#batch} call ended; {@code batches} counts the batches whose answers were handed over. */
public sealed interface BatchOutcome {
  int batches();

  /** Every request was answered (each answer may still be a failure of its own). */
  record Completed(int batches) implements BatchOutcome {}

  /** The handler asked to stop. */
  record Stopped(int batches) implements BatchOutcome {}

  /** No token for the connection: nothing more was sent. */
  record CredentialsUnavailable(int batches, String status, String message) implements BatchOutcome {}

  /**
   * A batch as a whole failed ({@code status} 0: no answer) and its requests were not answered; those of later
   * batches were not sent. A batch holding a write is not sent again after a failure that may have reached Graph.
   */
  record Failed(int batches, int status, String code, String message) implements BatchOutcome {}
}

package dev.graphgate.server.graph;

import java.util.Optional;

/** How paging through a Graph collection or delta round ended. Every case is an answer, none an exception. */
public sealed interface RoundOutcome {

  /** Every page was handed over; {@code deltaLink} is the last page's, when it was a delta round. */
  record Completed(int pages, Optional<String> deltaLink) implements RoundOutcome {}

  /** The page handler asked to stop after {@code pages} pages (the checkpoint it stored says where to go on). */
  record Stopped(int pages) implements RoundOutcome {}

  /**
   * Graph no longer knows the delta or next link (410 Gone, {@code syncStateNotFound}, {@code resyncRequired},
   * OneDrive's {@code resyncChanges...}): start a full round again, from {@code location} when Graph gave one.
   */
  record ResyncRequired(int pages, String code, Optional<String> location) implements RoundOutcome {}

  /** No token could be had for the connection: {@code message} says why and what the customer's admin must do. */
  record CredentialsUnavailable(int pages, String status, String message) implements RoundOutcome {}

  /**
   * Graph answered an error that retrying did not cure, or could not be reached: {@code status} 0 when nothing was
   * answered; {@code code} is Graph's error code (or Graphgate's for a failure to reach it).
   */
  record Failed(int pages, int status, String code, String message) implements RoundOutcome {}
}

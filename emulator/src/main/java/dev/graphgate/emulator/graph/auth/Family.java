package dev.graphgate.emulator.graph.auth;

import dev.graphgate.emulator.graph.http.GraphException;

/**
 * The workloads behind Graph. Each refuses a missing permission in its own words (shared/reference/microsoft.md
 * section 7), and clients branch on those codes.
 */
public enum Family {
  DIRECTORY,
  MAIL,
  CALENDAR,
  FILES,
  SITES,
  /** Requests that need no permission ($batch, which checks each item instead). */
  NONE;

  public GraphException accessDenied(Caller caller) {
    return switch (this) {
      case DIRECTORY -> new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
      case MAIL, CALENDAR -> new GraphException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
      case FILES, SITES ->
          caller.roles().isEmpty()
              ? new GraphException(403, "AccessDenied", "Either scp or roles claim need to be present in the token.")
              : new GraphException(403, "accessDenied", "Access denied. The application's permissions do not allow this operation.");
      case NONE -> new GraphException(403, "Forbidden", "Access denied.");
    };
  }
}

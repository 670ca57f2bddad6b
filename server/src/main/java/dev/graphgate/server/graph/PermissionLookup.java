package dev.graphgate.server.graph;

/** What the {@link PermissionTable} knows of one request. */
public sealed interface PermissionLookup {

  /** The request is one of {@code family}'s: {@code template} is the path it matched, {@code version} v1.0 or beta. */
  record Listed(PathFamily family, String template, String version) implements PermissionLookup {}

  /**
   * The request can never succeed with an app-only token ({@code /me} is the signed-in user, and a client
   * credentials token has none); {@code reason} says what to call instead.
   */
  record NotAppOnly(String reason) implements PermissionLookup {}

  /** The table has no row for the request (or it is not a Graph path: no {@code /v1.0} or {@code /beta}). */
  record Unlisted() implements PermissionLookup {}
}

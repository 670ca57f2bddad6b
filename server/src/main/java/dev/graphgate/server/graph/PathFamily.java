package dev.graphgate.server.graph;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the {@link PermissionTable}: the requests of one kind ({@code methods} on any of {@code templates}) and
 * the application permissions Graph accepts for them, the least privileged first, as Microsoft documents them on the
 * API pages named in {@code docs} (under {@code https://learn.microsoft.com/graph/api/}). {@code permissions} is empty
 * for requests whose permission depends on what they name (a subscription needs the read permission of its
 * resource); {@code note} then says which.
 */
public record PathFamily(String name, Set<String> methods, List<String> templates, Set<String> versions, List<String> permissions,
    List<String> docs, Optional<String> note) {

  public static final String DOCS_BASE = "https://learn.microsoft.com/graph/api/";

  public PathFamily {
    methods = Set.copyOf(methods);
    templates = List.copyOf(templates);
    versions = Set.copyOf(versions);
    permissions = List.copyOf(permissions);
    docs = List.copyOf(docs);
  }

  /** What the requests need, for the check syncs and actions share; empty when it depends on the request. */
  public Optional<RequiredPermission> required() {
    return permissions.isEmpty() ? Optional.empty() : Optional.of(new RequiredPermission(permissions));
  }

  /** The API reference pages the row is drawn from. */
  public List<String> docsUrls() {
    return docs.stream().map(page -> DOCS_BASE + page).toList();
  }
}

package dev.graphgate.server.graph;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The application permissions that allow a piece of Graphgate's own work (a sync's reads, an action's write): any one
 * of {@code satisfiedBy}, the least privileged first, which is the one to grant. The one check syncs and actions
 * share, so both say the same thing to the customer's admin.
 */
public record RequiredPermission(List<String> satisfiedBy) {
  public RequiredPermission {
    satisfiedBy = List.copyOf(satisfiedBy);
    if (satisfiedBy.isEmpty()) {
      throw new IllegalArgumentException("a required permission names at least one permission");
    }
  }

  public static RequiredPermission anyOf(String least, String... broader) {
    List<String> all = new java.util.ArrayList<>();
    all.add(least);
    all.addAll(List.of(broader));
    return new RequiredPermission(all);
  }

  /** The least privileged permission that allows the work: the one to grant. */
  public String least() {
    return satisfiedBy.get(0);
  }

  /**
   * Why the token's permissions do not allow the work, or empty when they do. {@code work} completes "The app has no
   * application permission to ..." (such as {@code run the sync 'users'}); {@code consentLink} is asked only when
   * something is missing.
   */
  public Optional<String> problem(GraphAccess.Granted access, String work, String tenant, Supplier<String> consentLink) {
    if (access.grantsAny(satisfiedBy)) {
      return Optional.empty();
    }
    String others = satisfiedBy.size() == 1 ? "" : " (or one of " + String.join(", ", satisfiedBy.subList(1, satisfiedBy.size())) + ")";
    return Optional.of("The app has no application permission to " + work + " in tenant " + tenant + ": grant " + least() + others
        + " to the app registration, then have the tenant's admin consent again: " + consentLink.get());
  }
}

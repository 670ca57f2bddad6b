package dev.graphgate.emulator.directory;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A Microsoft Entra tenant: its id, its verified domains (the first is the initial {@code *.onmicrosoft.com} domain)
 * and when it was created (real tokens carry that as {@code xms_tcdt}).
 */
public record Tenant(String id, String displayName, List<String> domains, Instant createdAt) {

  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(createdAt, "createdAt");
    id = id.toLowerCase(Locale.ROOT);
    domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).distinct().toList();
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("a tenant has at least one verified domain");
    }
  }

  public String initialDomain() {
    return domains.getFirst();
  }
}

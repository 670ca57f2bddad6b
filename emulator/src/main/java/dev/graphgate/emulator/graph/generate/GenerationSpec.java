package dev.graphgate.emulator.graph.generate;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What to generate in a tenant. Everything generated is a pure function of the seed, the tenant id, these sizes and the
 * anchor date: the same spec always yields the same ids, names, mail, events and file bytes.
 *
 * @param users generated users, each with a mailbox, a calendar and a OneDrive; at most {@value #MAX_USERS}
 * @param groups generated groups (a third Microsoft 365 groups, the rest security groups)
 * @param membersPerGroup members of each generated group, drawn from the users (capped at {@code users})
 * @param messagesPerMailbox messages per user, about 80% in the Inbox and 20% in Sent Items
 * @param eventsPerMailbox events per user, spread over 30 days either side of the anchor date
 * @param driveItemsPerDrive items in each user's OneDrive and each site's document library, a tenth of them folders
 * @param sites SharePoint sites; the first is the tenant's root site
 * @param maxFileBytes the largest generated file; sizes are spread log-uniformly from 1 byte up to it
 * @param seed overrides the emulator's seed for this tenant
 * @param anchorDate the day generated mail ends and events centre on; default today (UTC) when generated
 */
public record GenerationSpec(
    int users,
    int groups,
    int membersPerGroup,
    int messagesPerMailbox,
    int eventsPerMailbox,
    int driveItemsPerDrive,
    int sites,
    long maxFileBytes,
    Optional<Long> seed,
    Optional<LocalDate> anchorDate) {

  public static final int MAX_USERS = 10_000_000;
  public static final int MAX_PER_PARENT = 1_000_000;
  public static final long DEFAULT_MAX_FILE_BYTES = 256 * 1024;
  public static final long MAX_FILE_BYTES = 1L << 40;

  public GenerationSpec {
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(anchorDate, "anchorDate");
    requireRange("users", users, MAX_USERS);
    requireRange("groups", groups, MAX_USERS);
    requireRange("membersPerGroup", membersPerGroup, MAX_PER_PARENT);
    requireRange("messagesPerMailbox", messagesPerMailbox, MAX_PER_PARENT);
    requireRange("eventsPerMailbox", eventsPerMailbox, MAX_PER_PARENT);
    requireRange("driveItemsPerDrive", driveItemsPerDrive, MAX_PER_PARENT);
    requireRange("sites", sites, 100_000);
    if (maxFileBytes < 1 || maxFileBytes > MAX_FILE_BYTES) {
      throw new IllegalArgumentException("maxFileBytes must be between 1 and " + MAX_FILE_BYTES + ", was " + maxFileBytes);
    }
  }

  /** Nothing generated: a tenant starts empty (plus its root site and organization). */
  public static GenerationSpec empty() {
    return new GenerationSpec(0, 0, 0, 0, 0, 0, 1, DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty());
  }

  private static void requireRange(String name, long value, long max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " must be between 0 and " + max + ", was " + value);
    }
  }
}

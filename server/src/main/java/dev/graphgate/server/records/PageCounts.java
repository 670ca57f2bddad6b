package dev.graphgate.server.records;

/** What storing one page (or a whole run) changed: records added, updated, deleted, and those seen unchanged. */
public record PageCounts(long added, long updated, long deleted, long unchanged) {
  public static final PageCounts NONE = new PageCounts(0, 0, 0, 0);

  public PageCounts plus(PageCounts o) {
    return new PageCounts(added + o.added, updated + o.updated, deleted + o.deleted, unchanged + o.unchanged);
  }
}
